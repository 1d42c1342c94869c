import {openStore} from '../db/open.js'
import {GroupCommit} from './sqlite/group-commit.js'
import type {AttendStore} from './port.js'
import {sqliteAttendStore} from './sqlite/port.js'

/**
 * An empty in-memory store behind the port, with the default settings and no punches: what a dry
 * run reads when the store it names does not exist yet, so a dry run never creates a file.
 * `close()` drops it.
 */
export function scratchAttendStore(now: () => number = () => Date.now()): AttendStore {
  const store = openStore(':memory:')
  return {...sqliteAttendStore(store, new GroupCommit(store, {now})), close: async () => store.close()}
}
