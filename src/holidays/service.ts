import {parse} from 'csv-parse/sync'
import {asc, eq, like} from 'drizzle-orm'
import fs from 'node:fs'

import {recomputeRange, type RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {holidays} from '../db/schema.js'
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

/** A holiday changes the status of everyone's day: recompute those dates (past and today only). */
function recomputeDates(store: Store, dates: readonly string[], now: number): RecomputeResult | null {
  if (dates.length === 0) return null
  const sorted = [...dates].sort()
  return recomputeRange(store, {from: sorted[0], to: sorted.at(-1)!}, now)
}

/**
 * Adds a holiday for everyone. `half` makes it a half-day holiday: that half is off, and the other
 * is a working half with halved thresholds and expected hours.
 */
export function addHoliday(openStore: () => Store, date: string, name: string, now: number, options: {half?: string} = {}): HolidayChange {
  const day = parseDate(date, 'date')
  const holidayName = validateName(name)
  const half = parseHalf(options.half, '--half')
  const store = openStore()
  return store.transaction(() => {
    const existing = store.db.select().from(holidays).where(eq(holidays.date, day)).get()
    if (existing) throw new ConflictError(`${day} is already a holiday (${existing.name}): remove it first to rename it.`)
    store.db.insert(holidays).values({date: day, name: holidayName, half, createdAt: now}).run()
    return {holidays: [{date: day, name: holidayName, half}], recomputed: recomputeDates(store, [day], now)}
  })
}

export function listHolidays(openStore: () => Store, year?: string): Holiday[] {
  if (year !== undefined && !/^\d{4}$/.test(year.trim())) throw new UsageError(`Invalid --year "${year}": expected four digits such as 2026.`, 'invalid_year')
  const store = openStore()
  const query = store.db.select({date: holidays.date, name: holidays.name, half: holidays.half}).from(holidays)
  return (year === undefined ? query : query.where(like(holidays.date, `${year.trim()}-%`))).orderBy(asc(holidays.date)).all()
}

export function removeHoliday(openStore: () => Store, date: string, now: number): HolidayChange {
  const day = parseDate(date, 'date')
  const store = openStore()
  return store.transaction(() => {
    const existing = store.db.select().from(holidays).where(eq(holidays.date, day)).get()
    if (!existing) throw new NotFoundError(`${day} is not a holiday: see attend holidays list.`)
    store.db.delete(holidays).where(eq(holidays.id, existing.id)).run()
    return {holidays: [{date: day, name: existing.name, half: existing.half}], recomputed: recomputeDates(store, [day], now)}
  })
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
export function importHolidays(openStore: () => Store, file: string, now: number): HolidayImport {
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
  const store = openStore()
  return store.transaction(() => {
    let added = 0
    let updated = 0
    let unchanged = 0
    const changedDates: string[] = []
    for (const row of rows) {
      const existing = store.db.select().from(holidays).where(eq(holidays.date, row.date)).get()
      if (!existing) {
        store.db.insert(holidays).values({date: row.date, name: row.name, half: row.half, createdAt: now}).run()
        added++
        changedDates.push(row.date)
      } else if (existing.name !== row.name || existing.half !== row.half) {
        store.db.update(holidays).set({name: row.name, half: row.half}).where(eq(holidays.id, existing.id)).run()
        updated++
        if (existing.half !== row.half) changedDates.push(row.date)
      } else {
        unchanged++
      }
    }
    return {added, updated, unchanged, rejected, recomputed: recomputeDates(store, changedDates, now)}
  })
}
