import type {Store} from '../db/open.js'
import {addDays, type DayRecord} from './engine/index.js'
import {computeEmployeeDays, selectEmployees, type EmployeeRow, type RecomputeScope} from './recompute.js'
import {loadSiteContext, type SiteContext} from './site.js'

/**
 * Stale days settled in memory, for readers that must not write. A day nobody punched on has no
 * record until a recompute runs (ingest recomputes only the days its punches touch), and a pending
 * day stays pending after its shift has closed: `refreshStaleDays` stores them, but a report must
 * never write — on the server it would hold the write lock that ingest needs, and on a read-only
 * connection it cannot. So a report asks this class for what a refresh would store and shows that,
 * leaving the store as it was (docs/architecture.md, "Reports").
 */
export class StaleDaySettler {
  /** The dates that can be stale: the scope's range, up to the site's today; null when none can. */
  readonly range: {from: string; to: string} | null
  private readonly site: SiteContext
  private readonly employees = new Map<number, EmployeeRow>()

  constructor(
    private readonly store: Store,
    scope: RecomputeScope,
    private readonly now: number,
  ) {
    this.site = loadSiteContext(store, now)
    const to = scope.to < this.site.today ? scope.to : this.site.today
    this.range = scope.from <= to ? {from: scope.from, to} : null
    if (this.range) for (const employee of selectEmployees(store, {...scope, to})) this.employees.set(employee.id, employee)
  }

  /** Employees whose days are settled (a refresh would compute them), by ascending id. */
  get employeeIds(): number[] {
    return [...this.employees.keys()].sort((a, b) => a - b)
  }

  covers(employeeId: number): boolean {
    return this.employees.has(employeeId)
  }

  /**
   * What a refresh would store for one employee: the dates of employment in the range that have no
   * final (non-pending) stored record, and their records computed by the engine as of "now". A
   * settled date the engine gives no record has none here either, as the refresh deletes its
   * pending row.
   */
  settle(employeeId: number, finalDates: ReadonlySet<string>): {dates: ReadonlySet<string>; records: DayRecord[]} {
    const employee = this.employees.get(employeeId)
    const dates = new Set<string>()
    if (!employee || !this.range) return {dates, records: []}
    const first = employee.joinedOn && employee.joinedOn > this.range.from ? employee.joinedOn : this.range.from
    const last = employee.leftOn && employee.leftOn < this.range.to ? employee.leftOn : this.range.to
    for (let date = first; date <= last; date = addDays(date, 1)) if (!finalDates.has(date)) dates.add(date)
    if (dates.size === 0) return {dates, records: []}
    return {dates, records: computeEmployeeDays(this.store, this.site, employee, {from: first, to: last, dates}, this.now)}
  }
}
