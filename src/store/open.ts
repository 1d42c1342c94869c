import type {StoreLocation} from '../db/location.js'
import type {Store} from '../db/open.js'
import {GroupCommit} from '../server/group-commit.js'
import {openPgAttendStore} from './pg/port.js'
import type {AttendStore} from './port.js'
import {sqliteAttendStore} from './sqlite/port.js'

export interface PortContext {
  /** The process's SQLite store at the location (opened by the caller, who closes it). */
  sqliteStore: () => Store
  /** "Now" of the SQLite group commit's transactions. */
  now: () => number
}

type Engines = {[E in StoreLocation['engine']]: (location: Extract<StoreLocation, {engine: E}>, context: PortContext) => Promise<AttendStore>}

/** How each engine's port is opened: a new engine is one entry here. */
const engines: Engines = {
  sqlite: async (_location, context) => {
    const store = context.sqliteStore()
    return sqliteAttendStore(store, new GroupCommit(store, {now: context.now}))
  },
  postgres: (location) => openPgAttendStore(location.url),
}

/** The store port at `location`, whichever engine holds it. */
export function openAttendStore(location: StoreLocation, context: PortContext): Promise<AttendStore> {
  const open = engines[location.engine] as (location: StoreLocation, context: PortContext) => Promise<AttendStore>
  return open(location, context)
}
