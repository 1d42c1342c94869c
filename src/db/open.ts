import Database from 'better-sqlite3'
import {drizzle, type BetterSQLite3Database} from 'drizzle-orm/better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'

import {AttendError} from '../errors.js'
import {applyMigrations} from './migrate.js'
import * as schema from './schema.js'

export type Db = BetterSQLite3Database<typeof schema>

/** An open attend store: the Drizzle handle for queries, the raw handle for prepared bulk work. */
export interface Store {
  readonly path: string
  readonly db: Db
  readonly sqlite: Database.Database
  /** Runs `fn` in one synchronous transaction (better-sqlite3 transactions cannot await). */
  transaction<T>(fn: () => T): T
  close(): void
}

export interface OpenOptions {
  /** Skip migrations (the migration test opens older schema versions itself). */
  migrate?: boolean
  busyTimeoutMs?: number
  /**
   * A reader's connection (reports built off the server's event loop): the file must exist and be
   * migrated already; nothing can be written through it, not even by mistake.
   */
  readonly?: boolean
}

const SYNCHRONOUS_MODES = new Set(['OFF', 'NORMAL', 'FULL', 'EXTRA'])

/**
 * Opens (creating if needed) the store at `file`, applies pending migrations and sets the pragmas
 * every process needs so `attend serve` and a cron `attend report` can share one file: WAL, a busy
 * timeout, foreign keys, and the site's `synchronous` setting (NORMAL unless set to FULL).
 */
export function openStore(file: string, options: OpenOptions = {}): Store {
  const resolved = file === ':memory:' ? file : path.resolve(file)
  if (resolved !== ':memory:') checkLocation(resolved)

  let sqlite: Database.Database
  try {
    sqlite = new Database(resolved, options.readonly ? {readonly: true, fileMustExist: true} : {})
  } catch (error) {
    throw describeOpenError(resolved, error)
  }

  try {
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    // Reading the schema is the first real read: it fails here for a file that is not SQLite.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
    if (options.readonly) return wrap(resolved, sqlite)
    if (resolved !== ':memory:') sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    if (options.migrate !== false) applyMigrations(sqlite)
    sqlite.pragma(`synchronous = ${readSynchronous(sqlite)}`)
  } catch (error) {
    sqlite.close()
    throw describeOpenError(resolved, error)
  }
  return wrap(resolved, sqlite)
}

function wrap(resolved: string, sqlite: Database.Database): Store {
  const db = drizzle(sqlite, {schema})
  // One transaction function for every call, given the work as its argument: wrapping each piece
  // of work with sqlite.transaction() builds four wrappers every time, which showed in the profile
  // of a single-punch request. Nested calls still become savepoints (decided at call time).
  const runInTransaction = sqlite.transaction((work: () => unknown) => work()).immediate
  return {
    path: resolved,
    db,
    sqlite,
    transaction: <T>(fn: () => T): T => runInTransaction(fn) as T,
    close() {
      if (!sqlite.open) return
      try {
        if (resolved !== ':memory:' && !sqlite.readonly) sqlite.pragma('wal_checkpoint(PASSIVE)')
      } finally {
        sqlite.close()
      }
    },
  }
}

function readSynchronous(sqlite: Database.Database): string {
  const hasSettings = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'`).get()
  if (!hasSettings) return 'NORMAL'
  const row = sqlite.prepare(`SELECT value FROM settings WHERE key = 'synchronous'`).get() as {value: string} | undefined
  if (!row) return 'NORMAL'
  const mode = String(JSON.parse(row.value)).toUpperCase()
  return SYNCHRONOUS_MODES.has(mode) ? mode : 'NORMAL'
}

function checkLocation(file: string): void {
  const dir = path.dirname(file)
  if (!fs.existsSync(dir)) {
    throw new AttendError(`Cannot open the store ${file}: the directory ${dir} does not exist.`, {code: 'store_location'})
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new AttendError(`Cannot open the store ${file}: ${dir} is not a directory.`, {code: 'store_location'})
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new AttendError(`Cannot open the store ${file}: it is a directory, not a database file.`, {code: 'store_location'})
  }
}

function describeOpenError(file: string, error: unknown): Error {
  if (error instanceof AttendError) return error
  const code = (error as {code?: string}).code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(message)) {
    return new AttendError(`${file} is not an attend store: the file is not a SQLite database.`, {code: 'store_not_sqlite', cause: error})
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || /readonly|unable to open/i.test(message)) {
    return new AttendError(
      `Cannot write the store ${file}: the file or its directory ${path.dirname(file)} is not writable.`,
      {code: 'store_readonly', cause: error},
    )
  }
  if (code === 'SQLITE_CORRUPT') {
    return new AttendError(`${file} is damaged: SQLite reports "${message}".`, {code: 'store_corrupt', cause: error})
  }
  return new AttendError(`Cannot open the store ${file}: ${message}`, {code: 'store_open', cause: error})
}
