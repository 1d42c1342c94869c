import {backwardsRange, invalidDate} from '../errors.js'
import {isValidDate} from './calendar.js'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * The one reader of a `YYYY-MM-DD` date typed by a person or sent by a client: flags, arguments,
 * CSV cells and query parameters all go through it, so `--from 2026-02-30` gets the same sentence
 * from every command. `name` is what the user knows the value as (`--from`, `joined_on`, `start_date`).
 */
export function parseDate(value: string, name: string): string {
  const text = value.trim()
  if (isValidDate(text)) return text
  throw invalidDate(value, name, whyNotADate(text))
}

/** An optional --from/--to pair: each a date, the end not before the start. */
export function parseDateRange(
  from: string | undefined | null,
  to: string | undefined | null,
  names: {from: string; to: string} = {from: '--from', to: '--to'},
): {from: string | null; to: string | null} {
  const start = from === undefined || from === null ? null : parseDate(from, names.from)
  const end = to === undefined || to === null ? null : parseDate(to, names.to)
  if (start && end && end < start) throw backwardsRange(start, end, names)
  return {from: start, to: end}
}

/** What is wrong with text in the right shape ("February 2026 has 28 days"); nothing for other text. */
function whyNotADate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12) return `there is no month ${month}`
  if (day < 1) return 'days start at 01'
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${MONTHS[month - 1]} ${year} has ${days} days`
}
