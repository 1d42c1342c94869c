import {recomputeAffected} from '../attendance/affected.js'
import {addDays} from '../../../time/calendar.js'
import type {Store} from '../../../db/open.js'
import {shiftAssignments} from '../../../db/schema.js'
import type {Employee} from '../../../employees/query.js'
import {requireEmployee} from '../directory/employees.js'
import {targetScope, type AssignResult} from '../../../shifts/view.js'
import type {AssignInput} from '../../../shifts/view.js'
import {parseTarget} from '../../../shifts/view.js'
import {assignmentsWhere, requireShift} from './shifts.js'
import {parseDateRange} from '../../../time/date-input.js'

/** Who an assignment is for, checked: exactly one of an employee and a department. */
export interface AssignmentTarget {
  employee: Employee | null
  department: string | null
}

export function resolveTarget(store: Store, input: {employee?: string; department?: string}): AssignmentTarget {
  return {employee: input.employee === undefined ? null : requireEmployee(store, input.employee), department: input.department?.trim() ?? null}
}

/**
 * Stores an assignment of a shift or a roster and recomputes the days it affects: its range (an open
 * end: from the earliest stored day up to today), and the day before it, whose punches near
 * midnight the new schedule may now claim (docs/architecture.md, "Handover").
 */
export function insertAssignment(
  store: Store,
  schedule: {shiftId: number} | {rosterId: number},
  target: AssignmentTarget,
  range: {from: string | null; to: string | null},
  now: number,
): AssignResult {
  return store.transaction(() => {
    const row = store.db
      .insert(shiftAssignments)
      .values({
        shiftId: 'shiftId' in schedule ? schedule.shiftId : null,
        rosterId: 'rosterId' in schedule ? schedule.rosterId : null,
        employeeId: target.employee?.id ?? null,
        department: target.department,
        fromDate: range.from,
        toDate: range.to,
        createdAt: now,
      })
      .returning()
      .get()
    const recomputed = recomputeAffected(
      store,
      {...targetScope({employeeId: row.employeeId, department: row.department}), from: range.from && addDays(range.from, -1), to: range.to},
      now,
    )
    return {assignment: assignmentsWhere(store, 'a.id = ?', [row.id])[0], recomputed}
  })
}

/**
 * Assigns a shift to one employee or a whole department, optionally for a date range, and
 * recomputes the days it affects.
 */
export function assignShift(openStore: () => Store, name: string, input: AssignInput, now: number): AssignResult {
  parseTarget(input)
  const range = parseDateRange(input.from, input.to)
  const store = openStore()
  const shift = requireShift(store, name)
  return insertAssignment(store, {shiftId: shift.id}, resolveTarget(store, input), range, now)
}
