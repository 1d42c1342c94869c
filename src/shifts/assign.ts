import {recomputeAffected} from '../attendance/affected.js'
import {isValidDate} from '../time/calendar.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {shiftAssignments} from '../db/schema.js'
import {requireEmployee} from '../employees/service.js'
import {UsageError} from '../errors.js'
import {requireShift, type AssignmentView} from './service.js'

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

export function parseDateFlag(text: string, what: string): string {
  const trimmed = text.trim()
  if (!isValidDate(trimmed)) throw new UsageError(`Invalid ${what} "${text}": expected a date YYYY-MM-DD such as 2026-03-02.`, 'invalid_date')
  return trimmed
}

/** Checks an optional --from/--to pair, naming the flag at fault. */
export function parseDateRange(from: string | undefined, to: string | undefined): {from: string | null; to: string | null} {
  const start = from === undefined ? null : parseDateFlag(from, '--from')
  const end = to === undefined ? null : parseDateFlag(to, '--to')
  if (start && end && end < start) throw new UsageError(`--to ${end} is before --from ${start}.`, 'invalid_range')
  return {from: start, to: end}
}

/**
 * Assigns a shift to one employee or a whole department, optionally for a date range, and
 * recomputes the days it affects (an open range: from the earliest stored day up to today).
 */
export function assignShift(openStore: () => Store, name: string, input: AssignInput, now: number): AssignResult {
  if ((input.employee === undefined) === (input.department === undefined)) {
    throw new UsageError('Pass exactly one of --employee CODE or --department NAME.', 'invalid_target')
  }
  if (input.department !== undefined && !input.department.trim()) throw new UsageError('--department cannot be empty.', 'invalid_target')
  const range = parseDateRange(input.from, input.to)
  const store = openStore()
  const shift = requireShift(store, name)
  const employee = input.employee === undefined ? null : requireEmployee(store, input.employee)
  const department = input.department?.trim() ?? null
  return store.transaction(() => {
    const row = store.db
      .insert(shiftAssignments)
      .values({shiftId: shift.id, employeeId: employee?.id ?? null, department, fromDate: range.from, toDate: range.to, createdAt: now})
      .returning()
      .get()
    const recomputed = recomputeAffected(
      store,
      {...(employee ? {employeeIds: [employee.id]} : {department: department!}), from: range.from, to: range.to},
      now,
    )
    return {
      assignment: {
        id: row.id,
        shift: shift.name,
        employeeCode: employee?.code ?? null,
        employeeName: employee?.name ?? null,
        department,
        from: range.from,
        to: range.to,
      },
      recomputed,
    }
  })
}
