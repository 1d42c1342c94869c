import {StaleDaySettler} from '../attendance/settle.js'
import type {Store} from '../db/open.js'
import {employeeDays, employeesWithDays, type EmployeeScope} from './load.js'
import type {DayRecord} from './types.js'

/**
 * The attendance days a report shows for [read.from, read.to]: the stored rows, with the stale days
 * of the report's period (no row yet, or still pending after the shift closed) computed in memory
 * as a refresh would store them. Nothing is written, so a report runs on a read-only connection and
 * never takes the write lock from ingest (docs/architecture.md, "Reports"). One employee at a time:
 * memory stays at one person's days however many people the report lists.
 */
export function* settledDays(
  store: Store,
  scope: EmployeeScope,
  period: {from: string; to: string},
  read: {from: string; to: string},
  now: number,
): Generator<DayRecord> {
  const settler = new StaleDaySettler(
    store,
    {from: period.from, to: period.to, employeeIds: scope.employeeId === undefined ? undefined : [scope.employeeId], department: scope.department},
    now,
  )
  const ids = new Set([...settler.employeeIds, ...employeesWithDays(store, scope, read.from, read.to)])
  for (const employeeId of [...ids].sort((a, b) => a - b)) {
    const stored = employeeDays(store, employeeId, read.from, read.to)
    if (!settler.covers(employeeId)) {
      yield* stored
      continue
    }
    const final = new Set(stored.filter((day) => day.status !== 'pending').map((day) => day.date))
    const settled = settler.settle(employeeId, final)
    const computed: DayRecord[] = settled.records
      .filter((record) => record.date >= read.from && record.date <= read.to)
      .map(({punchCount: _punchCount, ...record}) => ({...record, employeeId}))
    // A pending row the settlement covers is replaced by its computed record, or dropped when the
    // engine gives none, as a refresh would delete it.
    const kept = stored.filter((day) => !(day.status === 'pending' && settled.dates.has(day.date)))
    yield* [...kept, ...computed].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  }
}
