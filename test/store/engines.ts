import path from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach} from 'vitest'

import {openStore, type Store} from '../../src/db/open.js'
import {openPgDatabase, type PgDatabase} from '../../src/db/pg/open.js'
import {testStore} from '../helpers/store.js'
import {usePgDatabase} from '../helpers/pg.js'

/**
 * The stores a contract test of the store port runs on: `first` (the test's own process) and
 * `second` (another process on the same store: its own connections), with `all` to read rows back
 * with plain SQL both engines take. Read them inside tests and hooks.
 */
export interface ContractStores<T> {
  readonly first: T
  readonly second: T
  all<R>(sql: string): Promise<R[]>
}

/** A fresh SQLite file per test, opened twice; `seed` runs on it first. */
export function useSqliteStores(seed?: string): ContractStores<Store> {
  let first: ReturnType<typeof testStore>
  let second: Store
  beforeEach(() => {
    first = testStore()
    if (seed) first.sqlite.exec(seed)
    second = openStore(path.join(first.dir, 'attend.db'))
  })
  afterEach(() => {
    second.close()
    first.cleanup()
  })
  return {
    get first() {
      return first
    },
    get second() {
      return second
    },
    all: async <R>(sql: string) => first.sqlite.prepare(sql).all() as R[],
  }
}

/**
 * A fresh PostgreSQL database per test file, opened with two pools; `seed` runs before each test and
 * `clear` after it (the database outlives the tests of its file).
 */
export function usePgStores(options: {seed?: string; clear: string}): ContractStores<PgDatabase> {
  const database = usePgDatabase()
  let first: PgDatabase
  let second: PgDatabase
  beforeAll(async () => {
    first = await openPgDatabase(database.url)
    second = await openPgDatabase(database.url)
  })
  beforeEach(async () => {
    if (options.seed) await first.pool.query(options.seed)
  })
  afterEach(async () => {
    await first.pool.query(options.clear)
  })
  afterAll(async () => {
    await first?.close()
    await second?.close()
  })
  return {
    get first() {
      return first
    },
    get second() {
      return second
    },
    all: async <R>(sql: string) => (await first.pool.query(sql)).rows as R[],
  }
}
