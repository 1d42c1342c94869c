import {addDays, type DayRecord} from './engine/index.js'
import type {EmployeeRow, Target} from './compute.js'
import type {SiteContext} from './site.js'

/**
 * Stale days settled in memory, for readers that must not write. A day nobody punched on has no
 * record until a recompute runs (ingest recomputes only the days its punches touch), and a pending
 * day stays pending after its shift has closed: `refreshStaleDays` stores them, but a report must
 * never write — on the server it would hold the write lock that ingest needs, and on a read-only
 * connection it cannot. So a report computes what a refresh would store and shows that, leaving the
 * store as it was (docs/architecture.md, "Reports"). Pure: the store's adapter loads, this decides.
 */

/** The dates of a period that can be stale: up to the site's today; null when none can. */
export function staleRange(site: SiteContext, period: {from: string; to: string}): {from: string; to: string} | null {
  const to = period.to < site.today ? period.to : site.today
  return period.from <= to ? {from: period.from, to} : null
}

/**
 * What a refresh would compute for one employee: the dates of employment in the range that have no
 * final (non-pending) stored record, as the engine's target; null when there are none.
 */
export function settleTarget(employee: EmployeeRow, range: {from: string; to: string}, finalDates: ReadonlySet<string>): Target | null {
  const first = employee.joinedOn && employee.joinedOn > range.from ? employee.joinedOn : range.from
  const last = employee.leftOn && employee.leftOn < range.to ? employee.leftOn : range.to
  const dates = new Set<string>()
  for (let date = first; date <= last; date = addDays(date, 1)) if (!finalDates.has(date)) dates.add(date)
  return dates.size === 0 ? null : {from: first, to: last, dates}
}

/**
 * One employee's days as a report shows them: the stored rows (by date), with the settled dates'
 * computed records in place of their pending rows — a pending row the settlement covers is replaced
 * by its computed record, or dropped when the engine gives none, as a refresh would delete it.
 */
export function mergeSettled<D extends {date: string; status: string}>(stored: readonly D[], settled: ReadonlySet<string>, computed: readonly D[]): D[] {
  const kept = stored.filter((day) => !(day.status === 'pending' && settled.has(day.date)))
  return [...kept, ...computed].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

export type {DayRecord}
