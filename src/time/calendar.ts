import {weekdays, type Weekday} from './weekdays.js'

/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. No zone is involved, so plain UTC dates suffice;
 * what turns a date into instants is LocalClock.
 */
const DAY_MS = 86_400_000
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const TWO_DIGITS = Array.from({length: 32}, (_, i) => String(i).padStart(2, '0'))

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function dateToUtc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

/**
 * `date` moved by `days`. The engine asks this a few times per punch and per day computed, so a
 * move that stays inside the month is done on the day field alone, without a Date.
 */
export function addDays(date: string, days: number): string {
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48) + days
  if (day >= 1 && day <= 28 && date.length === 10) return date.slice(0, 8) + TWO_DIGITS[day]
  return new Date(dateToUtc(date) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(text: string): boolean {
  const match = DATE_RE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1) return false
  const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))
  return day <= MONTH_DAYS[month - 1] + (leap ? 1 : 0)
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = []
  for (let day = dateToUtc(from), end = dateToUtc(to); day <= end; day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10))
  return dates
}

/** Days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((dateToUtc(to) - dateToUtc(from)) / DAY_MS) + 1
}

/** ISO weekday number of a date: 1 = Monday … 7 = Sunday. */
export function weekdayNumber(date: string): number {
  const day = new Date(dateToUtc(date)).getUTCDay()
  return day === 0 ? 7 : day
}

export function weekdayOfDate(date: string): Weekday {
  return weekdays[weekdayNumber(date) - 1]
}
