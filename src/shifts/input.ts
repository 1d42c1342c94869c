import {UsageError} from '../errors.js'
import {parseWeekdays, weekdays, type Weekday} from '../time/weekdays.js'
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
  /** Weekly pattern `fri=08:00-12:30,sat=off`, or `none` to clear. */
  pattern?: string
  /** `yes` | `no`. */
  markLate?: string
  markEarly?: string
  /** `after-end` | `also-before-start`. */
  overtime?: string
  overtimeMin?: string | number
  overtimeRound?: string | number
  /** Minutes, or `none` for no cap. */
  overtimeCap?: string | number
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
  weekdays?: string | null
  markLate?: boolean
  markEarly?: boolean
  overtimeCounts?: 'after-end' | 'also-before-start'
  overtimeMinimumMinutes?: number
  overtimeRoundMinutes?: number
  overtimeCapMinutes?: number | null
}

const MAX_MARGIN = 720

export function validateShiftName(name: string, what: 'shift' | 'roster' = 'shift'): string {
  const trimmed = name.trim()
  if (!trimmed) throw new UsageError(`The ${what} name cannot be empty.`, `invalid_${what}_name`)
  if (trimmed.length > 60) throw new UsageError(`The ${what} name "${trimmed}" is too long: at most 60 characters.`, `invalid_${what}_name`)
  // `default-shift none` means no shift, and `off` is a roster's rest day: neither can name a shift.
  if (trimmed.toLowerCase() === 'none') throw new UsageError(`"none" is reserved (default-shift none means no shift): choose another ${what} name.`, `invalid_${what}_name`)
  if (trimmed.toLowerCase() === 'off') throw new UsageError(`"off" is reserved (a rest day in a roster cycle): choose another ${what} name.`, `invalid_${what}_name`)
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
  if (input.pattern !== undefined) values.weekdays = parsePattern(input.pattern)
  if (input.markLate !== undefined) values.markLate = parseSwitch(input.markLate, '--mark-late')
  if (input.markEarly !== undefined) values.markEarly = parseSwitch(input.markEarly, '--mark-early')
  if (input.overtime !== undefined) {
    if (input.overtime !== 'after-end' && input.overtime !== 'also-before-start') {
      throw new UsageError(`Invalid --overtime "${input.overtime}": expected after-end or also-before-start.`, 'invalid_overtime')
    }
    values.overtimeCounts = input.overtime
  }
  if (input.overtimeMin !== undefined) values.overtimeMinimumMinutes = parseWholeNumber(input.overtimeMin, '--overtime-min (minutes)', MAX_MARGIN)
  if (input.overtimeRound !== undefined) values.overtimeRoundMinutes = parseWholeNumber(input.overtimeRound, '--overtime-round (minutes)', 240)
  if (input.overtimeCap !== undefined) {
    values.overtimeCapMinutes =
      String(input.overtimeCap).trim().toLowerCase() === 'none' ? null : parseWholeNumber(input.overtimeCap, '--overtime-cap (minutes, or none)', 1440)
  }
  return values
}

/** `yes`/`no` (also on/off, true/false). */
function parseSwitch(text: string, what: string): boolean {
  const value = text.trim().toLowerCase()
  if (['yes', 'on', 'true'].includes(value)) return true
  if (['no', 'off', 'false'].includes(value)) return false
  throw new UsageError(`Invalid ${what} "${text}": expected yes or no.`, 'invalid_switch')
}

/**
 * `fri=08:00-12:30,sat=off` → the stored pattern (JSON, week order), `none` → null. Each weekday
 * at most once; hours as HH:MM-HH:MM, an end at or before the start crossing midnight.
 */
export function parsePattern(text: string): string | null {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return null
  const pattern: Partial<Record<Weekday, string>> = {}
  for (const part of trimmed.split(',')) {
    const [dayText, plan, ...rest] = part.split('=')
    if (plan === undefined || rest.length > 0) {
      throw new UsageError(`Invalid --pattern entry "${part.trim()}": expected WEEKDAY=HH:MM-HH:MM or WEEKDAY=off, such as fri=08:00-12:30.`, 'invalid_pattern')
    }
    const [day] = parseWeekdays(dayText, '--pattern')
    if (!day) throw new UsageError(`Invalid --pattern entry "${part.trim()}": name a weekday such as fri.`, 'invalid_pattern')
    if (pattern[day] !== undefined) throw new UsageError(`--pattern names ${day} twice.`, 'invalid_pattern')
    if (plan.trim().toLowerCase() === 'off') {
      pattern[day] = 'off'
      continue
    }
    const [start, end, extra] = plan.split('-')
    if (end === undefined || extra !== undefined) {
      throw new UsageError(`Invalid --pattern hours "${plan.trim()}" for ${day}: expected HH:MM-HH:MM such as 08:00-12:30, or off.`, 'invalid_pattern')
    }
    const from = parseClock(start, `--pattern start for ${day}`)
    const to = parseClock(end, `--pattern end for ${day}`)
    if (from === to) throw new UsageError(`Invalid --pattern hours "${plan.trim()}" for ${day}: the shift starts and ends at the same time.`, 'invalid_pattern')
    pattern[day] = `${formatClock(from)}-${formatClock(to)}`
  }
  return JSON.stringify(Object.fromEntries(weekdays.filter((d) => pattern[d] !== undefined).map((d) => [d, pattern[d]])))
}

function optionalWindow(text: string, what: string): string | null {
  if (text.trim() === '' || text.trim().toLowerCase() === 'none') return null
  return formatWindow(parseNewWindow(text, what))
}
