import {DateTime, IANAZone} from 'luxon'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

function utcDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

export function addDays(date: string, days: number): string {
  return new Date(utcDay(date) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS) + 1
}

export function eachDate(from: string, to: string): string[] {
  const dates: string[] = []
  for (let day = utcDay(from), end = utcDay(to); day <= end; day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10))
  return dates
}

/** Luxon weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function weekdayNumber(date: string): number {
  const day = new Date(utcDay(date)).getUTCDay()
  return day === 0 ? 7 : day
}

const SHORT_WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']
export function shortWeekday(date: string): string {
  return SHORT_WEEKDAYS[weekdayNumber(date) - 1]
}

/** The instant local midnight of `date` starts in `zone`. */
export function startOfLocalDay(date: string, zone: string): number {
  return DateTime.fromISO(date, {zone}).startOf('day').toMillis()
}

/** The instant of a wall-clock `HH:MM` on `date` in `zone` (DST gaps move forward, as luxon does). */
export function wallClockInstant(date: string, time: string, zone: string): number {
  return DateTime.fromISO(`${date}T${time}`, {zone}).toMillis()
}

/**
 * Formats instants as site-local times. Zone offsets are looked up once per quarter hour of time and
 * cached, because a punches export formats a million instants and Intl lookups dominate otherwise
 * (a quarter, not an hour: zones such as Australia/Adelaide change at half past the UTC hour).
 */
export class LocalClock {
  private readonly zone: IANAZone | null
  private readonly offsets = new Map<number, number>()

  constructor(zoneName: string) {
    this.zone = zoneName === 'UTC' ? null : IANAZone.create(zoneName)
  }

  /** Minutes east of UTC at `ms`. */
  offset(ms: number): number {
    if (!this.zone) return 0
    const quarter = Math.floor(ms / 900_000)
    let offset = this.offsets.get(quarter)
    if (offset === undefined) {
      offset = this.zone.offset(ms)
      if (this.offsets.size > 100_000) this.offsets.clear()
      this.offsets.set(quarter, offset)
    }
    return offset
  }

  /** `YYYY-MM-DDTHH:mm:ss±HH:MM` in the site zone. */
  iso(ms: number): string {
    const offset = this.offset(ms)
    const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19)
    return local + formatOffset(offset)
  }

  date(ms: number): string {
    return new Date(ms + this.offset(ms) * 60_000).toISOString().slice(0, 10)
  }

  /** `HH:MM` */
  time(ms: number): string {
    return new Date(ms + this.offset(ms) * 60_000).toISOString().slice(11, 16)
  }

  /** `HH:MM:SS` */
  timeWithSeconds(ms: number): string {
    return new Date(ms + this.offset(ms) * 60_000).toISOString().slice(11, 19)
  }
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z'
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** An instant as seed 001 writes it: `2023-02-01T10:00:00Z` (no milliseconds). */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `7:05` for 425 minutes. */
export function hoursMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : ''
  const abs = Math.abs(Math.round(minutes))
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`
}
