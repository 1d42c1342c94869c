import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import type {AttendStore} from '../../src/store/port.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'

/** The store port over an open SQLite test store, with a group commit of its own (as a command has). */
export function sqlitePort(store: Store, now: () => number = () => Date.now()): AttendStore {
  return sqliteAttendStore(store, new GroupCommit(store, {now}))
}
