import {UsageError} from '../errors.js'
import {parseWeekdays} from '../time/weekdays.js'
import {formatClock, formatWindow, parseClock, parseHours, parseNewWindow, parseWholeNumber} from './parse.js'

/** A shift as typed on the command line; every field optional so `update` can reuse it. */
export interface ShiftInput {
  start?: string
  end?: string
  lateGrace?: string | number
  earlyGrace?: string | number
  halfDayHours?: string | number
  absentHours?: string | number
  before?: string | number
  after?: string | number
  /** `HH:MM-HH:MM`, or `none` to clear. */
  checkInWindow?: string
  checkOutWindow?: string
  hours?: string
  direction?: string
  debounce?: string | number
  /** `sat,sun`, `none` for a seven-day week, or `site` for the site's week off. */
  weekOff?: string
}

/** Column values, normalized (`8:5` → `08:05`), ready for the shifts table. */
export interface ShiftValues {
  start?: string
  end?: string
  lateGraceMinutes?: number
  earlyGraceMinutes?: number
  halfDayHours?: number
  absentHours?: number
  beforeMinutes?: number
  afterMinutes?: number
  checkInWindow?: string | null
  checkOutWindow?: string | null
  hoursMode?: 'first-last' | 'pairs'
  directionMode?: 'auto' | 'punch'
  debounceSeconds?: number
  weekOff?: string | null
}

const MAX_MARGIN = 720

export function validateShiftName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw new UsageError('The shift name cannot be empty.', 'invalid_shift_name')
  if (trimmed.length > 60) throw new UsageError(`The shift name "${trimmed}" is too long: at most 60 characters.`, 'invalid_shift_name')
  // `default-shift none` means no shift, so a shift cannot be called that.
  if (trimmed.toLowerCase() === 'none') throw new UsageError('"none" is reserved (default-shift none means no shift): choose another shift name.', 'invalid_shift_name')
  return trimmed
}

/** Validates every given field, naming the flag of the first bad one. Touches no store. */
export function parseShiftInput(input: ShiftInput): ShiftValues {
  const values: ShiftValues = {}
  if (input.start !== undefined) values.start = formatClock(parseClock(input.start, '--start'))
  if (input.end !== undefined) values.end = formatClock(parseClock(input.end, '--end'))
  if (input.lateGrace !== undefined) values.lateGraceMinutes = parseWholeNumber(input.lateGrace, '--late-grace (minutes)', MAX_MARGIN)
  if (input.earlyGrace !== undefined) values.earlyGraceMinutes = parseWholeNumber(input.earlyGrace, '--early-grace (minutes)', MAX_MARGIN)
  if (input.halfDayHours !== undefined) values.halfDayHours = parseHours(input.halfDayHours, '--half-day-hours')
  if (input.absentHours !== undefined) values.absentHours = parseHours(input.absentHours, '--absent-hours')
  if (input.before !== undefined) values.beforeMinutes = parseWholeNumber(input.before, '--before (minutes)', MAX_MARGIN)
  if (input.after !== undefined) values.afterMinutes = parseWholeNumber(input.after, '--after (minutes)', MAX_MARGIN)
  if (input.checkInWindow !== undefined) values.checkInWindow = optionalWindow(input.checkInWindow, '--check-in-window')
  if (input.checkOutWindow !== undefined) values.checkOutWindow = optionalWindow(input.checkOutWindow, '--check-out-window')
  if (input.hours !== undefined) {
    if (input.hours !== 'first-last' && input.hours !== 'pairs') {
      throw new UsageError(`Invalid --hours "${input.hours}": expected first-last or pairs.`, 'invalid_hours_mode')
    }
    values.hoursMode = input.hours
  }
  if (input.direction !== undefined) {
    if (input.direction !== 'auto' && input.direction !== 'punch') {
      throw new UsageError(`Invalid --direction "${input.direction}": expected auto or punch.`, 'invalid_direction_mode')
    }
    values.directionMode = input.direction
  }
  if (input.debounce !== undefined) values.debounceSeconds = parseWholeNumber(input.debounce, '--debounce (seconds)', 3600)
  if (input.weekOff !== undefined) {
    values.weekOff = input.weekOff.trim().toLowerCase() === 'site' ? null : JSON.stringify(parseWeekdays(input.weekOff, '--week-off'))
  }
  return values
}

function optionalWindow(text: string, what: string): string | null {
  if (text.trim() === '' || text.trim().toLowerCase() === 'none') return null
  return formatWindow(parseNewWindow(text, what))
}
