import {UsageError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {parseDate} from '../time/date-input.js'
import type {AssignmentEnd, AssignmentFilter, AssignmentListing} from './view.js'

export type {AssignmentEnd, AssignmentFilter, AssignmentListing} from './view.js'

/**
 * Assignments, oldest first. For one employee: their own and their department's, since both decide
 * their schedule (their own wins, then the newest; see shiftResolver).
 */
export async function listAssignments(store: AttendStore, filter: AssignmentFilter): Promise<AssignmentListing[]> {
  if (filter.employee !== undefined && filter.department !== undefined) throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  return store.schedules.listAssignments(filter)
}

/**
 * Ends an assignment on a date (its last day; default today): from the next day the employee's
 * next schedule applies. `remove` deletes it outright, as if it had never been made. The days
 * between the old and the new end are recomputed in the same unit of work.
 */
export async function endAssignment(store: AttendStore, id: string, options: {to?: string; remove?: boolean}, now: number): Promise<AssignmentEnd> {
  if (options.remove && options.to !== undefined) throw new UsageError('Pass --to DATE to end the assignment, or --delete to remove it, not both.', 'invalid_target')
  if (options.to !== undefined) parseDate(options.to, '--to')
  return store.schedules.endAssignment(id, options, now)
}
