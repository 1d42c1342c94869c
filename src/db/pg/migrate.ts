import type pg from 'pg'

import {loadMigrations} from '../migrate.js'
import {pgMigrationsFolder} from '../migrations-dir.js'

/** drizzle's own journal for PostgreSQL, so drizzle-kit and drizzle's migrate() see the same state. */
const JOURNAL_SCHEMA = 'drizzle'
const JOURNAL_TABLE = '__drizzle_migrations'
const JOURNAL = `"${JOURNAL_SCHEMA}"."${JOURNAL_TABLE}"`

/** The advisory lock every attend migrator takes: "attend" in ASCII, as a bigint. */
const MIGRATION_LOCK = '107098473393764'

/**
 * Applies the pending PostgreSQL migrations of drizzle/pg, compatible with drizzle's journal.
 *
 * Why not drizzle's `migrate()`: it creates its schema and journal and reads the last migration
 * before anything serializes processes, so several `attend serve` instances starting together on a
 * fresh database race: both see no journal row, both apply migration 0, one fails on "relation
 * already exists" (and even two `CREATE TABLE IF NOT EXISTS` can collide in the catalog). Here the
 * whole check-and-apply is one transaction that first takes a transaction-scoped advisory lock:
 * the others wait for it, then find nothing left to do. PostgreSQL's DDL is transactional, so a
 * migration that fails leaves the database as it was. Returns how many migrations were applied.
 *
 * `upTo` (an index into the migration list) exists for the tests, which build older versions.
 */
export async function applyPgMigrations(pool: pg.Pool, options: {folder?: string; upTo?: number} = {}): Promise<number> {
  const all = loadMigrations(options.folder ?? pgMigrationsFolder)
  const migrations = options.upTo === undefined ? all : all.slice(0, options.upTo + 1)
  const client = await pool.connect()
  let applied = 0
  try {
    await client.query('BEGIN')
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`)
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${JOURNAL_SCHEMA}"`)
      await client.query(`CREATE TABLE IF NOT EXISTS ${JOURNAL} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`)
      const last = await client.query<{created_at: number}>(`SELECT created_at FROM ${JOURNAL} ORDER BY created_at DESC LIMIT 1`)
      const lastAt = last.rows[0] ? Number(last.rows[0].created_at) : undefined
      for (const migration of migrations) {
        if (lastAt !== undefined && lastAt >= migration.folderMillis) continue
        for (const statement of migration.sql) {
          if (statement.trim()) await client.query(statement)
        }
        await client.query(`INSERT INTO ${JOURNAL} (hash, created_at) VALUES ($1, $2)`, [migration.hash, migration.folderMillis])
        applied++
      }
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    }
  } finally {
    client.release()
  }
  return applied
}

/** The `created_at` of every migration the database's journal holds (none when it has no journal). */
export async function appliedPgMigrations(queryable: pg.Pool | pg.ClientBase): Promise<number[]> {
  const exists = await queryable.query<{present: boolean}>(`SELECT to_regclass($1) IS NOT NULL AS present`, [JOURNAL])
  if (!exists.rows[0]?.present) return []
  const rows = await queryable.query<{created_at: number}>(`SELECT created_at FROM ${JOURNAL} ORDER BY created_at`)
  return rows.rows.map((row) => Number(row.created_at))
}
