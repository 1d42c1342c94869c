import type Database from 'better-sqlite3'
import {readMigrationFiles, type MigrationMeta} from 'drizzle-orm/migrator'

import {migrationsFolder} from './migrations-dir.js'

const JOURNAL_TABLE = '__drizzle_migrations'

export function loadMigrations(folder = migrationsFolder): MigrationMeta[] {
  return readMigrationFiles({migrationsFolder: folder})
}

/**
 * Applies the pending drizzle-kit migrations, compatible with drizzle's own journal table.
 *
 * Why not drizzle's `migrate()`: it creates its journal and reads the last migration outside its
 * transaction, so two processes opening a fresh file together both try to apply migration 0. Here
 * the whole check-and-apply runs under `BEGIN IMMEDIATE`, which takes SQLite's write lock first;
 * the second process waits (busy_timeout) and then finds nothing left to do.
 *
 * Foreign keys are switched off around the transaction (the pragma is ignored inside one), so a
 * drizzle-kit table rebuild (`DROP TABLE` + rename) cannot fire cascades or fail half-way;
 * `foreign_key_check` then proves the rebuilt tables are consistent before committing.
 *
 * `upTo` (an index into the migration list) exists for the migration test, which builds a store at
 * an older schema version.
 */
export function applyMigrations(sqlite: Database.Database, options: {folder?: string; upTo?: number} = {}): number {
  const all = loadMigrations(options.folder)
  const migrations = options.upTo === undefined ? all : all.slice(0, options.upTo + 1)
  const foreignKeys = sqlite.pragma('foreign_keys', {simple: true}) as number
  sqlite.pragma('foreign_keys = OFF')
  let applied = 0
  try {
    sqlite.exec('BEGIN IMMEDIATE')
    try {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS "${JOURNAL_TABLE}" (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`,
      )
      const last = sqlite.prepare(`SELECT created_at FROM "${JOURNAL_TABLE}" ORDER BY created_at DESC LIMIT 1`).get() as
        | {created_at: number}
        | undefined
      const record = sqlite.prepare(`INSERT INTO "${JOURNAL_TABLE}" (hash, created_at) VALUES (?, ?)`)
      for (const migration of migrations) {
        if (last && Number(last.created_at) >= migration.folderMillis) continue
        for (const statement of migration.sql) {
          if (statement.trim()) sqlite.exec(statement)
        }
        record.run(migration.hash, migration.folderMillis)
        applied++
      }
      const broken = sqlite.pragma('foreign_key_check') as unknown[]
      if (broken.length > 0) throw new Error(`migration left ${broken.length} rows with broken foreign keys`)
      sqlite.exec('COMMIT')
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
      throw error
    }
  } finally {
    sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  }
  return applied
}
