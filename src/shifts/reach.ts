import {buildInstance} from '../attendance/engine/instances.js'
import type {ShiftRule} from '../attendance/engine/types.js'
import {UsageError} from '../errors.js'
import {addDays, weekdayOfDate} from '../time/calendar.js'
import {LocalClock} from '../time/local-clock.js'
import {weekdays} from '../time/weekdays.js'
import {formatClock} from './parse.js'

/** A Monday: the week from here gives each weekday of a pattern one date, on a clock without DST. */
const MONDAY = '2026-01-05'
const DAY_MINUTES = 1440

/**
 * The widest span of instants one instance of the shift takes punches in — start − before to end +
 * after, widened by explicit windows — over its own hours and every weekday of its pattern, in
 * minutes. Measured in UTC, where every day is 24 hours.
 */
export function shiftReach(rule: ShiftRule): {minutes: number; date: string; start: number; end: number} {
  const clock = LocalClock.for('UTC')
  let widest = {minutes: -1, date: MONDAY, start: rule.start, end: rule.end}
  for (let offset = 0; offset < weekdays.length; offset++) {
    const date = addDays(MONDAY, offset)
    const instance = buildInstance(clock, date, rule)
    const minutes = Math.round((instance.span.end - instance.span.start) / 60_000)
    if (minutes > widest.minutes) {
      const plan = rule.weekdays[weekdayOfDate(date)]
      const times = plan && plan !== 'off' ? plan : rule
      widest = {minutes, date, start: times.start, end: times.end}
    }
  }
  return widest
}

/**
 * Refuses a shift whose window reaches 24 hours: it would overlap its own next day's instance, so a
 * punch could belong to two days of the same shift. Margins and windows together must stay under a
 * day; the message says which hours and by how much.
 */
export function assertShiftReach(rule: ShiftRule): void {
  const reach = shiftReach(rule)
  if (reach.minutes < DAY_MINUTES) return
  const hours = `${formatClock(reach.start)}–${formatClock(reach.end)}`
  const on = Object.keys(rule.weekdays).length > 0 && (reach.start !== rule.start || reach.end !== rule.end) ? ` on ${weekdayOfDate(reach.date)}` : ''
  const windows = rule.checkInWindow || rule.checkOutWindow ? ', check-in/check-out windows' : ''
  throw new UsageError(
    `Shift "${rule.name}" would take punches over ${formatLength(reach.minutes)} (${hours}${on} with --before ${rule.beforeMinutes} and --after ${rule.afterMinutes} minutes${windows}), ` +
      `so it would overlap its own next day: the hours plus both margins must stay under 24 hours; lower --before or --after.`,
    'shift_window_too_long',
  )
}

function formatLength(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hours` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
