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

/**
 * ZKTeco's packed time (`SET OPTIONS DateTime=`, `rtdata` DateTime): every month 31 days long and
 * every year 12 × 31 days, counted from 2000 — a packed field, not a duration.
 */
export function zktecoPackedTime(ms: number): number {
  const d = new Date(ms)
  return ((d.getUTCFullYear() - 2000) * 12 * 31 + d.getUTCMonth() * 31 + d.getUTCDate() - 1) * 86_400 + (d.getUTCHours() * 60 + d.getUTCMinutes()) * 60 + d.getUTCSeconds()
}

/**
 * The reply to PUSH 3.x `GET /iclock/rtdata?type=time`: `DateTime=<packed UTC time>,ServerTZ=<±HHMM>`,
 * the server's clock in UTC and the offset of the device's zone, from which the device sets its clock.
 */
export function rtdataTimeReply(now: number, zone: string): string {
  const offset = DateTime.fromMillis(now, {zone}).offset
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `DateTime=${zktecoPackedTime(now)},ServerTZ=${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
}
