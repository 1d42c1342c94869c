import {IANAZone} from 'luxon'

import {UsageError} from '../errors.js'
import {addDays, dateToUtc} from './calendar.js'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/**
 * Offsets are memoized per quarter hour: every zone transition since 1970 falls on a quarter-hour
 * boundary (Australia/Adelaide changes at half past the UTC hour, Nepal's offset has 45 minutes),
 * so all instants of one quarter share an offset.
 */
const QUARTER_HOUR_MS = 900_000
/** Bounds for the memo maps, so a server running for years does not grow them without end. */
const MEMO_LIMIT = 200_000
const clocks = new Map<string, LocalClock>()

/**
 * Wall-clock ↔ instant conversion in one zone, memoized: a recompute of 1 000 employees asks for
 * the same (date, shift start) thousands of times, an import resolves a million wall times of a
 * few days, and an export formats a million instants; an Intl offset lookup costs microseconds.
 *
 * DST rules are fixed so results never depend on the machine: a wall time inside a spring-forward
 * gap moves forward by the gap (02:30 → 03:30), and one that occurs twice at a fall-back takes the
 * earlier occurrence.
 */
export class LocalClock {
  private readonly zone: IANAZone | null
  private readonly instants = new Map<string, number>()
  private readonly offsets = new Map<number, number>()
  /** Wall quarter hour → its offset when no transition is near (see plainOffset); null near one. */
  private readonly plainOffsets = new Map<number, number | null>()

  /** The shared clock of a zone (zone rules do not change while the process runs). */
  static for(zoneName: string): LocalClock {
    let clock = clocks.get(zoneName)
    if (!clock) {
      clock = new LocalClock(zoneName)
      clocks.set(zoneName, clock)
    }
    return clock
  }

  private constructor(readonly zoneName: string) {
    if (zoneName === 'UTC') {
      this.zone = null
      return
    }
    this.zone = IANAZone.create(zoneName)
    if (!this.zone.isValid) {
      throw new UsageError(`Unknown time zone "${zoneName}": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.`, 'invalid_timezone')
    }
  }

  /** Minutes east of UTC at `instant`. */
  offsetMinutes(instant: number): number {
    if (!this.zone) return 0
    const quarter = Math.floor(instant / QUARTER_HOUR_MS)
    let offset = this.offsets.get(quarter)
    if (offset === undefined) {
      offset = this.zone.offset(instant)
      if (this.offsets.size >= MEMO_LIMIT) this.offsets.clear()
      this.offsets.set(quarter, offset)
    }
    return offset
  }

  /** The instant of `minute` minutes after local midnight on `date` (1440 = next midnight). */
  at(date: string, minute: number): number {
    if (minute >= 1440) return this.at(addDays(date, Math.floor(minute / 1440)), minute % 1440)
    const key = `${date}|${minute}`
    let instant = this.instants.get(key)
    if (instant === undefined) {
      instant = this.resolve(dateToUtc(date) + minute * MINUTE_MS).instant
      if (this.instants.size >= MEMO_LIMIT) this.instants.clear()
      this.instants.set(key, instant)
    }
    return instant
  }

  /**
   * The instant a wall-clock time denotes, and the offset that applied. `wall` is the local time
   * written as if it were UTC (Date.UTC of its fields).
   */
  resolve(wall: number): {instant: number; offsetMinutes: number} {
    const plain = this.plainOffset(wall)
    if (plain !== null) return {instant: wall - plain * MINUTE_MS, offsetMinutes: plain}
    const before = this.offsetMinutes(wall - DAY_MS)
    const after = this.offsetMinutes(wall + DAY_MS)
    // Offsets in force a day before and after cover every real transition (none are closer).
    const early = wall - before * MINUTE_MS
    const earlyValid = this.offsetMinutes(early) === before
    if (before === after && earlyValid) return {instant: early, offsetMinutes: before}
    const late = wall - after * MINUTE_MS
    const lateValid = this.offsetMinutes(late) === after
    // In an overlap both are valid and the earlier wins; in a gap neither is, and the wall time is
    // read with the offset in force before the change, which moves it forward by the gap.
    if (earlyValid && (!lateValid || early <= late)) return {instant: early, offsetMinutes: before}
    if (lateValid) return {instant: late, offsetMinutes: after}
    return {instant: early, offsetMinutes: this.offsetMinutes(early)}
  }

  /**
   * The offset of a wall time that is nowhere near a transition — the same offset a day before and
   * a day after, and valid at the instant it gives — memoized per wall quarter hour: an import
   * resolves a million wall times with one map lookup each (docs/architecture.md, "Import"). Null
   * near a transition, where resolve weighs the two candidates.
   *
   * One answer serves the whole quarter because offsets change only on UTC quarter-hour boundaries
   * (see QUARTER_HOUR_MS): with an offset that is a whole number of quarter hours, the walls of one
   * quarter map onto the instants of one UTC quarter, and their days before and after onto one
   * quarter each. Other offsets (Monrovia's −0:44:30 until 1972) always take the long way.
   */
  private plainOffset(wall: number): number | null {
    if (!this.zone) return 0
    const quarter = Math.floor(wall / QUARTER_HOUR_MS)
    let offset = this.plainOffsets.get(quarter)
    if (offset === undefined) {
      const start = quarter * QUARTER_HOUR_MS
      const before = this.offsetMinutes(start - DAY_MS)
      const plain = before % 15 === 0 && before === this.offsetMinutes(start + DAY_MS) && this.offsetMinutes(start - before * MINUTE_MS) === before
      offset = plain ? before : null
      if (this.plainOffsets.size >= MEMO_LIMIT) this.plainOffsets.clear()
      this.plainOffsets.set(quarter, offset)
    }
    return offset
  }

  /** The local date (`YYYY-MM-DD`) of an instant. */
  dateOf(instant: number): string {
    return this.shifted(instant).slice(0, 10)
  }

  /** `YYYY-MM-DDTHH:mm:ss±HH:MM` (or `Z`) in this zone. */
  iso(instant: number): string {
    const offset = this.offsetMinutes(instant)
    return new Date(instant + offset * MINUTE_MS).toISOString().slice(0, 19) + formatOffset(offset)
  }

  /** Local `HH:MM`. */
  time(instant: number): string {
    return this.shifted(instant).slice(11, 16)
  }

  /** Local `HH:MM:SS`. */
  timeWithSeconds(instant: number): string {
    return this.shifted(instant).slice(11, 19)
  }

  /** The instant written in local time as an ISO string (its `Z` is meaningless). */
  private shifted(instant: number): string {
    return new Date(instant + this.offsetMinutes(instant) * MINUTE_MS).toISOString()
  }
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z'
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}
