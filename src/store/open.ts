import type {StoreLocation} from '../db/location.js'
import {openStore, type Store} from '../db/open.js'
import {openPgDatabase} from '../db/pg/open.js'
import {GroupCommit} from './sqlite/group-commit.js'
import {openPgAttendStore, pgAttendStore} from './pg/port.js'
import type {AttendStore} from './port.js'
import {sqliteAttendStore} from './sqlite/port.js'

export interface PortContext {
  /** The process's SQLite store at the location (opened by the caller, who closes it). */
  sqliteStore: () => Store
  /** "Now" of the SQLite group commit's transactions. */
  now: () => number
  /** Where the SQLite group commit reports work it deferred past a commit and could not do (the server's log). */
  onDeferredError?: (error: unknown, what: string) => void
}

type Engines = {[E in StoreLocation['engine']]: (location: Extract<StoreLocation, {engine: E}>, context: PortContext) => Promise<AttendStore>}

/** How each engine's port is opened: a new engine is one entry here. */
const engines: Engines = {
  sqlite: async (_location, context) => {
    const store = context.sqliteStore()
    return sqliteAttendStore(store, new GroupCommit(store, {now: context.now, onDeferredError: context.onDeferredError}))
  },
  postgres: (location) => openPgAttendStore(location.url),
}

/** The store port at `location`, whichever engine holds it. */
export function openAttendStore(location: StoreLocation, context: PortContext): Promise<AttendStore> {
  const open = engines[location.engine] as (location: StoreLocation, context: PortContext) => Promise<AttendStore>
  return open(location, context)
}

/**
 * A reader's own port on the store at `location`, for a thread that only reads (the report
 * thread): a read-only SQLite connection (the group commit it is given is never used), or a
 * PostgreSQL pool of `poolSize` connections of its own, so a big report never takes the connections
 * the server's requests and /health use. The server has migrated the store already.
 */
export async function openReaderAttendStore(location: StoreLocation, poolSize = 2): Promise<AttendStore> {
  if (location.engine === 'postgres') {
    const database = await openPgDatabase(location.url, {max: poolSize, migrate: false})
    return {...pgAttendStore(database), close: () => database.close()}
  }
  const store = openStore(location.path, {readonly: true})
  return {...sqliteAttendStore(store, new GroupCommit(store)), close: async () => store.close()}
}
