import {addDays, weekdayOfDate} from '../../time/calendar.js'
import type {LocalClock} from '../../time/local-clock.js'
import type {DayTimes, PlannedShift, ShiftRule, TimeWindow} from './types.js'

/** An interval of instants, both ends inclusive. */
export interface Span {
  start: number
  end: number
}

/**
 * One occurrence of a shift (or of the bare site day when there is no shift) on an attendance date.
 * `span` is where punches belong to it; `closesAt` is when its day is settled (no longer pending).
 */
export interface ShiftInstance {
  date: string
  shift: ShiftRule | null
  /** A rotating roster's day off: no shift, and a weekly off day. */
  rest: boolean
  start: number
  end: number
  span: Span
  checkIn: Span | null
  checkOut: Span | null
  closesAt: number
}

/**
 * A shift's hours on a date: its weekly pattern's for that weekday, else its own. A weekday the
 * pattern marks off keeps the shift's own hours, so punches on it still land where they would on a
 * weekly off day.
 */
export function timesOn(shift: ShiftRule, date: string): DayTimes {
  // Most shifts have no pattern: skip the weekday (a Date per instance) for them.
  if (!hasPattern(shift)) return shift
  const plan = shift.weekdays[weekdayOfDate(date)]
  return plan && plan !== 'off' ? plan : shift
}

export function hasPattern(shift: ShiftRule): boolean {
  for (const day in shift.weekdays) if (day) return true
  return false
}

export function buildInstance(clock: LocalClock, date: string, planned: PlannedShift): ShiftInstance {
  if (planned === null || planned === 'rest') {
    // No shift: the site day, midnight to midnight. The next midnight belongs to the next day.
    const start = clock.at(date, 0)
    const end = clock.at(addDays(date, 1), 0)
    return {date, shift: null, rest: planned === 'rest', start, end, span: {start, end: end - 1}, checkIn: null, checkOut: null, closesAt: end}
  }
  const shift = planned
  const times = timesOn(shift, date)
  const start = clock.at(date, times.start)
  const end = clock.at(times.end <= times.start ? addDays(date, 1) : date, times.end)
  const checkIn = shift.checkInWindow ? placeWindow(clock, date, shift.checkInWindow, start) : null
  const checkOut = shift.checkOutWindow ? placeWindow(clock, date, shift.checkOutWindow, end) : null
  // Explicit windows widen the margins when they reach further: an admin who sets a check-out
  // window until 20:00 expects a 19:30 punch to count even with the default 60-minute margin.
  const span = {
    start: Math.min(start - shift.beforeMinutes * 60_000, checkIn?.start ?? Infinity, checkOut?.start ?? Infinity),
    end: Math.max(end + shift.afterMinutes * 60_000, checkIn?.end ?? -Infinity, checkOut?.end ?? -Infinity),
  }
  return {date, shift, rest: false, start, end, span, checkIn, checkOut, closesAt: span.end + 1}
}

/**
 * Windows are wall-clock ranges without a date; each is placed on the occurrence nearest the shift
 * boundary it serves (start for check-in, end for check-out), so a night shift's 05:00-07:00
 * check-out window lands on the morning after.
 */
function placeWindow(clock: LocalClock, date: string, window: TimeWindow, anchor: number): Span {
  let best: Span | null = null
  let bestDistance = Infinity
  for (let offset = -1; offset <= 2; offset++) {
    const day = addDays(date, offset)
    const start = clock.at(day, window.start)
    const end = clock.at(window.end <= window.start ? addDays(day, 1) : day, window.end)
    const distance = anchor < start ? start - anchor : anchor > end ? anchor - end : 0
    if (distance < bestDistance) {
      best = {start, end}
      bestDistance = distance
    }
  }
  return best as Span
}

export function contains(span: Span, instant: number): boolean {
  return instant >= span.start && instant <= span.end
}

/**
 * Gives each punch (sorted by instant) to the first instance, in date order, whose span contains
 * it (spans have been handed over first, see handOver, so they no longer overlap). Returns one list
 * per instance; punches no instance wants are dropped.
 */
export function assignPunches<P extends {instant: number}>(instances: readonly ShiftInstance[], sorted: readonly P[]): P[][] {
  const buckets: P[][] = instances.map(() => [])
  let first = 0
  for (const punch of sorted) {
    // Instances that ended before this punch cannot take any later punch either.
    while (first < instances.length && instances[first].span.end < punch.instant) first++
    // Spans are nearly ordered; a few steps ahead is enough to find the owner.
    for (let i = first; i < instances.length && i < first + 4; i++) {
      if (contains(instances[i].span, punch.instant)) {
        buckets[i].push(punch)
        break
      }
    }
  }
  return buckets
}
