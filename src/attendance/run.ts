import type {Store} from '../db/open.js'
import {requireDepartment, requireEmployee} from '../store/sqlite/directory/employees.js'
import {UsageError} from '../errors.js'
import {readSettings} from '../settings/settings.js'
import {addDays} from '../time/calendar.js'
import {LocalClock} from '../time/local-clock.js'
import {recomputeRange, type ProgressListener, type RecomputeResult} from './recompute.js'
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
export function runRecompute(openStore: () => Store, request: RecomputeRequest, now: number, onProgress?: ProgressListener): RecomputeResult {
  if (request.employee !== undefined && request.department !== undefined) {
    throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  }
  const range = parseDateRange(request.from, request.to)
  const store = openStore()
  const today = LocalClock.for(readSettings(store).timezone).dateOf(now)
  const to = range.to ?? today
  const from = range.from ?? addDays(to, -(DEFAULT_RECOMPUTE_DAYS - 1))
  if (from > to) throw new UsageError(`--from ${from} is after the end of the range ${to}.`, 'invalid_range')
  const employeeIds = request.employee === undefined ? undefined : [requireEmployee(store, request.employee).id]
  const department = request.department === undefined ? undefined : requireDepartment(store, request.department)
  return recomputeRange(store, {from, to, employeeIds, department}, now, onProgress)
}
