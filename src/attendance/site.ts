import type {Statement} from 'better-sqlite3'

import type {Store} from '../db/open.js'
import {cachedByRevision} from '../db/revisions.js'
import {shifts} from '../db/schema.js'
import {siteSettings, type SiteSettings} from '../settings/settings.js'
import type {AssignmentSpan, RosterCycle} from '../shifts/resolve.js'
import {shiftRuleFromRow, type ShiftRow} from '../shifts/rule.js'
import type {Weekday} from '../time/weekdays.js'
import {LocalClock} from '../time/local-clock.js'
import type {DayHalf, ShiftRule} from './engine/types.js'

/** Everything site-wide the engine needs. */
export interface SiteContext {
  zone: string
  clock: LocalClock
  weekOff: readonly Weekday[]
  rules: ReadonlyMap<number, ShiftRule>
  defaultShift: ShiftRule | null
  assignments: readonly AssignmentSpan[]
  /** Roster id → its cycle of shift ids (null = rest day). */
  rosters: ReadonlyMap<number, RosterCycle>
  /** Whole-day holidays. */
  holidays: ReadonlySet<string>
  /** Half-day holidays: date → the half that is off. */
  halfHolidays: ReadonlyMap<string, DayHalf>
  /** Device id → direction, for devices that force the role of their punches. */
  deviceDirections: ReadonlyMap<number, 'in' | 'out'>
  /** The site's local date of "now". */
  today: string
}

// Compiled once per connection: preparing these cost more than running them.
interface SiteQueries {
  shifts: {all(): (typeof shifts.$inferSelect)[]}
  assignments: Statement
  rosters: Statement
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
        `SELECT id, shift_id AS shiftId, roster_id AS rosterId, employee_id AS employeeId, department, from_date AS fromDate,
           to_date AS toDate
         FROM shift_assignments`,
      ),
      rosters: store.sqlite.prepare('SELECT id, cycle FROM rosters'),
      holidays: store.sqlite.prepare('SELECT date, half FROM holidays'),
      forcedDirections: store.sqlite.prepare(`SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`),
    }
    queries.set(store.sqlite, compiled)
  }
  return compiled
}

/** The rows the site context is built from, read by either engine's adapter. */
export interface SiteRows {
  settings: Pick<SiteSettings, 'timezone' | 'weekOff' | 'defaultShift'>
  shifts: readonly ShiftRow[]
  assignments: readonly AssignmentSpan[]
  rosters: readonly {id: number; cycle: string}[]
  holidays: readonly {date: string; half: DayHalf | null}[]
  forcedDirections: readonly {id: number; direction: 'in' | 'out'}[]
}

/** The site context without "today", from its rows: pure, shared by both engines' adapters. */
export function siteContextFromRows(rows: SiteRows): Omit<SiteContext, 'today'> {
  const {settings} = rows
  const rules = new Map<number, ShiftRule>()
  let defaultShift: ShiftRule | null = null
  for (const raw of rows.shifts) {
    const rule = shiftRuleFromRow(raw)
    rules.set(rule.id!, rule)
    if (settings.defaultShift && rule.name.toLowerCase() === settings.defaultShift.toLowerCase()) defaultShift = rule
  }
  const deviceDirections = new Map<number, 'in' | 'out'>()
  for (const d of rows.forcedDirections) deviceDirections.set(d.id, d.direction)
  const holidays = new Set<string>()
  const halfHolidays = new Map<string, DayHalf>()
  for (const {date, half} of rows.holidays) {
    if (half) halfHolidays.set(date, half)
    else holidays.add(date)
  }
  const rosters = new Map<number, RosterCycle>()
  for (const {id, cycle} of rows.rosters) rosters.set(id, JSON.parse(cycle) as RosterCycle)
  return {
    zone: settings.timezone,
    clock: LocalClock.for(settings.timezone),
    weekOff: settings.weekOff,
    rules,
    defaultShift,
    assignments: rows.assignments,
    rosters,
    holidays,
    halfHolidays,
    deviceDirections,
  }
}

/** The site context without "today": what only changes when the site's tables do. */
const siteData = cachedByRevision('site', (store): Omit<SiteContext, 'today'> => {
  const query = siteQueries(store)
  return siteContextFromRows({
    settings: siteSettings(store),
    shifts: query.shifts.all(),
    assignments: query.assignments.all() as AssignmentSpan[],
    rosters: query.rosters.all() as {id: number; cycle: string}[],
    holidays: query.holidays.all() as {date: string; half: DayHalf | null}[],
    forcedDirections: query.forcedDirections.all() as {id: number; direction: 'in' | 'out'}[],
  })
})

/**
 * Everything site-wide the engine needs. Loaded on every ingest, so it is cached per connection
 * and read again only when settings, shifts, rosters, assignments, holidays or device directions changed
 * (by this process or another: see storeRevisions). Shared between callers: read-only.
 */
export function loadSiteContext(store: Store, now: number): SiteContext {
  const data = siteData(store)
  return {...data, today: data.clock.dateOf(now)}
}
