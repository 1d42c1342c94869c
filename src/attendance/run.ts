import {UsageError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {addDays} from '../time/calendar.js'
import {LocalClock} from '../time/local-clock.js'
import type {ProgressListener, RecomputeResult} from './recompute-result.js'
import {parseDateRange} from '../time/date-input.js'

export interface RecomputeRequest {
  from?: string
  to?: string
  employee?: string
  department?: string
}

/** Days recomputed when no range is given: the last 31, today included. */
export const DEFAULT_RECOMPUTE_DAYS = 31

/** `attend recompute`: resolves flags (default range, employee code) and recomputes. */
export async function runRecompute(store: AttendStore, request: RecomputeRequest, now: number, onProgress?: ProgressListener): Promise<RecomputeResult> {
  if (request.employee !== undefined && request.department !== undefined) {
    throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  }
  const range = parseDateRange(request.from, request.to)
  const target = await store.attendance.target({employee: request.employee, department: request.department})
  const today = LocalClock.for(target.timezone).dateOf(now)
  const to = range.to ?? today
  const from = range.from ?? addDays(to, -(DEFAULT_RECOMPUTE_DAYS - 1))
  if (from > to) throw new UsageError(`--from ${from} is after the end of the range ${to}.`, 'invalid_range')
  const employeeIds = target.employee === undefined ? undefined : [target.employee.id]
  return store.attendance.recompute({from, to, employeeIds, department: target.department}, now, onProgress)
}
