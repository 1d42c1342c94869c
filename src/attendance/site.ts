import type {SiteSettings} from '../settings/settings.js'
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

/** A context and the site's "today" at `now`. */
export function siteContextAt(data: Omit<SiteContext, 'today'>, now: number): SiteContext {
  return {...data, today: data.clock.dateOf(now)}
}
