import path from 'node:path'

import {openStore, type Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {lazyAttendStore} from '../../src/store/lazy.js'
import {type AttendStore} from '../../src/store/port.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {tempDir} from './cli.js'

/** A real SQLite file in a temp directory, migrated, with site settings; for service-level tests. */
export function testStore(settings: {timezone?: string} = {}): Store & {dir: string; cleanup: () => void} {
  const {dir, cleanup} = tempDir()
  const store = openStore(path.join(dir, 'attend.db'))
  writeSettings(store, {timezone: settings.timezone ?? 'UTC', weekOff: ['sat', 'sun']}, Date.UTC(2026, 0, 1))
  return Object.assign(store, {
    dir,
    cleanup: () => {
      store.close()
      cleanup()
    },
  })
}

/** Opens the store at `file` for `fn` and closes it again, as a separate CLI process would. */
export function withStoreAt<T>(file: string, fn: (store: Store) => T): T {
  const store = openStore(file)
  try {
    return fn(store)
  } finally {
    store.close()
  }
}

/** The store port over an open SQLite store, for calling port services from a SQLite test. */
export function portOf(store: Store, now: () => number = () => Date.now()): AttendStore {
  return sqliteAttendStore(store, new GroupCommit(store, {now}))
}

/**
 * The port over `store` opened lazily, as a command's is: `opened()` says whether any operation
 * reached the store, so a test can show bad input is refused before the store is touched.
 */
export function lazyPortOf(store: Store): AttendStore & {opened(): boolean} {
  return lazyAttendStore('sqlite', async () => portOf(store))
}

/** A port that fails if anything opens it: for services that must refuse bad input first. */
export function unopenedPort(): AttendStore {
  return lazyAttendStore('sqlite', async () => {
    throw new Error('store opened')
  })
}
