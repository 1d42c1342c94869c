import type {Store} from '../../../db/open.js'
import type {Writes} from '../writes.js'
import type {SchedulesSection} from '../../schedules.js'
import {assignShift} from './assign.js'
import {endAssignment, listAssignments} from './assignments.js'
import {addRoster, assignRoster, listRosters, removeRoster, showRoster, updateRoster} from './rosters.js'
import {addShift, listShifts, removeShift, showShift, updateShift} from './shifts.js'

/**
 * Schedules on SQLite: the synchronous services, each write (with the recompute it implies) one
 * job of `writes`, the command's or the server's group commit.
 */
export function sqliteSchedules(store: Store, writes: Writes): SchedulesSection {
  const open = () => store
  return {
    listShifts: async () => listShifts(open),
    showShift: async (name) => showShift(open, name),
    addShift: (name, input, now) => writes.run(() => addShift(open, name, input, now)),
    updateShift: (name, input, now) => writes.run(() => updateShift(open, name, input, now)),
    removeShift: (name, now) => writes.run(() => removeShift(open, name, now)),
    listAssignments: async (filter) => listAssignments(open, filter),
    assignShift: (name, input, now) => writes.run(() => assignShift(open, name, input, now)),
    endAssignment: (id, options, now) => writes.run(() => endAssignment(open, id, options, now)),
    listRosters: async () => listRosters(open),
    showRoster: async (name) => showRoster(open, name),
    addRoster: (name, input, now) => writes.run(() => addRoster(open, name, input, now)),
    updateRoster: (name, input, now) => writes.run(() => updateRoster(open, name, input, now)),
    removeRoster: (name, now) => writes.run(() => removeRoster(open, name, now)),
    assignRoster: (name, input, now) => writes.run(() => assignRoster(open, name, input, now)),
  }
}
