import {recomputeAffected} from '../attendance/affected.js'
import {addDays} from '../time/calendar.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {shiftAssignments} from '../db/schema.js'
import type {Employee} from '../employees/query.js'
import {requireEmployee} from '../store/sqlite/directory/employees.js'
import {UsageError} from '../errors.js'
import {assignmentsWhere, requireShift, type AssignmentView} from './service.js'
import {parseDateRange} from '../time/date-input.js'

export interface AssignInput {
  employee?: string
  department?: string
  from?: string
  to?: string
}

export interface AssignResult {
  assignment: AssignmentView
  recomputed: RecomputeResult | null
}


/** Who an assignment is for, checked: exactly one of an employee and a department. */
export interface AssignmentTarget {
  employee: Employee | null
  department: string | null
}

export function parseTarget(input: {employee?: string; department?: string}): void {
  if ((input.employee === undefined) === (input.department === undefined)) {
    throw new UsageError('Pass exactly one of --employee CODE or --department NAME.', 'invalid_target')
  }
  if (input.department !== undefined && !input.department.trim()) throw new UsageError('--department cannot be empty.', 'invalid_target')
}

export function resolveTarget(store: Store, input: {employee?: string; department?: string}): AssignmentTarget {
  return {employee: input.employee === undefined ? null : requireEmployee(store, input.employee), department: input.department?.trim() ?? null}
}

/** The recompute scope of an assignment's target. */
export function targetScope(target: {employeeId: number | null; department: string | null}): {employeeIds: number[]} | {department: string} {
  return target.employeeId !== null ? {employeeIds: [target.employeeId]} : {department: target.department!}
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
