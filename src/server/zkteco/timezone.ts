import {DateTime} from 'luxon'

/**
 * The `TimeZone=` value of the ZKTeco handshake for `zone` at `now`: whole hours (-12..12) when the
 * offset is a whole number of hours, else minutes (330 for UTC+5:30) — the firmware reads any value
 * beyond ±60 as minutes. Computed at `now`, so a zone with DST gets its current offset on each
 * handshake (devices handshake again after every restart and at least daily).
 */
export function zktecoTimeZoneValue(zone: string, now: number): number {
  const offsetMinutes = DateTime.fromMillis(now, {zone}).offset
  if (offsetMinutes % 60 === 0 && Math.abs(offsetMinutes) <= 12 * 60) return offsetMinutes / 60
  return offsetMinutes
}
