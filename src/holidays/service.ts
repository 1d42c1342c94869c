import {parse} from 'csv-parse/sync'
import fs from 'node:fs'

import type {RecomputeResult} from '../attendance/recompute-result.js'
import type {AttendStore} from '../store/port.js'
import {AttendError, ConflictError, NotFoundError, UsageError} from '../errors.js'
import type {DayHalf} from '../attendance/engine/types.js'
import {parseHalf} from '../attendance/half-day.js'
import {parseDate} from '../time/date-input.js'

export interface Holiday {
  date: string
  name: string
  /** first | second: only that half of the day is off; null = the whole day. */
  half: DayHalf | null
}

export interface HolidayChange {
  holidays: Holiday[]
  recomputed: RecomputeResult | null
}

function validateName(name: string, where = ''): string {
  const trimmed = name.trim()
  if (!trimmed) throw new UsageError(`The holiday name cannot be empty${where}.`, 'invalid_holiday_name')
  return trimmed
}

/** The dates a holiday change recomputes (past and today only, by the recompute itself); null = none. */
export function holidayRange(dates: readonly string[]): {from: string; to: string} | null {
  if (dates.length === 0) return null
  const sorted = [...dates].sort()
  return {from: sorted[0], to: sorted.at(-1)!}
}

export function holidayExists(existing: Pick<Holiday, 'date' | 'name'>): ConflictError {
  return new ConflictError(`${existing.date} is already a holiday (${existing.name}): remove it first to rename it.`)
}

export function noHoliday(date: string): NotFoundError {
  return new NotFoundError(`${date} is not a holiday: see attend holidays list.`)
}

/**
 * Adds a holiday for everyone. `half` makes it a half-day holiday: that half is off, and the other
 * is a working half with halved thresholds and expected hours.
 */
export async function addHoliday(store: AttendStore, date: string, name: string, now: number, options: {half?: string} = {}): Promise<HolidayChange> {
  const holiday = {date: parseDate(date, 'date'), name: validateName(name), half: parseHalf(options.half, '--half')}
  const recomputed = await store.directory.addHoliday(holiday, now)
  return {holidays: [holiday], recomputed}
}

export async function listHolidays(store: AttendStore, year?: string): Promise<Holiday[]> {
  if (year !== undefined && !/^\d{4}$/.test(year.trim())) throw new UsageError(`Invalid --year "${year}": expected four digits such as 2026.`, 'invalid_year')
  return store.directory.listHolidays(year?.trim())
}

export async function removeHoliday(store: AttendStore, date: string, now: number): Promise<HolidayChange> {
  const {holiday, recomputed} = await store.directory.removeHoliday(parseDate(date, 'date'), now)
  return {holidays: [holiday], recomputed}
}

export interface HolidayImport {
  added: number
  updated: number
  unchanged: number
  rejected: {line: number; reason: string}[]
  recomputed: RecomputeResult | null
}

/**
 * Imports `date,name[,half]` rows (a header line is optional; half is first, second or empty for a
 * whole day). Bad rows are reported by line and skipped; good rows are kept. A date already in the
 * calendar takes the file's name and half.
 */
export async function importHolidays(store: AttendStore, file: string, now: number): Promise<HolidayImport> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new AttendError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  let records: string[][]
  try {
    records = parse(text, {relax_column_count: true, skip_empty_lines: true, trim: true, bom: true}) as string[][]
  } catch (error) {
    throw new UsageError(`${file} is not valid CSV: ${(error as Error).message}`, 'invalid_csv')
  }
  const rows: {line: number; date: string; name: string; half: DayHalf | null}[] = []
  const rejected: {line: number; reason: string}[] = []
  const seen = new Map<string, number>()
  records.forEach((record, index) => {
    const line = index + 1
    if (index === 0 && record[0]?.toLowerCase() === 'date') return
    if (record.length < 2) return rejected.push({line, reason: `expected date,name but found ${record.length} column`})
    const [date, name, halfText] = record
    try {
      const day = parseDate(date, 'date')
      const holidayName = validateName(name, ` on line ${line}`)
      const half = parseHalf(halfText, 'half')
      if (seen.has(day)) return rejected.push({line, reason: `${day} is already on line ${seen.get(day)}`})
      seen.set(day, line)
      rows.push({line, date: day, name: holidayName, half})
    } catch (error) {
      rejected.push({line, reason: (error as Error).message})
    }
  })
  const outcome = await store.directory.importHolidays(rows.map(({line: _line, ...holiday}) => holiday), now)
  return {...outcome, rejected}
}
