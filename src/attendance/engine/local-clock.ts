import {IANAZone} from 'luxon'

import {addDays, dateToUtc} from './dates.js'
import type {MinuteOfDay} from './types.js'

const DAY_MS = 86_400_000

/**
 * Wall-clock ↔ instant conversion in one zone, memoized: a recompute of 1 000 employees asks for
 * the same (date, shift start) thousands of times. DST rules are fixed so results never depend on
 * the machine: a wall time inside a spring-forward gap moves forward by the gap (02:30 → 03:30),
 * and one that occurs twice at a fall-back takes the earlier occurrence.
 */
const QUARTER_HOUR_MS = 900_000
/** Bounds for the memo maps, so a server running for years does not grow them without end. */
const MEMO_LIMIT = 200_000
const clocks = new Map<string, LocalClock>()

export class LocalClock {
  private readonly zone: IANAZone
  private readonly instants = new Map<string, number>()
  private readonly offsets = new Map<number, number>()

  /**
   * The shared clock of a zone. Every ingest recomputes a few days, and a fresh clock would ask
   * Intl for every offset again; zone rules do not change while the process runs.
   */
  static for(zoneName: string): LocalClock {
    let clock = clocks.get(zoneName)
    if (!clock) {
      clock = new LocalClock(zoneName)
      clocks.set(zoneName, clock)
    }
    return clock
  }

  constructor(readonly zoneName: string) {
    this.zone = IANAZone.create(zoneName)
    if (!this.zone.isValid) throw new Error(`Invalid time zone ${zoneName}`)
  }

  /** The instant of `minute` minutes after local midnight on `date` (1440 = next midnight). */
  at(date: string, minute: MinuteOfDay): number {
    if (minute >= 1440) return this.at(addDays(date, Math.floor(minute / 1440)), minute % 1440)
    const key = `${date}|${minute}`
    let instant = this.instants.get(key)
    if (instant === undefined) {
      instant = this.resolve(dateToUtc(date) + minute * 60_000)
      if (this.instants.size >= MEMO_LIMIT) this.instants.clear()
      this.instants.set(key, instant)
    }
    return instant
  }

  /** The local date of an instant. */
  dateOf(instant: number): string {
    return new Date(instant + this.offsetMinutes(instant) * 60_000).toISOString().slice(0, 10)
  }

  /**
   * Memoized per quarter hour: every zone transition since 1970 falls on a quarter-hour
   * boundary, so all instants of one quarter share an offset.
   */
  offsetMinutes(instant: number): number {
    const quarter = Math.floor(instant / QUARTER_HOUR_MS)
    let offset = this.offsets.get(quarter)
    if (offset === undefined) {
      offset = this.zone.offset(instant)
      if (this.offsets.size >= MEMO_LIMIT) this.offsets.clear()
      this.offsets.set(quarter, offset)
    }
    return offset
  }

  /** `wall` is the local time written as if it were UTC. */
  private resolve(wall: number): number {
    const before = this.offsetMinutes(wall - DAY_MS)
    const after = this.offsetMinutes(wall + DAY_MS)
    const valid = [before, after]
      .map((offset) => wall - offset * 60_000)
      .filter((instant) => this.offsetMinutes(instant) * 60_000 === wall - instant)
    if (valid.length > 0) return Math.min(...valid)
    // In a gap: read the wall time with the offset in force before the change.
    return wall - before * 60_000
  }
}
