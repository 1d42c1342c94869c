import type {PgDatabase} from '../../db/pg/open.js'
import type {ImportRun} from '../imports.js'
import {emptyResult, add} from '../sqlite/import-slices.js'
import type {ImportsSection} from '../imports.js'
import type {SiteSettings} from '../../settings/settings.js'
import {pgIngest} from './ingest.js'
import type {PgSite} from './site.js'
import {inTransaction} from './transaction.js'

/** Punches per transaction of an import on PostgreSQL: a batch's rows go in one INSERT. */
const CHUNK = 2000

/**
 * Import runs on PostgreSQL: the rows as on SQLite; each chunk of punches is one transaction with
 * its row's progress, so a killed run leaves real counts and every committed chunk.
 */
export function pgImports(database: PgDatabase, settings: () => Promise<SiteSettings>, site: PgSite): ImportsSection {
  const pool = database.pool
  return {
    deviceId: async (serial) => (await pool.query<{id: number}>('SELECT id FROM devices WHERE serial = $1', [serial])).rows[0]?.id ?? null,
    begin: (files, now) =>
      inTransaction(pool, async (client) => {
        const ids: number[] = []
        for (const file of files) {
          const {rows} = await client.query<{id: number}>(
            `INSERT INTO imports (file, format, device_id, dry_run, status, started_at) VALUES ($1, $2, $3, false, 'running', $4) RETURNING id`,
            [file.file, file.format, file.deviceId, now],
          )
          ids.push(rows[0].id)
        }
        return ids
      }),
    finish: (outcomes, now) =>
      inTransaction(pool, async (client) => {
        for (const o of outcomes) {
          await client.query(
            `UPDATE imports SET format = coalesce($2, format), status = $3, read = coalesce($4, read), stored = coalesce($5, stored),
               duplicates = coalesce($6, duplicates), unmapped = coalesce($7, unmapped), rejected = coalesce($8, rejected), message = $9, finished_at = $10
             WHERE id = $1`,
            [o.id, o.format ?? null, o.status, o.read ?? null, o.stored ?? null, o.duplicates ?? null, o.unmapped ?? null, o.rejected ?? null, o.message, now],
          )
        }
      }),
    writer: async () => ({
      write: async (punches, options, progress) => {
        const total = emptyResult()
        const current = await settings()
        for (let next = 0; next < punches.length; next += CHUNK) {
          const part = punches.slice(next, next + CHUNK)
          await inTransaction(pool, async (client) => {
            const result = await pgIngest(client, part, options, current, site)
            add(total, result, next)
            const counts = progress?.(total)
            if (counts) {
              await client.query('UPDATE imports SET read = $1, stored = $2, duplicates = $3, unmapped = $4, rejected = $5 WHERE id = $6', [
                counts.read, counts.stored, counts.duplicates, counts.unmapped, counts.rejected, counts.id,
              ])
            }
          })
        }
        return total
      },
      close: async () => {},
    }),
    list: async (paging) => {
      const offset = paging.offset ?? 0
      const limit = paging.limit ?? 20
      const total = (await pool.query<{n: number}>('SELECT count(*)::int AS n FROM imports')).rows[0].n
      const {rows} = await pool.query<ImportRun>(
        `SELECT i.id, i.file, i.format, d.serial AS device, i.dry_run AS "dryRun", i.status, i.read, i.stored, i.duplicates, i.unmapped, i.rejected,
           i.message, i.started_at AS "startedAt", i.finished_at AS "finishedAt"
         FROM imports i LEFT JOIN devices d ON d.id = i.device_id ORDER BY i.id DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      )
      return {total, offset, limit, rows}
    },
  }
}
