import {recomputeAffected} from '../attendance/affected.js'
import type {Store} from '../../../db/open.js'
import {requireDepartment, requireEmployee} from '../directory/employees.js'
import {NotFoundError, UsageError} from '../../../errors.js'
import {readSettings} from '../settings.js'
import {addDays} from '../../../time/calendar.js'
import {LocalClock} from '../../../time/local-clock.js'
import {targetScope, type AssignmentEnd, type AssignmentFilter, type AssignmentListing} from '../../../shifts/view.js'
import {assignmentsWhere, requireShift} from './shifts.js'
import {parseDate} from '../../../time/date-input.js'

/**
 * Assignments, oldest first. For one employee: their own and their department's, since both decide
 * their schedule (their own wins, then the newest; see shiftResolver).
 */
export function listAssignments(openStore: () => Store, filter: AssignmentFilter): AssignmentListing[] {
  if (filter.employee !== undefined && filter.department !== undefined) throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  const store = openStore()
  const where: string[] = []
  const params: (string | number)[] = []
  if (filter.employee !== undefined) {
    const employee = requireEmployee(store, filter.employee)
    where.push('(a.employee_id = ? OR (a.department IS NOT NULL AND a.department = ? COLLATE NOCASE))')
    params.push(employee.id, employee.department ?? '')
  }
  if (filter.department !== undefined) {
    where.push('a.department = ? COLLATE NOCASE')
    params.push(requireDepartment(store, filter.department))
  }
  if (filter.shift !== undefined) {
    where.push('a.shift_id = ?')
    params.push(requireShift(store, filter.shift).id)
  }
  return assignmentsWhere(store, where.join(' AND '), params).map((a) => ({...a, via: a.employeeCode ? 'employee' : 'department'}))
}

interface StoredAssignment {
  id: number
  employeeId: number | null
  department: string | null
  fromDate: string | null
  toDate: string | null
}

function requireAssignment(store: Store, text: string): StoredAssignment {
  const id = Number(text)
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`Invalid assignment id "${text}": expected the number shown by attend shifts assignments.`, 'invalid_id')
  const row = store.sqlite
    .prepare('SELECT id, employee_id AS employeeId, department, from_date AS fromDate, to_date AS toDate FROM shift_assignments WHERE id = ?')
    .get(id) as StoredAssignment | undefined
  if (!row) throw new NotFoundError(`No assignment with id ${id}: see attend shifts assignments.`)
  return row
}

/**
 * Ends an assignment on a date (its last day; default today): from the next day the employee's
 * next schedule applies — an older assignment, their department's, or the default shift. `--to`
 * may also move an end later. `remove` deletes it outright, as if it had never been made. The
 * days between the old and the new end are recomputed, with the day at the boundary, whose
 * punches the next schedule may now claim.
 */
export function endAssignment(openStore: () => Store, id: string, options: {to?: string; remove?: boolean}, now: number): AssignmentEnd {
  if (options.remove && options.to !== undefined) throw new UsageError('Pass --to DATE to end the assignment, or --delete to remove it, not both.', 'invalid_target')
  const newTo = options.to === undefined ? undefined : parseDate(options.to, '--to')
  const store = openStore()
  const row = requireAssignment(store, id)
  const view = assignmentsWhere(store, 'a.id = ?', [row.id])[0]
  const scope = targetScope(row)
  return store.transaction(() => {
    if (options.remove) {
      store.sqlite.prepare('DELETE FROM shift_assignments WHERE id = ?').run(row.id)
      const recomputed = recomputeAffected(store, {...scope, from: row.fromDate && addDays(row.fromDate, -1), to: row.toDate && addDays(row.toDate, 1)}, now)
      return {assignment: view, previousTo: row.toDate, deleted: true, recomputed}
    }
    const to = newTo ?? LocalClock.for(readSettings(store).timezone).dateOf(now)
    if (row.fromDate && to < row.fromDate) {
      throw new UsageError(
        `Assignment ${row.id} starts on ${row.fromDate}, after --to ${to}: to undo it entirely, use attend shifts unassign ${row.id} --delete.`,
        'invalid_range',
      )
    }
    store.sqlite.prepare('UPDATE shift_assignments SET to_date = ? WHERE id = ?').run(to, row.id)
    const earlier = row.toDate !== null && row.toDate < to ? row.toDate : to
    const later = row.toDate === null ? null : row.toDate > to ? row.toDate : to
    const recomputed = recomputeAffected(store, {...scope, from: earlier, to: later && addDays(later, 1)}, now)
    return {assignment: {...view, to}, previousTo: row.toDate, deleted: false, recomputed}
  })
}
