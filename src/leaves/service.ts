import {recomputeAffected} from '../attendance/affected.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {leaves} from '../db/schema.js'
import {requireEmployee} from '../employees/service.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import type {DayHalf} from '../attendance/engine/types.js'
import {parseHalf} from '../attendance/half-day.js'
import {parseDateRange} from '../time/date-input.js'

export interface LeaveView {
  id: number
  employeeCode: string
  employeeName: string
  from: string
  to: string
  type: string | null
  note: string | null
  /** first | second: half a day of leave on one date; null = whole days. */
  half: DayHalf | null
}

export interface LeaveChange {
  leave: LeaveView
  recomputed: RecomputeResult | null
}

/**
 * Records leave over whole days, or half a day (`half`: first or second) on one date. Leaves of
 * one employee never overlap, except the two halves of one date (which make a whole day off).
 */
export function addLeave(
  openStore: () => Store,
  code: string,
  input: {from?: string; to?: string; type?: string; note?: string; half?: string},
  now: number,
): LeaveChange {
  if (input.from === undefined || input.to === undefined) throw new UsageError('A leave needs both --from and --to (YYYY-MM-DD).', 'missing_dates')
  const range = parseDateRange(input.from, input.to) as {from: string; to: string}
  const half = parseHalf(input.half, '--half')
  if (half && range.from !== range.to) {
    throw new UsageError(`A half-day leave covers one date: --from and --to must be the same, not ${range.from} and ${range.to}.`, 'invalid_range')
  }
  const type = input.type?.trim() || null
  const store = openStore()
  const employee = requireEmployee(store, code)
  return store.transaction(() => {
    const overlaps = store.sqlite
      .prepare('SELECT from_date AS "from", to_date AS "to", half FROM leaves WHERE employee_id = ? AND from_date <= ? AND to_date >= ?')
      .all(employee.id, range.to, range.from) as {from: string; to: string; half: DayHalf | null}[]
    const overlap = overlaps.find((o) => !(half && o.half && o.half !== half))
    if (overlap) {
      const existing = overlap.half ? `on ${overlap.half}-half leave on ${overlap.from}` : `on leave from ${overlap.from} to ${overlap.to}`
      throw new ConflictError(`${employee.code} is already ${existing}, which overlaps ${range.from === range.to ? range.from : `${range.from} to ${range.to}`}.`)
    }
    const row = store.db
      .insert(leaves)
      .values({employeeId: employee.id, fromDate: range.from, toDate: range.to, type, note: input.note?.trim() || null, half, createdAt: now})
      .returning()
      .get()
    const recomputed = recomputeAffected(store, {employeeIds: [employee.id], from: range.from, to: range.to}, now)
    return {
      leave: {id: row.id, employeeCode: employee.code, employeeName: employee.name, from: row.fromDate, to: row.toDate, type: row.type, note: row.note, half: row.half},
      recomputed,
    }
  })
}

export function listLeaves(openStore: () => Store, filter: {employee?: string; from?: string; to?: string}): LeaveView[] {
  const range = parseDateRange(filter.from, filter.to)
  const store = openStore()
  const employee = filter.employee === undefined ? null : requireEmployee(store, filter.employee)
  const where: string[] = []
  const params: (string | number)[] = []
  const condition = (clause: string, value: string | number) => {
    where.push(clause)
    params.push(value)
  }
  if (employee) condition('l.employee_id = ?', employee.id)
  if (range.from) condition('l.to_date >= ?', range.from)
  if (range.to) condition('l.from_date <= ?', range.to)
  return store.sqlite
    .prepare(
      `SELECT l.id, e.code AS employeeCode, e.name AS employeeName, l.from_date AS "from", l.to_date AS "to", l.type, l.note, l.half
       FROM leaves l JOIN employees e ON e.id = l.employee_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY l.from_date, e.code`,
    )
    .all(...params) as LeaveView[]
}

/** Cancels a leave by id (from `leaves list`); its days are recomputed. */
export function removeLeave(openStore: () => Store, id: string, now: number): LeaveChange {
  const leaveId = Number(id)
  if (!Number.isInteger(leaveId) || leaveId <= 0) throw new UsageError(`Invalid leave id "${id}": expected the number shown by attend leaves list.`, 'invalid_id')
  const store = openStore()
  return store.transaction(() => {
    const leave = store.sqlite
      .prepare(
        `SELECT l.id, l.employee_id AS employeeId, e.code AS employeeCode, e.name AS employeeName, l.from_date AS "from", l.to_date AS "to", l.type, l.note,
           l.half
         FROM leaves l JOIN employees e ON e.id = l.employee_id WHERE l.id = ?`,
      )
      .get(leaveId) as (LeaveView & {employeeId: number}) | undefined
    if (!leave) throw new NotFoundError(`No leave with id ${leaveId}: see attend leaves list.`)
    store.sqlite.prepare('DELETE FROM leaves WHERE id = ?').run(leaveId)
    const recomputed = recomputeAffected(store, {employeeIds: [leave.employeeId], from: leave.from, to: leave.to}, now)
    const {employeeId: _employeeId, ...view} = leave
    return {leave: view, recomputed}
  })
}
