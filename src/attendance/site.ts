import type {Statement} from 'better-sqlite3'

import type {Store} from '../db/open.js'
import {shifts} from '../db/schema.js'
import {readSettings} from '../settings/settings.js'
import type {AssignmentSpan} from '../shifts/resolve.js'
import {shiftRuleFromRow} from '../shifts/rule.js'
import type {Weekday} from '../time/weekdays.js'
import {LocalClock} from './engine/local-clock.js'
import type {ShiftRule} from './engine/types.js'

/** Everything site-wide the engine needs, read once per recompute. */
export interface SiteContext {
  zone: string
  clock: LocalClock
  weekOff: readonly Weekday[]
  rules: Map<number, ShiftRule>
  defaultShift: ShiftRule | null
  assignments: AssignmentSpan[]
  holidays: Set<string>
  /** Device id → direction, for devices that force the role of their punches. */
  deviceDirections: Map<number, 'in' | 'out'>
  /** The site's local date of "now". */
  today: string
}

// Compiled once per connection: the site context is loaded on every ingest, where preparing these
// statements each time cost more than running them.
interface SiteQueries {
  shifts: {all(): (typeof shifts.$inferSelect)[]}
  assignments: Statement
  holidays: Statement
  forcedDirections: Statement
}
const queries = new WeakMap<Store['sqlite'], SiteQueries>()

function siteQueries(store: Store): SiteQueries {
  let compiled = queries.get(store.sqlite)
  if (!compiled) {
    compiled = {
      shifts: store.db.select().from(shifts).prepare(),
      assignments: store.sqlite.prepare(
        `SELECT id, shift_id AS shiftId, employee_id AS employeeId, department, from_date AS fromDate, to_date AS toDate
         FROM shift_assignments`,
      ),
      holidays: store.sqlite.prepare('SELECT date FROM holidays').pluck(),
      forcedDirections: store.sqlite.prepare(`SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`),
    }
    queries.set(store.sqlite, compiled)
  }
  return compiled
}

export function loadSiteContext(store: Store, now: number): SiteContext {
  const settings = readSettings(store)
  const clock = LocalClock.for(settings.timezone)
  const query = siteQueries(store)
  const rows = query.shifts.all()
  const rules = new Map<number, ShiftRule>()
  let defaultShift: ShiftRule | null = null
  for (const raw of rows) {
    const rule = shiftRuleFromRow(raw)
    rules.set(rule.id!, rule)
    if (settings.defaultShift && rule.name.toLowerCase() === settings.defaultShift.toLowerCase()) defaultShift = rule
  }
  const assignments = query.assignments.all() as AssignmentSpan[]
  const holidays = new Set(query.holidays.all() as string[])
  const deviceDirections = new Map<number, 'in' | 'out'>()
  for (const d of query.forcedDirections.all() as {id: number; direction: 'in' | 'out'}[]) {
    deviceDirections.set(d.id, d.direction)
  }
  return {
    zone: settings.timezone,
    clock,
    weekOff: settings.weekOff,
    rules,
    defaultShift,
    assignments,
    holidays,
    deviceDirections,
    today: clock.dateOf(now),
  }
}
