import {randomInt} from 'node:crypto'
import fs from 'node:fs'
import {Column} from 'drizzle-orm'
import type Database from 'better-sqlite3'

import {NotFoundError} from '../../errors.js'
import {migrationsFolder} from '../migrations-dir.js'
import {openStore, type Store} from '../open.js'
import {REVISIONS_TABLE, type StoreTable} from '../tables.js'
import type {EndPurpose, Row, StoreEnd} from './end.js'

const JOURNAL_TABLE = '__drizzle_migrations'

/** Drizzle's mapping for columns that keep the driver's value as it is. */
const identity = Column.prototype.mapFromDriverValue

/**
 * A SQLite store for `db info` and `db copy`. The copy's transactions span awaits (the other end is
 * asynchronous), which is sound here: this connection is the command's own and nothing else runs
 * on it. A target holds SQLite's write lock for the whole copy, so the copy lands whole or not at
 * all; a source reads one snapshot while a server may go on writing (WAL).
 */
export function openSqliteEnd(file: string, purpose: EndPurpose): StoreEnd {
  if (purpose !== 'target' && file !== ':memory:' && !fs.existsSync(file)) {
    throw new NotFoundError(`No store at ${file}: the file does not exist.`)
  }
  const store = openStore(file, purpose === 'inspect' ? {readonly: true} : {})
  return new SqliteEnd(store)
}

class SqliteEnd implements StoreEnd {
  readonly engine = 'sqlite' as const
  readonly migrationsFolder = migrationsFolder
  readonly location
  private readonly statements = new Map<string, Database.Statement>()

  constructor(private readonly store: Store) {
    this.location = {engine: 'sqlite' as const, path: store.path}
  }

  async engineVersion(): Promise<string> {
    return this.store.sqlite.prepare('SELECT sqlite_version()').pluck().get() as string
  }

  async sizeBytes(): Promise<number> {
    if (this.store.path === ':memory:') return 0
    const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0)
    return size(this.store.path) + size(`${this.store.path}-wal`)
  }

  async appliedMigrations(): Promise<number[]> {
    if (!this.exists(JOURNAL_TABLE)) return []
    return (this.store.sqlite.prepare(`SELECT created_at FROM "${JOURNAL_TABLE}" ORDER BY created_at`).pluck().all() as unknown[]).map(Number)
  }

  async count(table: StoreTable): Promise<number | null> {
    if (!this.exists(table.name)) return null
    return this.store.sqlite.prepare(`SELECT count(*) FROM "${table.name}"`).pluck().get() as number
  }

  async snapshot(): Promise<void> {
    this.store.sqlite.exec('BEGIN')
    // A deferred transaction takes its snapshot at the first read.
    this.store.sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  }

  async read(table: StoreTable, after: unknown, limit: number): Promise<Row[]> {
    const columns = table.columns.map((c) => `"${c.name}"`).join(', ')
    const key = `"${table.key.name}"`
    const rows = (
      after === undefined
        ? this.statement(`SELECT ${columns} FROM "${table.name}" ORDER BY ${key} LIMIT ?`).all(limit)
        : this.statement(`SELECT ${columns} FROM "${table.name}" WHERE ${key} > ? ORDER BY ${key} LIMIT ?`).all(after, limit)
    ) as Row[]
    // The declarations' own mapping (0/1 → boolean, …), as Drizzle applies it to every read.
    const mapped = table.columns.filter((c) => c.sqlite.mapFromDriverValue !== identity)
    for (const row of rows) for (const c of mapped) if (row[c.name] !== null) row[c.name] = c.sqlite.mapFromDriverValue(row[c.name])
    return rows
  }

  async write(): Promise<void> {
    this.store.sqlite.exec('BEGIN IMMEDIATE')
  }

  async empty(tables: readonly StoreTable[]): Promise<void> {
    for (const table of [...tables].reverse()) this.store.sqlite.prepare(`DELETE FROM "${table.name}"`).run()
    if (this.exists('sqlite_sequence')) {
      const forget = this.store.sqlite.prepare('DELETE FROM sqlite_sequence WHERE name = ?')
      for (const table of tables) forget.run(table.name)
    }
  }

  async insert(table: StoreTable, rows: Row[]): Promise<void> {
    // One prepared statement per row: SQLite runs it from its cache at memory speed, where a
    // statement of many VALUES rows would be parsed again for every batch.
    const insert = this.statement(`INSERT INTO "${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`)
    for (const row of rows) {
      insert.run(table.columns.map((c) => (row[c.name] === null || row[c.name] === undefined ? null : c.sqlite.mapToDriverValue(row[c.name]))))
    }
  }

  async sequences(): Promise<Map<string, number>> {
    if (!this.exists('sqlite_sequence')) return new Map()
    const rows = this.store.sqlite.prepare('SELECT name, seq FROM sqlite_sequence').all() as {name: string; seq: number}[]
    return new Map(rows.map((r) => [r.name, Number(r.seq)]))
  }

  async setSequence(table: StoreTable, value: number): Promise<void> {
    // SQLite keeps AUTOINCREMENT's high-water mark in sqlite_sequence, one row per table. A plain
    // rowid key (webhook_events) has none: its next id is always the highest plus one.
    if (!(table.key.sqlite as {autoIncrement?: boolean}).autoIncrement) return
    const updated = this.store.sqlite.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(value, table.name)
    if (updated.changes === 0) this.store.sqlite.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table.name, value)
  }

  async renewRevisions(scopes: string[]): Promise<void> {
    this.store.sqlite.prepare(`DELETE FROM "${REVISIONS_TABLE}"`).run()
    const insert = this.store.sqlite.prepare(`INSERT INTO "${REVISIONS_TABLE}" (scope, revision) VALUES (?, ?)`)
    for (const scope of scopes) insert.run(scope, randomInt(0, 2 ** 48 - 1))
  }

  async commit(): Promise<void> {
    this.store.sqlite.exec('COMMIT')
  }

  async rollback(): Promise<void> {
    if (this.store.sqlite.inTransaction) this.store.sqlite.exec('ROLLBACK')
  }

  async close(): Promise<void> {
    await this.rollback()
    this.store.close()
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.store.sqlite.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  private exists(name: string): boolean {
    return this.store.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined
  }
}
