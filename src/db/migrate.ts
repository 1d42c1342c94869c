import type Database from 'better-sqlite3'
import {readMigrationFiles, type MigrationMeta} from 'drizzle-orm/migrator'
import fs from 'node:fs'
import path from 'node:path'

import {migrationsFolder} from './migrations-dir.js'

const JOURNAL_TABLE = '__drizzle_migrations'

export function loadMigrations(folder = migrationsFolder): MigrationMeta[] {
  return readMigrationFiles({migrationsFolder: folder})
}

/** A migration as drizzle-kit's journal names it: `when` is the `created_at` its journal row gets. */
export interface MigrationName {
  tag: string
  when: number
}

/** The migrations of `folder` in order, by name (for `attend db info`). */
export function migrationNames(folder = migrationsFolder): MigrationName[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {entries: MigrationName[]}
  return journal.entries.map(({tag, when}) => ({tag, when}))
}

/** The schema version of a store: which of the known migrations its journal says were applied. */
export interface SchemaVersion {
  /** Rows in the store's migration journal. */
  applied: number
  /** Migrations this attend ships. */
  known: number
  /** The tag of the last applied migration; null when none is, or when this attend does not know it. */
  latest: string | null
  /** Applied migrations this attend does not ship: the store was migrated by a newer attend. */
  newer: number
}

/** Compares a store's journal (its `created_at` values) with the migrations of `folder`. */
export function schemaVersion(appliedAt: readonly number[], folder = migrationsFolder): SchemaVersion {
  const names = migrationNames(folder)
  const byWhen = new Map(names.map((m) => [m.when, m.tag]))
  const sorted = [...appliedAt].sort((a, b) => a - b)
  const last = sorted.at(-1)
  const newer = sorted.filter((when) => !byWhen.has(when) && when > (names.at(-1)?.when ?? 0)).length
  return {applied: sorted.length, known: names.length, latest: last === undefined ? null : (byWhen.get(last) ?? null), newer}
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
