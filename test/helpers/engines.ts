import {afterAll, afterEach, beforeAll, beforeEach, describe} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {openPgDatabase, type PgDatabase} from '../../src/db/pg/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {pgAttendStore} from '../../src/store/pg/port.js'
import type {AttendStore} from '../../src/store/port.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {describePg, usePgDatabase} from './pg.js'
import {testStore} from './store.js'

/**
 * One engine's fresh store for a service test: the port the service takes, plus plain-SQL access
 * (statements both engines accept) to seed rows the test is not about and to read rows back.
 */
export interface EngineStore {
  readonly engine: AttendStore['engine']
  readonly port: AttendStore
  exec(sql: string): Promise<void>
  all<R>(sql: string): Promise<R[]>
}

export interface EngineOptions {
  /** The site zone written before each test (default UTC; week off sat, sun on both engines). */
  timezone?: string
  /** "Now" of the SQLite group commit's transactions. */
  now?: () => number
}

const SITE_NOW = Date.UTC(2026, 0, 1)

function siteSettingsSql(timezone: string): string {
  const rows = [
    ['timezone', JSON.stringify(timezone)],
    ['weekOff', JSON.stringify(['sat', 'sun'])],
  ]
  return `INSERT INTO settings (key, value, updated_at) VALUES ${rows.map(([key, value]) => `('${key}', '${value}', ${SITE_NOW})`).join(', ')}`
}

/**
 * `describe` run once per engine: on a fresh SQLite file per test, and (unless the PostgreSQL suite
 * is skipped) on a PostgreSQL database of its own, emptied after each test. Service tests written
 * with it hold both adapters of the store port (docs/architecture.md, "The store port") to the same
 * behaviour. Read `store()` inside tests and hooks.
 */
export function describeEngines(name: string, body: (store: () => EngineStore) => void, options: EngineOptions = {}): void {
  describe(`${name} (SQLite)`, () => {
    let sqlite: Store & {cleanup: () => void}
    let current: EngineStore
    beforeEach(() => {
      sqlite = testStore({timezone: options.timezone})
      const writes = new GroupCommit(sqlite, {now: options.now ?? (() => Date.now())})
      current = {
        engine: 'sqlite',
        port: sqliteAttendStore(sqlite, writes),
        exec: async (sql) => void sqlite.sqlite.exec(sql),
        all: async <R>(sql: string) => sqlite.sqlite.prepare(sql).all() as R[],
      }
    })
    afterEach(() => sqlite.cleanup())
    body(() => current)
  })

  describePg(`${name} (PostgreSQL)`, () => {
    const database = usePgDatabase()
    let pgDatabase: PgDatabase
    let current: EngineStore
    beforeAll(async () => {
      pgDatabase = await openPgDatabase(database.url)
      current = {
        engine: 'postgres',
        port: pgAttendStore(pgDatabase),
        exec: async (sql) => void (await pgDatabase.pool.query(sql)),
        all: async <R>(sql: string) => (await pgDatabase.pool.query(sql)).rows as R[],
      }
    })
    beforeEach(async () => {
      await pgDatabase.pool.query(siteSettingsSql(options.timezone ?? 'UTC'))
    })
    afterEach(async () => {
      // Every table but the revision rows the migration created (the triggers keep moving them).
      const {rows} = await pgDatabase.pool.query<{tablename: string}>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'store_revisions'",
      )
      await pgDatabase.pool.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`)
    })
    afterAll(async () => {
      await pgDatabase?.close()
    })
    body(() => current)
  })
}
