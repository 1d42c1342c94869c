import type {Store} from '../../../db/open.js'
import {readSettings} from '../settings.js'
import {addDays} from '../../../time/calendar.js'
import {LocalClock} from '../../../time/local-clock.js'
import {recomputeRange, type RecomputeResult} from './recompute.js'

/**
 * Recomputes after a change to the rules (a shift, an assignment, a holiday, a leave, the default
 * shift). An open end is bounded by the data: from the earliest attendance day or punch of the
 * employees in scope, up to the site's today — nothing before has anything to recompute.
 */
export function recomputeAffected(
  store: Store,
  scope: {employeeIds?: number[]; department?: string; from?: string | null; to?: string | null},
  now: number,
): RecomputeResult | null {
  const today = LocalClock.for(readSettings(store).timezone).dateOf(now)
  const from = scope.from ?? earliestDate(store, scope)
  if (!from) return null
  const to = scope.to && scope.to < today ? scope.to : today
  if (from > to) return null
  return recomputeRange(store, {from, to, employeeIds: scope.employeeIds, department: scope.department}, now)
}

/** Recomputes the days that used a shift (and their neighbours, whose punches it may have claimed). */
export function recomputeShiftDays(store: Store, shiftId: number, now: number): RecomputeResult | null {
  const rows = store.sqlite
    .prepare('SELECT employee_id AS employeeId, MIN(date) AS first, MAX(date) AS last FROM attendance_days WHERE shift_id = ? GROUP BY employee_id')
    .all(shiftId) as {employeeId: number; first: string; last: string}[]
  if (rows.length === 0) return null
  const first = rows.reduce((min, r) => (r.first < min ? r.first : min), rows[0].first)
  const last = rows.reduce((max, r) => (r.last > max ? r.last : max), rows[0].last)
  return recomputeRange(store, {from: addDays(first, -1), to: addDays(last, 1), employeeIds: rows.map((r) => r.employeeId)}, now)
}

function earliestDate(store: Store, scope: {employeeIds?: number[]; department?: string}): string | null {
  const {where, params} = employeeFilter(scope)
  const day = store.sqlite.prepare(`SELECT MIN(date) AS d FROM attendance_days WHERE employee_id IN (${where})`).get(...params) as {d: string | null}
  const punch = store.sqlite.prepare(`SELECT MIN(instant) AS i FROM punches WHERE employee_id IN (${where})`).get(...params) as {i: number | null}
  const punchDate = punch.i === null ? null : addDays(LocalClock.for(readSettings(store).timezone).dateOf(punch.i), -1)
  if (day.d === null) return punchDate
  if (punchDate === null) return day.d
  return day.d < punchDate ? day.d : punchDate
}

function employeeFilter(scope: {employeeIds?: number[]; department?: string}): {where: string; params: (string | number)[]} {
  if (scope.employeeIds) {
    return {where: scope.employeeIds.map(() => '?').join(',') || 'NULL', params: scope.employeeIds}
  }
  if (scope.department !== undefined) return {where: 'SELECT id FROM employees WHERE department = ? COLLATE NOCASE', params: [scope.department]}
  return {where: 'SELECT id FROM employees', params: []}
}
