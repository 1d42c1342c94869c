import {PassThrough} from 'node:stream'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {setManualDay} from '../../src/attendance/manual.js'
import {recomputeRange} from '../../src/store/sqlite/attendance/recompute.js'
import {addManualPunch} from '../../src/punches/service.js'
import {addHoliday} from '../helpers/directory.js'
import {addLeave} from '../helpers/directory.js'
import {buildReport} from '../../src/reports/build.js'
import {pdfOf, renderReport} from '../../src/reports/render.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {addEmployee, addPunch, at} from '../attendance/fixtures.js'
import {testStore, portOf} from '../helpers/store.js'
import {pdfPages} from './pdf-text.js'

const ZONE = 'UTC'
const NOW = at('2026-03-09 20:00', ZONE)
const generatedAt = Date.parse('2026-03-10T08:00:00Z')
let store: ReturnType<typeof testStore>
const open = () => store

/**
 * One week of March 2026 (Mon 2nd … Sun 8th) with every rule of round two: Friday's own hours, a
 * half-day leave, a half holiday, work on a Saturday and on a leave day, and a day set by hand.
 */
beforeEach(async () => {
  store = testStore({timezone: ZONE})
  const id = addEmployee(store, 'EMP001', {department: 'IT'})
  addShift(open, 'Office', {start: '08:00', end: '17:00', pattern: 'fri=08:00-12:30', lateGrace: 5}, NOW)
  writeSettings(store, {defaultShift: 'Office'}, NOW)
  const punches = [
    '2026-03-02 08:00', '2026-03-02 17:00', // present
    '2026-03-03 12:30', '2026-03-03 17:00', // first half on leave
    '2026-03-04 08:00', '2026-03-04 12:30', // half holiday, second half off
    '2026-03-05 08:00', '2026-03-05 17:00', // on leave, worked anyway
    '2026-03-06 08:20', '2026-03-06 12:30', // Friday's hours: late 20
    '2026-03-07 09:00', '2026-03-07 13:00', // Saturday worked
  ]
  for (const time of punches) addPunch(store, id, time, ZONE)
  addLeave(open(), 'EMP001', {from: '2026-03-03', to: '2026-03-03', half: 'first'}, NOW)
  addLeave(open(), 'EMP001', {from: '2026-03-05', to: '2026-03-05', type: 'annual'}, NOW)
  addHoliday(open(), '2026-03-04', 'Half term', NOW, {half: 'second'})
  await setManualDay(portOf(store), 'EMP001', '2026-03-09', {status: 'present', in: '08:00', out: '17:00', note: 'Reader down'}, NOW)
  recomputeRange(store, {from: '2026-03-02', to: '2026-03-09'}, NOW)
})
afterEach(() => store.cleanup())

async function render(kind: 'summary' | 'register' | 'daily' | 'late', format: 'table' | 'json' | 'csv', date?: string) {
  const resolved = await buildReport(portOf(store), {kind, from: date ?? '2026-03-02', to: date ?? '2026-03-09', employee: null, department: null, generatedAt}, NOW)
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  await renderReport(resolved, format, sink, 0)
  return Buffer.concat(chunks).toString('utf8')
}

const pdf = async (kind: 'summary' | 'register' | 'daily', date?: string) =>
  (await pdfPages(await pdfOf(await buildReport(portOf(store), {kind, from: date ?? '2026-03-02', to: date ?? '2026-03-09', employee: null, department: null, generatedAt}, NOW)))).join('\n')

describe('reports show work on days off, half days and manual days', () => {
  it('register: marks in JSON and CSV, totals columns in every format', async () => {
    const json = JSON.parse(await render('register', 'json'))
    const row = json.groups[0].rows[0]
    expect(row.days).toEqual(['P', 'P', 'P', 'LV', 'L', 'WO', 'WO', 'P'])
    expect(row.marks).toEqual(['', '½', '½', '+', '', '+', '', '*'])
    expect(row.totals).toMatchObject({halfOffDays: 2, holidayWorkDays: 1, leaveWorkDays: 1, offDayHours: 13, manualDays: 1})
    // Two half days off: each due for half a day, so 4.5 days present over 4.5 due, 1.5 of leave.
    expect(row.totals).toMatchObject({present: 4, absent: 0, leave: 1.5})
    expect(json.dates[2]).toMatchObject({date: '2026-03-04', calendar: '-', half_holiday: 'Half term (second half off)'})

    const csv = (await render('register', 'csv')).trimEnd().split('\n')
    expect(csv[1]).toBe('IT,EMP001,Employee EMP001,P,P½,P½,LV+,L,WO+,WO,P*,4,0,1,0,1.5,44.17,0,2,1,1,13,1')

    const table = await render('register', 'table')
    expect(table).toMatch(/½\s+HW\/LW\s+Off h\s+M/)
    expect(table).toMatch(/EMP001\s+Employee EMP001\s+P\s+P½\s+P½\s+LV\s+L\s+WO\s+WO\s+P\s+4\s+0\s+1\s+0\s+1\.5\s+44:10\s+0:00\s+2\s+1\/1\s+13:00\s+1/)
    const printed = await pdf('register')
    expect(printed).toMatch(/½ HW\/LW Off h M/)
    expect(printed).toMatch(/EMP001 Employee EMP001 P P½ P½ LV L WO WO P 4 0 1 0 1\.5 44:10 0:00 2 1\/1 13:00 1/)
    expect(printed).toContain('green: worked on a day off; blue: set by hand')
    expect(printed).toContain('2026-03-04 Half term (second half off)')
  })

  it('summary: the new columns in the table, CSV, PDF and JSON (after the v1 keys)', async () => {
    const csv = (await render('summary', 'csv')).trimEnd().split('\n')
    expect(csv[0].split(',').slice(-5)).toEqual(['half_off_days', 'worked_on_holiday_days', 'worked_on_leave_days', 'off_day_hours', 'manual_days'])
    expect(csv[1].split(',').slice(-5)).toEqual(['2', '1', '1', '13', '1'])
    expect(await render('summary', 'table')).toMatch(/%\s+½\s+HW\s+LW\s+Off h\s+M/)
    expect(await pdf('summary')).toMatch(/100\.00 2 1 1 13:00 1/)
    const json = JSON.parse(await render('summary', 'json'))
    expect(Object.keys(json.users[0].attendance).slice(0, 5)).toEqual(['present_days', 'absent_days', 'late_days', 'early_departure_days', 'attendance_percentage'])
    expect(json.users[0].attendance).toMatchObject({
      working_days: 4, leave_days: 1.5, pending_days: 0, half_off_days: 2, worked_on_holiday_days: 1, worked_on_leave_days: 1, off_day_hours: 13, manual_days: 1,
    })
  })

  it('daily: the day\'s half off, work on a day off and the admin\'s note, in every format', async () => {
    const leave = JSON.parse(await render('daily', 'json', '2026-03-05')).rows[0]
    expect(leave).toMatchObject({status: 'leave', worked_on_leave: true, off_day_minutes: 540, day_marks: '+', manual: false})
    expect(await render('daily', 'table', '2026-03-05')).toMatch(/leave \(worked on leave\)\s+9:00/)
    const manual = JSON.parse(await render('daily', 'json', '2026-03-09')).rows[0]
    expect(manual).toMatchObject({status: 'present', manual: true, note: 'Reader down', day_marks: '*'})
    expect(await render('daily', 'csv', '2026-03-09')).toMatch(/,false,false,0,true,Reader down\n$/)
    expect(await pdf('daily', '2026-03-09')).toMatch(/present \(set by hand\).*Reader down/)
    const half = JSON.parse(await render('daily', 'json', '2026-03-03')).rows[0]
    expect(half).toMatchObject({half_off: 'leave_first_half', day_marks: '½'})
    expect(await render('daily', 'table', '2026-03-03')).toContain('present (leave first half off)')
  })

  it('late: a time entered by hand carries the manual flag, in every format', async () => {
    // Monday's check-in replaced: a terminal reading at 08:00 is removed and the admin's 08:25 typed in.
    store.sqlite.prepare("DELETE FROM punches WHERE instant = ?").run(at('2026-03-02 08:00', ZONE))
    await addManualPunch(portOf(store), {employeeCode: 'EMP001', at: '2026-03-02 08:25', direction: 'in', note: 'card left at home'}, NOW)
    const json = JSON.parse(await render('late', 'json'))
    expect(json.entries.map((e: {date: string; minutes: number; manual: boolean}) => [e.date, e.minutes, e.manual])).toEqual([
      ['2026-03-02', 25, true],
      ['2026-03-06', 20, false],
    ])
    const csv = (await render('late', 'csv')).trimEnd().split('\n')
    expect(csv[0].split(',').at(-1)).toBe('manual')
    expect(csv[1]).toMatch(/^2026-03-02,.*,25,true$/)
    expect(await render('late', 'table')).toMatch(/2026-03-02\s+EMP001.*08:25\*\s+25/)
  })

  it('late: the expected time is the weekday\'s own, and half a day\'s', async () => {
    const late = JSON.parse(await render('late', 'json'))
    expect(late.entries.map((e: {date: string; kind: string; expected: string}) => [e.date, e.kind, e.expected])).toEqual([
      ['2026-03-06', 'late_arrival', '08:00'],
    ])
    await setManualDay(portOf(store), 'EMP001', '2026-03-03', {status: 'present', in: '12:45', out: '17:00'}, NOW)
    const after = JSON.parse(await render('late', 'json'))
    expect(after.entries.map((e: {date: string; expected: string; minutes: number}) => [e.date, e.expected, e.minutes])).toEqual([
      ['2026-03-03', '12:30', 15],
      ['2026-03-06', '08:00', 20],
    ])
  })
})
