import type pg from 'pg'

import type {PgDatabase} from '../../../db/pg/open.js'
import {settingsFromRows, type SiteSettings} from '../../../settings/settings.js'
import type {Directory} from '../../directory.js'
import type {RecomputeChange} from '../attendance.js'
import {inTransaction} from '../transaction.js'

async function readAll(client: pg.Pool | pg.ClientBase): Promise<SiteSettings> {
  return settingsFromRows((await client.query<{key: string; value: string}>('SELECT key, value FROM settings')).rows)
}

/** The site's zone as this transaction sees it. */
export async function siteTimezone(client: pg.Pool | pg.ClientBase): Promise<string> {
  return (await readAll(client)).timezone
}

/**
 * The site settings' writes on PostgreSQL. `synchronous` is stored (it is a SQLite connection's
 * pragma and means nothing here). A change of a setting that decides days (default shift, week off)
 * recomputes everyone's days in the same transaction, as on SQLite.
 */
export function pgSettings(database: PgDatabase, recompute: RecomputeChange): Pick<Directory, 'isInitialized' | 'writeSettings' | 'shiftName'> {
  const {pool} = database
  return {
    async isInitialized() {
      const {rows} = await pool.query("SELECT 1 FROM settings WHERE key = 'timezone'")
      return rows.length > 0
    },

    writeSettings: (write, now) =>
      inTransaction(pool, async (client) => {
        const field = write.recomputeOnChange
        const before = field === undefined ? undefined : JSON.stringify((await readAll(client))[field])
        const entries = Object.entries(write.values).filter(([, value]) => value !== undefined)
        for (const [field, value] of entries) {
          await client.query(
            `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
            [field, JSON.stringify(value), now],
          )
        }
        const updated = await readAll(client)
        const changed = field !== undefined && before !== JSON.stringify(updated[field])
        return {settings: updated, recomputed: changed ? await recompute(client, {}, now) : null}
      }),

    async shiftName(name) {
      const {rows} = await pool.query<{name: string}>('SELECT name FROM shifts WHERE lower(name) = lower($1)', [name])
      return rows[0]?.name
    },
  }
}
