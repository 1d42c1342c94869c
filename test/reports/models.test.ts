import {describe, expect, it} from 'vitest'

import {dailyCsvHeader, dailyCsvRows, punchesText} from '../../src/reports/kinds/daily.js'
import {buildDaily, punchWindow} from '../../src/reports/models/daily.js'
import {buildGrid} from '../../src/reports/models/grid.js'
import {buildLate, manualPunchKey} from '../../src/reports/models/late.js'
import {buildRegister} from '../../src/reports/models/register.js'
import {buildSummary, reportId} from '../../src/reports/models/summary.js'
import type {ReportCalendar, ReportEmployee, ShiftInfo} from '../../src/reports/types.js'
import {buildInstance} from '../../src/attendance/engine/index.js'
import {LocalClock} from '../../src/time/local-clock.js'
import {shiftRule, type ShiftSpec} from '../attendance/scenarios.js'
import {day, month} from './seed.js'

const generatedAt = Date.parse('2023-02-01T10:00:00Z')
const shiftInfo = (spec: ShiftSpec & {id: number; name: string}): ShiftInfo => ({id: spec.id, name: spec.name, start: spec.start, end: spec.end, rule: shiftRule(spec)})
const january = (holidays: [string, string][] = []): ReportCalendar => ({
  from: '2023-01-01',
  to: '2023-01-31',
  zone: 'UTC',
  weekOff: [6, 7],
  holidays: new Map(holidays),
  halfHolidays: new Map(),
})
const employee = (id: number, extra: Partial<ReportEmployee> = {}): ReportEmployee => ({
  id,
  code: `EMP00${id}`,
  name: `Person ${id}`,
  department: 'IT',
  joinedOn: null,
  leftOn: null,
  ...extra,
})
const summary = (employees: ReportEmployee[], days: ReturnType<typeof month>, calendar = january()) =>
  buildSummary({employees, days, calendar, department: 'IT', employeeCode: null, generatedAt})

describe('summary report (seed 001)', () => {
  it('January 2023 with Saturday and Sunday off: 31 days, 22 working; present 21 and absent 1 is 95.45 %', () => {
    const days = month(1, '2023-01-01', '2023-01-31', (_d, i) => (i === 4 ? 'absent' : 'present'))
    const {report} = summary([employee(1, {name: 'John Doe'})], days)
    expect(report.start_date).toBe('2023-01-01')
    expect(report.end_date).toBe('2023-01-31')
    expect(report.department).toBe('IT')
    expect(report.generated_at).toBe('2023-02-01T10:00:00Z')
    expect(report.summary).toEqual({total_users: 1, total_days: 31, working_days: 22, average_attendance: 95.45})
    expect(report.users).toEqual([
      {
        id: 'usr_1',
        name: 'John Doe',
        department: 'IT',
        attendance: {
          present_days: 21, absent_days: 1, late_days: 0, early_departure_days: 0, attendance_percentage: 95.45,
          working_days: 22, leave_days: 0, pending_days: 0, half_off_days: 0, worked_on_holiday_days: 0, worked_on_leave_days: 0, off_day_hours: 0, manual_days: 0,
        },
      },
    ])
    expect(Object.keys(report)).toEqual(['report_id', 'start_date', 'end_date', 'department', 'generated_at', 'summary', 'users'])
  })

  it('gives the same report id for the same parameters and a different one for other filters', () => {
    expect(reportId('summary', {a: '1'})).toMatch(/^rep_[0-9a-f]{12}$/)
    const one = summary([employee(1)], []).report.report_id
    expect(summary([employee(1)], []).report.report_id).toBe(one)
    const other = buildSummary({employees: [], days: [], calendar: january(), department: 'HR', employeeCode: null, generatedAt}).report.report_id
    expect(other).not.toBe(one)
  })

  it('counts late and early-departure days from the engine flags', () => {
    const days = month(1, '2023-01-01', '2023-01-31', (_d, i) =>
      i < 3 ? {status: 'present', late: true} : i === 5 ? {status: 'half_day', earlyDeparture: true} : 'present',
    )
    const user = summary([employee(1)], days).report.users[0]
    expect(user.attendance.late_days).toBe(3)
    expect(user.attendance.early_departure_days).toBe(1)
  })

  it('counts a half day as 0.5 present and 0.5 absent', () => {
    const days = month(1, '2023-01-01', '2023-01-31', (_d, i) => (i === 0 || i === 1 ? 'half_day' : 'present'))
    const a = summary([employee(1)], days).report.users[0].attendance
    expect(a.present_days).toBe(21)
    expect(a.absent_days).toBe(1)
    expect(a.attendance_percentage).toBe(95.45)
  })

  it('treats leave as neither present nor absent and takes it out of the user\'s working days', () => {
    const days = month(1, '2023-01-01', '2023-01-31', (_d, i) => (i < 2 ? 'leave' : i === 2 ? 'absent' : 'present'))
    const result = summary([employee(1)], days)
    const a = result.report.users[0].attendance
    expect(a.present_days).toBe(19)
    expect(a.absent_days).toBe(1)
    expect(a.attendance_percentage).toBe(95) // 19 of 20
    expect(result.report.users[0].attendance).toMatchObject({working_days: 20, leave_days: 2})
    expect(result.report.summary.working_days).toBe(22)
  })

  it('excludes holidays from working days, from the calendar and from the engine rows', () => {
    const calendar = january([['2023-01-06', 'Epiphany']])
    const days = month(1, '2023-01-01', '2023-01-31').map((d) => (d.date === '2023-01-06' ? day(1, d.date, 'holiday') : d))
    const {report} = summary([employee(1)], days, calendar)
    expect(report.summary.working_days).toBe(21)
    expect(report.users[0].attendance).toMatchObject({present_days: 21, absent_days: 0, attendance_percentage: 100})
  })

  it('does not count pending days, missing rows or days before joined_on as absent', () => {
    // Rows only up to the 20th; the 23rd is pending; the rest has not been computed.
    const days = [
      ...month(1, '2023-01-01', '2023-01-20', (_d, i) => (i === 0 ? 'absent' : 'present')),
      day(1, '2023-01-23', 'pending'),
      ...month(2, '2023-01-16', '2023-01-20'),
    ]
    const result = summary([employee(1), employee(2, {joinedOn: '2023-01-16'})], days)
    expect(result.report.users[0].attendance).toMatchObject({present_days: 14, absent_days: 1, attendance_percentage: 93.33})
    expect(result.report.users[0].attendance.pending_days).toBe(7)
    expect(result.report.users[1].attendance).toMatchObject({present_days: 5, absent_days: 0, attendance_percentage: 100})
    expect(result.report.summary.average_attendance).toBe(96.67)
  })

  it('gives a null percentage to someone with no working day yet and leaves them out of the average', () => {
    const {report} = summary([employee(1), employee(2)], month(1, '2023-01-01', '2023-01-31'))
    expect(report.users[1].attendance.attendance_percentage).toBeNull()
    expect(report.summary.average_attendance).toBe(100)
  })

  it('ignores rows outside the employee\'s employment', () => {
    const days = month(1, '2023-01-01', '2023-01-31', () => 'absent')
    const {report} = summary([employee(1, {leftOn: '2023-01-10'})], days)
    expect(report.users[0].attendance.absent_days).toBe(7)
  })
})

describe('register', () => {
  it('writes P, L, HD, A, H, WO, LV, - and blank, with per-row totals', () => {
    const calendar = january([['2023-01-06', 'Epiphany']])
    const days = [
      day(1, '2023-01-02', 'present', {workedMinutes: 500, overtimeMinutes: 20}),
      day(1, '2023-01-03', 'present', {late: true, workedMinutes: 470}),
      day(1, '2023-01-04', 'half_day', {workedMinutes: 240}),
      day(1, '2023-01-05', 'absent'),
      day(1, '2023-01-06', 'holiday'),
      day(1, '2023-01-07', 'weekly_off'),
      day(1, '2023-01-09', 'leave'),
      day(1, '2023-01-10', 'pending'),
    ]
    const report = buildRegister({employees: [employee(1, {leftOn: '2023-01-30'})], days, calendar, department: null, employeeCode: null, generatedAt})
    const row = report.groups[0].rows[0]
    expect(row.days.slice(0, 11)).toEqual(['WO', 'P', 'L', 'HD', 'A', 'H', 'WO', 'WO', 'LV', '-', '-'])
    expect(row.days[30]).toBe('')
    expect(row.totals).toEqual({
      present: 2.5, absent: 1.5, late: 1, halfDays: 1, leave: 1, workedHours: 20.17, overtimeHours: 0.33,
      halfOffDays: 0, holidayWorkDays: 0, leaveWorkDays: 0, offDayHours: 0, manualDays: 0,
    })
    expect(report.dates[5]).toMatchObject({date: '2023-01-06', weekday: 'Fr', calendar: 'H', holiday: 'Epiphany'})
    expect(report.legend.map((l) => l.code)).toEqual(['P', 'L', 'HD', 'A', 'H', 'WO', 'LV', '-', '(blank)', '½', '+', '*'])
  })

  it('groups by department (no department last) with group and grand totals', () => {
    const employees = [employee(1, {department: 'Teaching'}), employee(2, {department: null}), employee(3, {department: 'Admin'})]
    const days = [...month(1, '2023-01-01', '2023-01-31'), ...month(2, '2023-01-01', '2023-01-31'), ...month(3, '2023-01-01', '2023-01-31', () => 'absent')]
    const report = buildRegister({employees, days, calendar: january(), department: null, employeeCode: null, generatedAt})
    expect(report.groups.map((g) => g.department)).toEqual(['Admin', 'Teaching', null])
    expect(report.groups[0].totals.absent).toBe(22)
    expect(report.totals).toMatchObject({present: 44, absent: 22})
  })
})

describe('grid', () => {
  it('fills dates without rows from the calendar, never as absent', () => {
    const grid = buildGrid([employee(1)], [], january([['2023-01-02', 'New Year (observed)']]))
    expect(grid.rows[0].codes.slice(0, 4)).toEqual(['WO', 'H', '-', '-'])
  })
})

describe('late report', () => {
  const shifts = new Map<number, ShiftInfo>([[1, shiftInfo({id: 1, name: 'Morning', start: '08:00', end: '14:00'})]])

  it('lists late arrivals and early departures with the expected shift time and the local actual time', () => {
    const days = [
      day(1, '2023-01-03', 'present', {shiftId: 1, late: true, lateMinutes: 17, firstIn: Date.parse('2023-01-03T07:17:00Z')}),
      day(1, '2023-01-04', 'half_day', {shiftId: 1, earlyDeparture: true, earlyMinutes: 90, lastOut: Date.parse('2023-01-04T11:30:00Z')}),
      day(1, '2023-01-05', 'absent', {late: true}),
    ]
    const report = buildLate({
      from: '2023-01-01', to: '2023-01-31', zone: 'Europe/Warsaw', employees: [employee(1)], days, shifts, manualPunches: new Set(), department: null, employeeCode: null, generatedAt,
    })
    expect(report.entries).toEqual([
      {date: '2023-01-03', code: 'EMP001', name: 'Person 1', department: 'IT', kind: 'late_arrival', shift: 'Morning', expected: '08:00', actual: '2023-01-03T08:17:00+01:00', minutes: 17, manual: false},
      {date: '2023-01-04', code: 'EMP001', name: 'Person 1', department: 'IT', kind: 'early_departure', shift: 'Morning', expected: '14:00', actual: '2023-01-04T12:30:00+01:00', minutes: 90, manual: false},
    ])
    expect(report.totals).toEqual({late_arrivals: 1, late_minutes: 17, early_departures: 1, early_minutes: 90})
  })

  it('flags a time that was entered by hand: a manual punch, or a day set by hand', () => {
    const lateIn = Date.parse('2023-01-03T07:17:00Z')
    const days = [
      day(1, '2023-01-03', 'present', {shiftId: 1, late: true, lateMinutes: 17, firstIn: lateIn, earlyDeparture: true, earlyMinutes: 30, lastOut: Date.parse('2023-01-03T12:30:00Z')}),
      day(1, '2023-01-04', 'present', {shiftId: 1, late: true, lateMinutes: 5, firstIn: Date.parse('2023-01-04T07:05:00Z'), manual: true}),
    ]
    const report = buildLate({
      from: '2023-01-01', to: '2023-01-31', zone: 'Europe/Warsaw', employees: [employee(1)], days, shifts,
      manualPunches: new Set([manualPunchKey(1, lateIn)]), department: null, employeeCode: null, generatedAt,
    })
    expect(report.entries.map((e) => [e.date, e.kind, e.manual])).toEqual([
      ['2023-01-03', 'early_departure', false],
      ['2023-01-03', 'late_arrival', true],
      ['2023-01-04', 'late_arrival', true],
    ])
  })
})

describe('daily report', () => {
  const night = shiftInfo({id: 2, name: 'Night', start: '22:00', end: '06:00'})

  it('gives a night shift the next morning\'s punches', () => {
    const [start, end] = punchWindow(buildInstance(LocalClock.for('UTC'), '2023-01-05', night.rule), undefined)
    expect(new Date(start).toISOString()).toBe('2023-01-05T21:00:00.000Z')
    expect(new Date(end - 1).toISOString()).toBe('2023-01-06T07:00:00.000Z')
  })

  it('shows check-in/out, status, every punch of the day in local time and marks manual punches', () => {
    const zone = 'Africa/Nairobi'
    const at = (iso: string) => Date.parse(iso)
    const days = [day(1, '2023-01-05', 'present', {firstIn: at('2023-01-05T05:02:00Z'), lastOut: at('2023-01-05T14:01:00Z'), lateMinutes: 2, late: true})]
    const punches = [
      {id: 1, employeeId: 1, instant: at('2023-01-04T06:00:00Z'), direction: null, manual: false, deviceKey: 'SN1'},
      {id: 2, employeeId: 1, instant: at('2023-01-05T05:02:00Z'), direction: 'in' as const, manual: false, deviceKey: 'SN1'},
      {id: 3, employeeId: 1, instant: at('2023-01-05T14:01:00Z'), direction: 'out' as const, manual: true, deviceKey: 'manual'},
    ]
    const report = buildDaily({
      date: '2023-01-05',
      employees: [employee(1), employee(2), employee(3, {joinedOn: '2023-02-01'})],
      days,
      shifts: new Map(),
      punches,
      calendar: {...january(), zone},
      department: null,
      employeeCode: null,
      generatedAt,
    })
    expect(report.rows).toHaveLength(2)
    expect(report.rows[0]).toMatchObject({
      code: 'EMP001',
      check_in: '2023-01-05T08:02:00+03:00',
      check_out: '2023-01-05T17:01:00+03:00',
      status: 'present',
      day_code: 'L',
      late_minutes: 2,
    })
    expect(report.rows[0].punches).toEqual([
      {time: '2023-01-05T08:02:00+03:00', local: '08:02:00', day_offset: 0, direction: 'in', manual: false, device: 'SN1', ignored: false},
      {time: '2023-01-05T17:01:00+03:00', local: '17:01:00', day_offset: 0, direction: 'out', manual: true, device: 'manual', ignored: false},
    ])
    expect(report.rows[1]).toMatchObject({code: 'EMP002', status: 'pending', punches: []})
    expect(report.counts).toMatchObject({present: 1, pending: 1})
  })
})

describe('daily report: every punch of the day (issue 6)', () => {
  const zone = 'Africa/Nairobi'
  const local = (date: string, time: string) => Date.parse(`${date}T${time}:00+03:00`)
  const dayShift = shiftInfo({id: 1, name: 'Day', start: '09:00', end: '17:00'})
  const nightShift = shiftInfo({id: 2, name: 'Night', start: '22:00', end: '06:00'})
  const windowed = shiftInfo({id: 3, name: 'Windowed', start: '09:00', end: '17:00', inWindow: '08:30-09:30', outWindow: '16:30-18:00'})
  const punch = (id: number, instant: number, extra: Partial<{direction: 'in' | 'out' | null; manual: boolean; deviceKey: string}> = {}) => ({
    id, employeeId: 1, instant, direction: null, manual: false, deviceKey: 'SN1', ...extra,
  })
  const daily = (date: string, days: ReturnType<typeof day>[], punches: ReturnType<typeof punch>[]) =>
    buildDaily({
      date,
      employees: [employee(1)],
      days,
      shifts: new Map([[1, dayShift], [2, nightShift], [3, windowed]]),
      punches,
      calendar: {...january(), zone},
      department: null,
      employeeCode: null,
      generatedAt,
    })

  it('lists a 07:30 punch outside the check-in window, marked ignored, with the punches the engine counted', () => {
    const d = '2023-01-05'
    const days = [day(1, d, 'present', {shiftId: 1, firstIn: local(d, '09:15'), lastOut: local(d, '18:30'), lateMinutes: 15, late: true})]
    const punches = ['07:30', '09:15', '12:00', '16:30', '18:30'].map((t, i) => punch(i + 1, local(d, t)))
    const row = daily(d, days, punches).rows[0]
    expect(row.punches.map((p) => [p.local, p.ignored, p.day_offset])).toEqual([
      ['07:30:00', true, 0],
      ['09:15:00', false, 0],
      ['12:00:00', false, 0],
      ['16:30:00', false, 0],
      ['18:30:00', false, 0],
    ])
    expect(punchesText(row.punches, false)).toBe('07:30 (ignored), 09:15, 12:00, 16:30, 18:30')
  })

  it('marks as ignored the punches of the shift that fall outside both of its windows, as the engine does', () => {
    const d = '2023-01-05'
    const days = [day(1, d, 'present', {shiftId: 3, firstIn: local(d, '08:55'), lastOut: local(d, '17:10')})]
    const punches = ['08:55', '12:00', '13:05', '17:10'].map((t, i) => punch(i + 1, local(d, t)))
    const row = daily(d, days, punches).rows[0]
    expect(row.punches.map((p) => [p.local, p.ignored])).toEqual([
      ['08:55:00', false],
      ['12:00:00', true],
      ['13:05:00', true],
      ['17:10:00', false],
    ])
  })

  it('shows a night shift 22:00–06:00 with its 06:02 check-out as next day, and not again under that next day', () => {
    const days = [
      day(1, '2023-01-05', 'present', {shiftId: 2, firstIn: local('2023-01-05', '21:55'), lastOut: local('2023-01-06', '06:02')}),
      day(1, '2023-01-06', 'absent', {shiftId: 2}),
    ]
    const punches = [
      punch(1, local('2023-01-05', '21:55'), {direction: 'in'}),
      punch(2, local('2023-01-06', '06:02'), {direction: 'out'}),
      punch(3, local('2023-01-06', '12:10')),
    ]
    const first = daily('2023-01-05', days, punches).rows[0]
    expect(first.punches.map((p) => [p.time, p.day_offset, p.ignored])).toEqual([
      ['2023-01-05T21:55:00+03:00', 0, false],
      ['2023-01-06T06:02:00+03:00', 1, false],
    ])
    expect(punchesText(first.punches, false)).toBe('21:55 in, 06:02 (+1) out')
    // On the 6th the 06:02 stays with the 5th's night shift; the stray midday punch is the 6th's, ignored.
    const second = daily('2023-01-06', days, punches).rows[0]
    expect(second.punches.map((p) => [p.local, p.ignored])).toEqual([['12:10:00', true]])
  })

  it('assumes the night shift on the day before when only the report date is loaded', () => {
    const days = [day(1, '2023-01-06', 'present', {shiftId: 2, firstIn: local('2023-01-06', '22:00'), lastOut: local('2023-01-07', '06:00')})]
    const punches = [punch(1, local('2023-01-06', '05:58')), punch(2, local('2023-01-06', '22:00')), punch(3, local('2023-01-07', '06:00'))]
    const row = daily('2023-01-06', days, punches).rows[0]
    expect(row.punches.map((p) => [p.local, p.day_offset])).toEqual([['22:00:00', 0], ['06:00:00', 1]])
  })

  it('still marks manual punches, in the table and the CSV', () => {
    const d = '2023-01-05'
    const days = [day(1, d, 'present', {shiftId: 1, firstIn: local(d, '09:00'), lastOut: local(d, '17:05')})]
    const punches = [punch(1, local(d, '09:00'), {direction: 'in'}), punch(2, local(d, '17:05'), {direction: 'out', manual: true, deviceKey: 'manual'}), punch(3, local(d, '20:30'), {manual: true, deviceKey: 'manual'})]
    const report = daily(d, days, punches)
    expect(report.rows[0].punches.map((p) => [p.manual, p.ignored])).toEqual([[false, false], [true, false], [true, true]])
    expect(punchesText(report.rows[0].punches)).toBe('09:00:00 in, 17:05:00* out, 20:30:00* (ignored)')
    const csv = [...dailyCsvRows(report)][0][dailyCsvHeader.indexOf('punches')]
    expect(csv).toBe('2023-01-05T09:00:00+03:00 in; 2023-01-05T17:05:00+03:00* out; 2023-01-05T20:30:00+03:00* (ignored)')
  })
})
