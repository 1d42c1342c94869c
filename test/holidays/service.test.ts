import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {addHoliday, importHolidays, listHolidays, removeHoliday} from '../../src/holidays/service.js'
import {describeEngines} from '../helpers/engines.js'
import {portOf, testStore} from '../helpers/store.js'
import {addEmployee, at, day} from '../attendance/fixtures.js'

const NOW = at('2026-03-06 20:00', 'UTC')
let store: ReturnType<typeof testStore>
const port = () => portOf(store, () => NOW)
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

describe('holidays service', () => {
  it('marks past days as holidays and leaves future ones to be computed when they come', async () => {
    const alice = addEmployee(store, 'EMP001')
    expect((await addHoliday(port(), '2026-03-04', ' Founders Day ', NOW)).recomputed).toMatchObject({employees: 1, days: 1, changed: 1})
    expect(day(store, alice, '2026-03-04')?.status).toBe('holiday')
    expect((await addHoliday(port(), '2026-12-25', 'Christmas Day', NOW)).recomputed).toMatchObject({days: 0, changed: 0})
    expect((await listHolidays(port(), '2026'))).toEqual([{date: '2026-03-04', name: 'Founders Day', half: null}, {date: '2026-12-25', name: 'Christmas Day', half: null}])
    await removeHoliday(port(), '2026-03-04', NOW)
    expect(day(store, alice, '2026-03-04')?.status).toBe('absent')
  })

  it('imports date,name rows with or without a header, renaming existing dates', async () => {
    const file = path.join(store.dir, 'h.csv')
    fs.writeFileSync(file, '2026-01-01,New Year\n2026-05-01,"Labour Day, observed"\nMay 2,Oops\n')
    expect((await importHolidays(port(), file, NOW))).toMatchObject({added: 2, rejected: [{line: 3, reason: expect.stringContaining('Invalid date "May 2"')}]})
    fs.writeFileSync(file, 'date,name\n2026-01-01,New Year\'s Day\n')
    expect((await importHolidays(port(), file, NOW))).toMatchObject({added: 0, updated: 1, rejected: []})
    expect((await listHolidays(port())).map((h) => h.name)).toEqual(["New Year's Day", 'Labour Day, observed'])
    await expect(importHolidays(port(), path.join(store.dir, 'missing.csv'), NOW)).rejects.toThrow(/Cannot read .*missing\.csv: no such file/)
  })

  it('keeps half-day holidays apart: a working half, in the calendar and in imports', async () => {
    const alice = addEmployee(store, 'EMP001')
    const change = await addHoliday(port(), '2026-03-04', 'Half term', NOW, {half: 'second'})
    expect(change.holidays).toEqual([{date: '2026-03-04', name: 'Half term', half: 'second'}])
    expect(day(store, alice, '2026-03-04')?.status).toBe('absent')
    expect(store.sqlite.prepare('SELECT half_off FROM attendance_days WHERE date = ?').pluck().get('2026-03-04')).toBe('holiday_second_half')
    const file = path.join(store.dir, 'h.csv')
    fs.writeFileSync(file, 'date,name,half\n2026-03-04,Half term,\n2026-12-24,Christmas Eve,second\n2026-12-31,New Year\'s Eve,evening\n')
    expect((await importHolidays(port(), file, NOW))).toMatchObject({
      added: 1, updated: 1, rejected: [{line: 4, reason: 'Invalid half "evening": expected first or second (the half of the day that is off).'}],
    })
    // Made a whole holiday by the import: recomputed.
    expect(day(store, alice, '2026-03-04')?.status).toBe('holiday')
    expect((await listHolidays(port())).map((h) => h.half)).toEqual([null, 'second'])
  })
})

describeEngines('the holiday calendar', (engine) => {
  const store = () => engine().port

  it('adds, lists by year, refuses a second holiday on a date, imports and removes, on either engine', async () => {
    await addHoliday(store(), '2026-03-04', ' Founders Day ', NOW, {half: 'first'})
    await addHoliday(store(), '2027-01-01', 'New Year', NOW)
    await expect(addHoliday(store(), '2026-03-04', 'Again', NOW)).rejects.toThrow('2026-03-04 is already a holiday (Founders Day): remove it first to rename it.')
    expect(await listHolidays(store(), '2026')).toEqual([{date: '2026-03-04', name: 'Founders Day', half: 'first'}])
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attend-h-')), 'h.csv')
    fs.writeFileSync(file, 'date,name,half\n2026-03-04,Founders Day,\n2026-12-25,Christmas Day,\n2027-01-01,New Year,\n')
    expect(await importHolidays(store(), file, NOW)).toMatchObject({added: 1, updated: 1, unchanged: 1, rejected: []})
    expect((await removeHoliday(store(), '2026-12-25', NOW)).holidays).toEqual([{date: '2026-12-25', name: 'Christmas Day', half: null}])
    await expect(removeHoliday(store(), '2026-12-25', NOW)).rejects.toThrow('2026-12-25 is not a holiday: see attend holidays list.')
    expect(await listHolidays(store())).toEqual([{date: '2026-03-04', name: 'Founders Day', half: null}, {date: '2027-01-01', name: 'New Year', half: null}])
  })
})
