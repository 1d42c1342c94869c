/**
 * Device time as the protocol packs it. The terminal keeps a wall clock with no zone: the pull
 * service reads these fields in the device's zone (docs/architecture.md, "Agent mode").
 */
export interface ZkDateTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const DAY_SECONDS = 86_400

/**
 * A packed u32: seconds in a calendar of 12 months of 31 days from 2000-01-01, i.e.
 * `((y%100)*12*31 + (m-1)*31 + d-1)*86400 + (h*60+mi)*60 + s`. The calendar can express dates
 * that do not exist (Feb 30): decoding returns them as they are; `impossibleDate` says so.
 */
export function decodePackedTime(value: number): ZkDateTime {
  let t = value >>> 0
  const second = t % 60
  t = Math.floor(t / 60)
  const minute = t % 60
  t = Math.floor(t / 60)
  const hour = t % 24
  t = Math.floor(t / 24)
  const day = (t % 31) + 1
  t = Math.floor(t / 31)
  const month = (t % 12) + 1
  const year = Math.floor(t / 12) + 2000
  return {year, month, day, hour, minute, second}
}

export function encodePackedTime(t: ZkDateTime): number {
  return (((t.year % 100) * 12 * 31 + (t.month - 1) * 31 + t.day - 1) * DAY_SECONDS + (t.hour * 60 + t.minute) * 60 + t.second) >>> 0
}

/** Realtime events carry the time as six bytes: year − 2000, month, day, hour, minute, second. */
export function decodeTimeBytes(bytes: Buffer, offset = 0): ZkDateTime {
  return {
    year: 2000 + bytes[offset],
    month: bytes[offset + 1],
    day: bytes[offset + 2],
    hour: bytes[offset + 3],
    minute: bytes[offset + 4],
    second: bytes[offset + 5],
  }
}

export function encodeTimeBytes(t: ZkDateTime): Buffer {
  return Buffer.from([t.year - 2000, t.month, t.day, t.hour, t.minute, t.second])
}

/** Why these fields name no real moment, or null when they do. */
export function impossibleDate(t: ZkDateTime): string | null {
  const text = wallClockText(t)
  if (t.month < 1 || t.month > 12) return `impossible date ${text}: there is no month ${t.month}`
  const days = daysInMonth(t.year, t.month)
  if (t.day < 1 || t.day > days) return `impossible date ${text}: ${monthName(t.month)} ${t.year} has ${days} days`
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return `impossible time ${text}`
  return null
}

/** `YYYY-MM-DD HH:MM:SS`, the form every wall-clock source in attend uses. */
export function wallClockText(t: ZkDateTime): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`
}

/** Fields of a `YYYY-MM-DD HH:MM:SS` (or `T`-separated) wall-clock text. */
export function fromWallClockText(text: string): ZkDateTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(text)
  if (!m) throw new Error(`not a wall-clock time: ${text}`)
  return {year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6]}
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

function monthName(month: number): string {
  return MONTHS[month - 1]
}
