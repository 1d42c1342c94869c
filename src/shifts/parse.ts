import type {MinuteOfDay, TimeWindow} from '../attendance/engine/types.js'
import {UsageError} from '../errors.js'

const CLOCK_RE = /^([01]?\d|2[0-3]):([0-5]\d)$/

/** `HH:MM` (24-hour) → minutes after midnight, naming the flag when the text is not a time. */
export function parseClock(text: string, what: string): MinuteOfDay {
  const match = CLOCK_RE.exec(text.trim())
  if (!match) throw new UsageError(`Invalid ${what} "${text}": expected a 24-hour time HH:MM such as 08:30.`, 'invalid_time')
  return Number(match[1]) * 60 + Number(match[2])
}

export function formatClock(minute: MinuteOfDay): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
}

/** `HH:MM-HH:MM` → window; an end before the start crosses midnight, equal ends are refused. */
export function parseWindow(text: string, what: string): TimeWindow {
  const parts = text.split('-')
  if (parts.length !== 2) {
    throw new UsageError(`Invalid ${what} "${text}": expected HH:MM-HH:MM such as 07:00-09:30.`, 'invalid_window')
  }
  const start = parseClock(parts[0], what)
  const end = parseClock(parts[1], what)
  if (start === end) throw new UsageError(`Invalid ${what} "${text}": the window starts and ends at the same time.`, 'invalid_window')
  return {start, end}
}

/** The longest check-in or check-out window: as long as the widest shift margin. */
const MAX_WINDOW_MINUTES = 12 * 60

/**
 * A window as an admin types it. Only new input is held to this: stored shifts are read with
 * parseWindow alone, so a window saved before this check existed still loads.
 */
export function parseNewWindow(text: string, what: string): TimeWindow {
  const {start, end} = parseWindow(text, what)
  const parts = text.split('-')
  // An end before the start means the window runs past midnight, which night shifts need
  // (23:30-00:30); one that long, though, is a range typed backwards (10:00-08:00 for 08:00-10:00).
  const length = (end - start + 1440) % 1440
  if (length > MAX_WINDOW_MINUTES) {
    throw new UsageError(
      `Invalid ${what} "${text}": it would last ${Math.floor(length / 60)} h ${length % 60} min, past midnight, and a window lasts at most ${MAX_WINDOW_MINUTES / 60} hours; write the earlier time first (${parts[1].trim()}-${parts[0].trim()}).`,
      'invalid_window',
    )
  }
  return {start, end}
}

export function formatWindow(window: TimeWindow | null): string | null {
  return window ? `${formatClock(window.start)}-${formatClock(window.end)}` : null
}

/** A whole number of minutes or seconds within bounds, naming the flag otherwise. */
export function parseWholeNumber(value: number | string, what: string, max: number): number {
  const number = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new UsageError(`Invalid ${what} "${value}": expected a whole number from 0 to ${max}.`, 'invalid_number')
  }
  return number
}

/** Hours such as 4 or 4.5; 0 switches the threshold off. */
export function parseHours(value: number | string, what: string): number {
  const number = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isFinite(number) || number < 0 || number > 24 || (typeof value === 'string' && value.trim() === '')) {
    throw new UsageError(`Invalid ${what} "${value}": expected hours from 0 to 24 (0 = off), such as 4 or 4.5.`, 'invalid_number')
  }
  return number
}
