import {UsageError} from '../errors.js'
import {offsetOutOfRange, quote} from '../formats/input-policy.js'
import type {PunchTime} from '../punches/types.js'
import {LocalClock} from './local-clock.js'

/**
 * Order of day, month and year in slash/dash/dot dates such as `03/04/2026`. ISO-like dates
 * (`2026-03-04`) are always year-month-day whatever this says.
 */
export type DateFormat = 'dmy' | 'mdy' | 'ymd'

export const dateFormats: readonly DateFormat[] = ['dmy', 'mdy', 'ymd']

export interface ParseTimestampOptions {
  /** Needed only when a numeric date could be read both ways (`03/04/2026`). */
  dateFormat?: DateFormat
}

const MINUTE = 60_000

// The ZKTeco/CAMS/SQL form, by far the most frequent: matched first and without allocation-heavy work.
const SQL_FORM = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/

// ISO 8601 and its relatives: `T` or space, optional seconds/fraction, optional `Z`/offset/CAMS `GMT +0300`.
const ISO_FORM =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|(?:(?:GMT|UTC)\s*)?[+-]\d{2}(?::?\d{2})?|GMT|UTC)?$/i

// Export forms: `31/12/2026 8:05`, `12/31/2026 8:05:30 PM`, `31-12-2026 20:05`, `31.12.2026`, `2026/12/31 08:05`.
const NUMERIC_FORM =
  /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(AM|PM|A\.M\.|P\.M\.)?)?\s*(Z|(?:(?:GMT|UTC)\s*)?[+-]\d{2}(?::?\d{2})?)?$/i

// Epoch seconds (10 digits) or milliseconds (13 digits), as some JSON exports send.
const EPOCH_FORM = /^(\d{10}|\d{13})$/

/**
 * Parses any timestamp our sources send. A timestamp with `Z`, an offset or CAMS `GMT +0300` (or an
 * epoch number) is exact; anything else is wall-clock time, normalized to `YYYY-MM-DDTHH:mm:ss`,
 * for the pipeline to resolve in the device's or site's zone. Throws a UsageError naming the text.
 */
export function parseTimestamp(text: string, options: ParseTimestampOptions = {}): PunchTime {
  const fast = fastSqlForm(text)
  if (fast !== undefined) return fast
  const trimmed = text.trim()

  const sql = SQL_FORM.exec(trimmed)
  if (sql) {
    return wall(trimmed, +sql[1], +sql[2], +sql[3], +sql[4], +sql[5], sql[6] === undefined ? 0 : +sql[6], fraction(sql[7]))
  }

  const iso = ISO_FORM.exec(trimmed)
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso
    return build(trimmed, +y, +mo, +d, h === undefined ? 0 : +h, mi === undefined ? 0 : +mi, s === undefined ? 0 : +s, fraction(frac), zone)
  }

  const numeric = NUMERIC_FORM.exec(trimmed)
  if (numeric) {
    const [, a, , b, c, h, mi, s, frac, meridiem, zone] = numeric
    const {year, month, day} = orderDate(trimmed, a, b, c, options.dateFormat)
    let hour = h === undefined ? 0 : +h
    if (meridiem) {
      if (hour < 1 || hour > 12) throw invalid(trimmed, `the hour ${hour} does not fit a 12-hour clock with ${meridiem.toUpperCase()}`)
      const pm = meridiem[0].toUpperCase() === 'P'
      hour = (hour % 12) + (pm ? 12 : 0)
    }
    return build(trimmed, year, month, day, hour, mi === undefined ? 0 : +mi, s === undefined ? 0 : +s, fraction(frac), zone)
  }

  if (EPOCH_FORM.test(trimmed)) {
    const ms = trimmed.length === 13 ? Number(trimmed) : Number(trimmed) * 1000
    return {kind: 'instant', ms}
  }

  throw invalid(
    trimmed,
    'expected ISO 8601 (2026-03-12T08:05:00+03:00), YYYY-MM-DD HH:MM:SS, CAMS "YYYY-MM-DD HH:MM:SS GMT +0300", DD/MM/YYYY HH:MM or MM/DD/YYYY h:mm AM',
  )
}

/**
 * The instant a wall-clock time denotes in an IANA zone. Deterministic at DST changes:
 * - in a gap (02:30 on a spring-forward night does not exist) the time is shifted forward by the
 *   length of the gap (02:30 → 03:30), i.e. read with the offset in force before the change;
 * - in an overlap (01:30 happens twice on a fall-back night) the earlier instant wins, i.e. the
 *   offset in force before the change.
 * `local` is `YYYY-MM-DDTHH:mm:ss[.SSS]` (a space instead of `T` is accepted).
 */
export function resolveWallClock(local: string, zone: string): number {
  const asUtc = wallAsUtc(local)
  return resolveInZone(asUtc, zone).instant
}

/** Like resolveWallClock, also returning the offset (minutes east of UTC) that applied. */
export function resolveWallClockWithOffset(local: string, zone: string): {instant: number; offsetMinutes: number} {
  return resolveInZone(wallAsUtc(local), zone)
}

/** Offset (minutes east of UTC) of `zone` at `instant`. */
export function zoneOffsetAt(instant: number, zone: string): number {
  return LocalClock.for(zone).offsetMinutes(instant)
}

/** The wall-clock fields of a local `YYYY-MM-DDTHH:mm:ss` read as if it were UTC (ms). */
export function wallAsUtc(local: string): number {
  if (local.length === 19 && isFixedForm(local)) {
    return Date.UTC(num4(local, 0), num2(local, 5) - 1, num2(local, 8), num2(local, 11), num2(local, 14), num2(local, 17))
  }
  const m = SQL_FORM.exec(local)
  if (!m) throw new UsageError(`Invalid local time ${quote(local)}: expected YYYY-MM-DDTHH:mm:ss.`, 'invalid_timestamp')
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] === undefined ? 0 : +m[6], fraction(m[7]))
}

/** Formats an instant as local `YYYY-MM-DD HH:mm:ss` in a zone (for listings). */
export function formatInZone(instant: number, zone: string, withSeconds = true): string {
  const shifted = new Date(instant + zoneOffsetAt(instant, zone) * MINUTE).toISOString()
  return `${shifted.slice(0, 10)} ${shifted.slice(11, withSeconds ? 19 : 16)}`
}

/** The local date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDateInZone(instant: number, zone: string): string {
  return new Date(instant + zoneOffsetAt(instant, zone) * MINUTE).toISOString().slice(0, 10)
}

/** The instant local midnight of `date` (`YYYY-MM-DD`) begins in `zone` (a gap at midnight shifts forward). */
export function startOfLocalDate(date: string, zone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !validDate(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10))) {
    throw new UsageError(`Invalid date "${date}": expected YYYY-MM-DD.`, 'invalid_date')
  }
  return resolveWallClock(`${date}T00:00:00`, zone)
}

// ── the hot path: `YYYY-MM-DD HH:MM:SS` read without regular expressions ──

const ZERO = 48
const digit = (text: string, i: number): number => text.charCodeAt(i) - ZERO
const num2 = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1)
const num4 = (text: string, i: number): number => num2(text, i) * 100 + num2(text, i + 2)
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]

function isFixedForm(text: string): boolean {
  const sep = text.charCodeAt(10)
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84)) return false
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false
  for (const i of DIGIT_POSITIONS) {
    const d = digit(text, i)
    if (d < 0 || d > 9) return false
  }
  return true
}

/** ZKTeco and push-log times (millions per import) without a regex or string building; undefined = not this form. */
function fastSqlForm(text: string): PunchTime | undefined {
  if (text.length !== 19 || !isFixedForm(text)) return undefined
  const y = num4(text, 0)
  const mo = num2(text, 5)
  const d = num2(text, 8)
  const h = num2(text, 11)
  const mi = num2(text, 14)
  const sec = num2(text, 17)
  check(text, y, mo, d, h, mi, sec)
  const local = text.charCodeAt(10) === 84 ? text : `${text.slice(0, 10)}T${text.slice(11)}`
  return {kind: 'wall', local, asUtc: Date.UTC(y, mo - 1, d, h, mi, sec)}
}

// ── zone resolution ─────────────────────────────────────────────────────────────────────────────

function resolveInZone(asUtc: number, zone: string): {instant: number; offsetMinutes: number} {
  return LocalClock.for(zone).resolve(asUtc)
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────

function fraction(digits: string | undefined): number {
  if (!digits) return 0
  return Math.floor(Number(`0.${digits}`) * 1000)
}

function build(text: string, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string | undefined): PunchTime {
  if (!zone) return wall(text, y, mo, d, h, mi, s, ms)
  check(text, y, mo, d, h, mi, s)
  const offsetMinutes = parseOffset(text, zone)
  const ms0 = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * MINUTE
  return zone.toUpperCase() === 'Z' ? {kind: 'instant', ms: ms0} : {kind: 'instant', ms: ms0, offsetMinutes}
}

function wall(text: string, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): PunchTime {
  check(text, y, mo, d, h, mi, s)
  const local = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ''}`
  return {kind: 'wall', local, asUtc: Date.UTC(y, mo - 1, d, h, mi, s, ms)}
}

function check(text: string, y: number, mo: number, d: number, h: number, mi: number, s: number): void {
  if (!validDate(y, mo, d)) throw invalid(text, `${pad(y, 4)}-${pad(mo)}-${pad(d)} is not a calendar date`)
  if (h > 23 || mi > 59 || s > 59) throw invalid(text, `${pad(h)}:${pad(mi)}:${pad(s)} is not a time of day`)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Called for every imported line: arithmetic rather than a Date object per call. */
function validDate(y: number, mo: number, d: number): boolean {
  if (y < 1970 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  return d <= (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1])
}

/**
 * `Z`, `+03:00`, `+0300`, `+03`, `GMT +0300`, `UTC-05:30`, bare `GMT`/`UTC` → minutes east of UTC.
 * An offset no place uses (`+25:00`, `+99:99`, CAMS `GMT +9999`) is refused: read as written it
 * would move the punch by days.
 */
function parseOffset(text: string, zone: string): number {
  const z = zone.toUpperCase().replace(/^(GMT|UTC)\s*/, '')
  if (z === 'Z' || z === '') return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z)
  if (!m) return 0
  if (Number(m[3] ?? 0) > 59) throw invalid(text, `the UTC offset ${z} is not an offset (minutes above 59)`, 'offset')
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
  const outOfRange = offsetOutOfRange(minutes, z)
  if (outOfRange) throw invalid(text, outOfRange, 'offset')
  return m[1] === '-' ? -minutes : minutes
}

function orderDate(text: string, a: string, b: string, c: string, format: DateFormat | undefined): {year: number; month: number; day: number} {
  if (a.length === 4) return {year: +a, month: +b, day: +c}
  if (c.length !== 4 && c.length !== 2) throw invalid(text, 'the year must have 4 digits')
  const year = c.length === 2 ? 2000 + Number(c) : Number(c)
  const first = Number(a)
  const second = Number(b)
  let chosen = format
  if (!chosen || chosen === 'ymd') {
    if (first > 12 && second <= 12) chosen = 'dmy'
    else if (second > 12 && first <= 12) chosen = 'mdy'
    else if (first === second) chosen = 'dmy'
    else if (format === 'ymd' || !format) {
      throw invalid(text, 'the date is ambiguous (day/month or month/day): pass --date-format dmy or mdy')
    }
  }
  return chosen === 'mdy' ? {year, month: first, day: second} : {year, month: second, day: first}
}

/**
 * A timestamp that cannot be read. `problem` is `offset` when the time itself is fine but its UTC
 * offset is impossible: parsers name that reason rather than their usual "expected …" hint.
 */
export class TimestampError extends UsageError {
  constructor(
    message: string,
    readonly why: string,
    readonly problem: 'offset' | 'other',
  ) {
    super(message, 'invalid_timestamp')
    this.name = 'TimestampError'
  }
}

function invalid(text: string, why: string, problem: 'offset' | 'other' = 'other'): TimestampError {
  return new TimestampError(`Invalid timestamp ${quote(text)}: ${why}.`, why, problem)
}

/**
 * A format's sentence for a time it could not read: `<what> "<text>": <why>.` when the offset is
 * what is wrong, else `<what> "<text>" <hint>.` with the format's usual "is not … such as …" hint.
 */
export function timestampRejection(what: string, text: string, error: unknown, hint: string): string {
  if (error instanceof TimestampError && error.problem === 'offset') return `${what} ${quote(text)}: ${error.why}.`
  return `${what} ${quote(text)} ${hint}.`
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

export function assertDateFormat(value: string): DateFormat {
  const v = value.trim().toLowerCase()
  if (!(dateFormats as readonly string[]).includes(v)) {
    throw new UsageError(`Unknown date format "${value}": expected dmy (31/12/2026), mdy (12/31/2026) or ymd.`, 'invalid_date_format')
  }
  return v as DateFormat
}

/**
 * The day/month order a set of export timestamps implies: `dmy` when some date's first number is
 * above 12, `mdy` when some second number is; undefined when none tells (or they contradict).
 */
export function inferDateFormat(texts: Iterable<string>): DateFormat | undefined {
  let dmy = false
  let mdy = false
  for (const text of texts) {
    const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b/.exec(text)
    if (!m) continue
    if (Number(m[1]) > 12 && Number(m[2]) <= 12) dmy = true
    else if (Number(m[2]) > 12 && Number(m[1]) <= 12) mdy = true
  }
  if (dmy === mdy) return undefined
  return dmy ? 'dmy' : 'mdy'
}
