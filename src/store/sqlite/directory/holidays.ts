import {asc, eq, like} from 'drizzle-orm'

import {recomputeRange, type RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../../../db/open.js'
import {holidays} from '../../../db/schema.js'
import {holidayExists, holidayRange, noHoliday, type Holiday} from '../../../holidays/service.js'
import type {HolidayImportOutcome} from '../../directory.js'

/** A holiday changes the status of everyone's day: recompute those dates (past and today only). */
function recomputeDates(store: Store, dates: readonly string[], now: number): RecomputeResult | null {
  const range = holidayRange(dates)
  return range ? recomputeRange(store, range, now) : null
}

export function addHoliday(store: Store, holiday: Holiday, now: number): RecomputeResult | null {
  return store.transaction(() => {
    const existing = store.db.select().from(holidays).where(eq(holidays.date, holiday.date)).get()
    if (existing) throw holidayExists(existing)
    store.db.insert(holidays).values({...holiday, createdAt: now}).run()
    return recomputeDates(store, [holiday.date], now)
  })
}

export function listHolidays(store: Store, year?: string): Holiday[] {
  const query = store.db.select({date: holidays.date, name: holidays.name, half: holidays.half}).from(holidays)
  return (year === undefined ? query : query.where(like(holidays.date, `${year}-%`))).orderBy(asc(holidays.date)).all()
}

export function removeHoliday(store: Store, date: string, now: number): {holiday: Holiday; recomputed: RecomputeResult | null} {
  return store.transaction(() => {
    const existing = store.db.select().from(holidays).where(eq(holidays.date, date)).get()
    if (!existing) throw noHoliday(date)
    store.db.delete(holidays).where(eq(holidays.id, existing.id)).run()
    return {holiday: {date, name: existing.name, half: existing.half}, recomputed: recomputeDates(store, [date], now)}
  })
}

export function importHolidays(store: Store, rows: readonly Holiday[], now: number): HolidayImportOutcome {
  return store.transaction(() => {
    let added = 0
    let updated = 0
    let unchanged = 0
    const changedDates: string[] = []
    for (const row of rows) {
      const existing = store.db.select().from(holidays).where(eq(holidays.date, row.date)).get()
      if (!existing) {
        store.db.insert(holidays).values({...row, createdAt: now}).run()
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
    return {added, updated, unchanged, recomputed: recomputeDates(store, changedDates, now)}
  })
}
