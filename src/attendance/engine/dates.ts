import {weekdays, type Weekday} from '../../time/weekdays.js'

const DAY_MS = 86_400_000

/** Calendar arithmetic on `YYYY-MM-DD` strings: no zone is involved, so plain UTC dates suffice. */
export function addDays(date: string, days: number): string {
  return new Date(dateToUtc(date) + days * DAY_MS).toISOString().slice(0, 10)
}

export function weekdayOfDate(date: string): Weekday {
  // getUTCDay: 0 = Sunday; our list starts on Monday.
  return weekdays[(new Date(dateToUtc(date)).getUTCDay() + 6) % 7]
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let date = from; date <= to; date = addDays(date, 1)) out.push(date)
  return out
}

export function dateToUtc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isValidDate(text: string): boolean {
  const match = DATE_RE.exec(text)
  if (!match) return false
  const utc = dateToUtc(text)
  return new Date(utc).toISOString().slice(0, 10) === text
}
