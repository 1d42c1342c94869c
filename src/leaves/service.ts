import type {RecomputeResult} from '../attendance/recompute-result.js'
import type {DayHalf} from '../attendance/engine/types.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {parseHalf} from '../attendance/half-day.js'
import type {NewLeave} from '../store/directory.js'
import type {AttendStore} from '../store/port.js'
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
 * The leave among an employee's overlapping ones that `leave` may not be added beside, as the
 * error to report: leaves of one employee never overlap, except the two halves of one date.
 */
export function leaveConflict(
  employee: {code: string},
  leave: Pick<NewLeave, 'from' | 'to' | 'half'>,
  overlaps: readonly {from: string; to: string; half: DayHalf | null}[],
): ConflictError | undefined {
  const overlap = overlaps.find((o) => !(leave.half && o.half && o.half !== leave.half))
  if (!overlap) return undefined
  const existing = overlap.half ? `on ${overlap.half}-half leave on ${overlap.from}` : `on leave from ${overlap.from} to ${overlap.to}`
  return new ConflictError(`${employee.code} is already ${existing}, which overlaps ${leave.from === leave.to ? leave.from : `${leave.from} to ${leave.to}`}.`)
}

export function noLeave(id: number): NotFoundError {
  return new NotFoundError(`No leave with id ${id}: see attend leaves list.`)
}

/** The WHERE clause of `leaves list` (alias l), with each engine's placeholder (`?`, `$1`). */
export function leaveFilterSql(
  filter: {employeeId?: number; from?: string; to?: string},
  placeholder: (n: number) => string,
): {where: string; params: (string | number)[]} {
  const clauses: string[] = []
  const params: (string | number)[] = []
  const condition = (clause: string, value: string | number) => {
    params.push(value)
    clauses.push(`${clause} ${placeholder(params.length)}`)
  }
  if (filter.employeeId !== undefined) condition('l.employee_id =', filter.employeeId)
  if (filter.from) condition('l.to_date >=', filter.from)
  if (filter.to) condition('l.from_date <=', filter.to)
  return {where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params}
}

/**
 * Records leave over whole days, or half a day (`half`: first or second) on one date. Leaves of
 * one employee never overlap, except the two halves of one date (which make a whole day off).
 */
export async function addLeave(
  store: AttendStore,
  code: string,
  input: {from?: string; to?: string; type?: string; note?: string; half?: string},
  now: number,
): Promise<LeaveChange> {
  if (input.from === undefined || input.to === undefined) throw new UsageError('A leave needs both --from and --to (YYYY-MM-DD).', 'missing_dates')
  const range = parseDateRange(input.from, input.to) as {from: string; to: string}
  const half = parseHalf(input.half, '--half')
  if (half && range.from !== range.to) {
    throw new UsageError(`A half-day leave covers one date: --from and --to must be the same, not ${range.from} and ${range.to}.`, 'invalid_range')
  }
  return store.directory.addLeave(code, {...range, half, type: input.type?.trim() || null, note: input.note?.trim() || null}, now)
}

export async function listLeaves(store: AttendStore, filter: {employee?: string; from?: string; to?: string}): Promise<LeaveView[]> {
  const range = parseDateRange(filter.from, filter.to)
  return store.directory.listLeaves({employee: filter.employee, from: range.from ?? undefined, to: range.to ?? undefined})
}

/** Cancels a leave by id (from `leaves list`); its days are recomputed. */
export async function removeLeave(store: AttendStore, id: string, now: number): Promise<LeaveChange> {
  const leaveId = Number(id)
  if (!Number.isInteger(leaveId) || leaveId <= 0) throw new UsageError(`Invalid leave id "${id}": expected the number shown by attend leaves list.`, 'invalid_id')
  return store.directory.removeLeave(leaveId, now)
}
