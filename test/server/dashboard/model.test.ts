import {describe, expect, it} from 'vitest'

import type {DailyPunch, DailyReport, DailyRow} from '../../../src/reports/models/daily.js'
import type {RegisterReport, RegisterRow} from '../../../src/reports/models/register.js'
import type {DevicePresenceView} from '../../../src/devices/presence-view.js'
import {checkedIn, devicesView, feedPunch, inNow, mapCommand, monthEnd, monthView, shellWord, sourceLabel, todayView} from '../../../src/server/dashboard/model.js'

const punch = (time: string, direction: 'in' | 'out' | null = null, ignored = false): DailyPunch => ({
  time: `2026-03-12T${time}:00+03:00`,
  local: `${time}:00`,
  day_offset: 0,
  direction,
  manual: false,
  device: 'GATE-1',
  ignored,
})

function row(code: string, status: DailyRow['status'], extra: Partial<DailyRow> = {}): DailyRow {
  return {
    code,
    name: `Person ${code}`,
    department: 'Teaching',
    shift: 'Day',
    check_in: null,
    check_out: null,
    worked_minutes: 0,
    late_minutes: 0,
    early_minutes: 0,
    status,
    day_code: 'P',
    day_marks: '',
    missed_punch: false,
    half_off: null,
    worked_on_holiday: false,
    worked_on_leave: false,
    off_day_minutes: 0,
    manual: false,
    note: null,
    punches: [],
    ...extra,
  }
}

function daily(date: string, rows: DailyRow[]): DailyReport {
  const counts = {present: 0, absent: 0, half_day: 0, holiday: 0, weekly_off: 0, leave: 0, pending: 0}
  for (const r of rows) counts[r.status]++
  return {kind: 'daily', date, department: null, employee: null, zone: 'Africa/Nairobi', generated_at: '2026-03-12T10:00:00Z', rows, counts}
}

describe("today's figures are the daily report's", () => {
  it('counts every status as the report does, late arrivals whatever their status, and per department in report order', () => {
    const report = daily('2026-03-12', [
      row('E1', 'present', {department: 'Admin', late_minutes: 12, check_in: '2026-03-12T08:12:00+03:00'}),
      row('E2', 'absent', {department: 'Admin'}),
      row('E3', 'pending', {department: 'Teaching', late_minutes: 3, check_in: '2026-03-12T08:03:00+03:00'}),
      row('E4', 'pending', {department: 'Teaching'}),
      row('E5', 'leave', {department: null}),
    ])
    const view = todayView(report)
    expect(view.counts).toEqual({on_roll: 5, present: 1, half_day: 0, late: 2, absent: 1, leave: 1, pending: 2, pending_in: 1, holiday: 0, weekly_off: 0})
    for (const status of ['present', 'absent', 'leave', 'pending', 'half_day', 'holiday', 'weekly_off'] as const) expect(view.counts[status]).toBe(report.counts[status])
    expect(view.departments.map((d) => [d.name, d.on_roll, d.present, d.late, d.absent, d.leave, d.pending])).toEqual([
      ['Admin', 2, 1, 1, 1, 0, 0],
      ['Teaching', 2, 0, 1, 0, 0, 2],
      ['No department', 1, 0, 0, 0, 1, 0],
    ])
  })
})

describe('who is in', () => {
  it.each([
    ['no punch', [], null],
    ['one punch of a terminal that does not say which way', [punch('08:00')], '08:00'],
    ['two such punches: in and out again', [punch('08:00'), punch('12:00')], null],
    ['three: back from lunch', [punch('08:00'), punch('12:00'), punch('13:00')], '13:00'],
    ['last punch says out', [punch('08:00', 'in'), punch('09:00', 'out')], null],
    ['last punch says in, whatever came before', [punch('08:00', 'in'), punch('09:00', 'in')], '09:00'],
    ['a punch the engine ignored does not count', [punch('08:00'), punch('23:30', null, true)], '08:00'],
  ] as const)('%s', (_what, punches, last) => {
    expect(checkedIn(punches)?.time.slice(11, 16) ?? null).toBe(last)
  })

  it("lists today's people in, and yesterday's night shift still running, today's own punches winning", () => {
    const yesterday = daily('2026-03-11', [
      row('N1', 'pending', {shift: 'Night', punches: [punch('22:00')]}),
      row('N2', 'present', {shift: 'Night', punches: [punch('22:00')]}),
      row('D1', 'present', {punches: [punch('08:00')]}),
    ])
    const today = daily('2026-03-12', [
      row('N1', 'pending', {shift: 'Night'}),
      row('N2', 'pending', {shift: 'Night', punches: [punch('21:55'), punch('21:58')]}),
      row('D1', 'pending', {department: 'Admin', punches: [punch('07:58'), punch('12:00'), punch('12:40')]}),
      row('D2', 'pending', {punches: [punch('08:10'), punch('12:00')]}),
    ])
    const entries = inNow(today, yesterday, new Set(['N1', 'N2']))
    expect(entries.map((e) => [e.code, e.since.slice(11, 16), e.last_punch.slice(11, 16)])).toEqual([
      ['D1', '07:58', '12:40'],
      ['N1', '22:00', '22:00'],
    ])
    // D1's day shift of yesterday is over: only an open shift of yesterday counts.
    expect(inNow(daily('2026-03-12', []), yesterday, new Set()).map((e) => e.code)).toEqual([])
  })
})

describe('the month chart', () => {
  it("is the summary's present ÷ due for each day: half days count half, leave and pending are not due", () => {
    const registerRow = (code: string, days: RegisterRow['days'], halfOff: RegisterRow['half_off'] = days.map(() => null)): RegisterRow =>
      ({code, name: code, department: null, days, marks: [], worked_minutes: [], overtime_minutes: [], off_day_minutes: [], off_day_work: [], half_off: halfOff, totals: {}}) as unknown as RegisterRow
    const register = {
      kind: 'register',
      start_date: '2026-02-01',
      end_date: '2026-02-04',
      dates: [{date: '2026-02-01'}, {date: '2026-02-02'}, {date: '2026-02-03'}, {date: '2026-02-04'}],
      groups: [
        {rows: [registerRow('A', ['P', 'HD', 'WO', '-']), registerRow('B', ['L', 'A', 'WO', '-'], [null, 'leave_first_half', null, null])]},
        {rows: [registerRow('C', ['A', 'LV', 'WO', '-'])]},
      ],
    } as unknown as RegisterReport
    expect(monthView(register)).toEqual({
      month: '2026-02',
      from: '2026-02-01',
      to: '2026-02-04',
      days_in_month: 28,
      days: [
        {date: '2026-02-01', percent: 66.67, present: 2, due: 3},
        // A half day (½ present of 1) and an absence on a half-day leave (due ½): 0.5 of 1.5.
        {date: '2026-02-02', percent: 33.33, present: 0.5, due: 1.5},
        {date: '2026-02-03', percent: null, present: 0, due: 0},
        {date: '2026-02-04', percent: null, present: 0, due: 0},
      ],
    })
  })

  it.each([
    ['2026-02', '2026-02-28'],
    ['2028-02', '2028-02-29'],
    ['2026-12', '2026-12-31'],
    ['2026-04', '2026-04-30'],
  ])('month %s ends on %s', (month, end) => expect(monthEnd(month)).toBe(end))
})

describe('devices', () => {
  const now = Date.UTC(2026, 2, 12, 7)
  it('shows presence, the last pull of agent-mode devices and refused serials', () => {
    const device = (serial: string, extra: Partial<DevicePresenceView>): DevicePresenceView =>
      ({serial, name: serial, location: null, mode: 'push', status: 'active', lastSeenAt: null, presence: null, ...extra}) as DevicePresenceView
    const view = devicesView(
      [
        {device: device('GATE', {lastSeenAt: now - 60_000, presence: 'online'}), lastPull: null},
        {device: device('AGENT', {mode: 'agent', lastSeenAt: now - 3_600_000, presence: 'offline'}), lastPull: {at: now - 60_000, error: 'the device refused the comm key', lastSuccessAt: now - 7_200_000, recordsRead: 10, recordsNew: 2, duplicates: 8, rejected: 0, users: 3, durationMs: 900}},
      ],
      [{serial: 'GHOST', remoteAddress: '10.0.0.9', route: '/iclock/cdata', attempts: 3, firstSeenAt: now - 86_400_000, lastSeenAt: now - 1000}],
    )
    expect(view.devices.map((d) => [d.serial, d.presence, d.last_pull?.ok ?? null, d.last_pull?.error ?? null])).toEqual([
      ['GATE', 'online', null, null],
      ['AGENT', 'offline', false, 'the device refused the comm key'],
    ])
    expect(view.refused_total).toBe(1)
    expect(view.refused).toEqual([{serial: 'GHOST', attempts: 3, first_seen_at: '2026-03-11T07:00:00.000Z', last_seen_at: '2026-03-12T06:59:59.000Z', route: '/iclock/cdata', remote_address: '10.0.0.9'}])
  })
})

describe('the live feed', () => {
  it.each([
    ['42', '42'],
    ['EMP-001.a', 'EMP-001.a'],
    ['John Smith', `'John Smith'`],
    [`O'Brien`, `'O'\\''Brien'`],
    ['$(rm -rf /)', `'$(rm -rf /)'`],
  ])('quotes %s for a shell as %s', (word, quoted) => expect(shellWord(word)).toBe(quoted))

  it('gives an unmapped user the command that maps them: for their device when it is registered, else for every device', () => {
    expect(mapCommand({deviceUserId: '42', deviceId: 3, deviceKey: 'CDQ9192960002'})).toBe('attend map add 42 EMPLOYEE_CODE --device CDQ9192960002')
    expect(mapCommand({deviceUserId: 'a b', deviceId: null, deviceKey: 'api'})).toBe(`attend map add 'a b' EMPLOYEE_CODE`)
    const base = {id: 9, instant: Date.UTC(2026, 2, 12, 5, 5), deviceKey: 'GATE', deviceId: 1, deviceName: 'Gate', deviceUserId: '7', enrolledName: 'J. Doe', direction: null, source: 'http:push-log', manual: false}
    expect(feedPunch({...base, employeeCode: null, employeeName: null, department: null}, 'Africa/Nairobi')).toEqual({
      id: 9,
      time: '2026-03-12T08:05:00+03:00',
      employee: null,
      device_user_id: '7',
      enrolled_name: 'J. Doe',
      device: 'GATE',
      device_name: 'Gate',
      source: 'push-log',
      direction: null,
      manual: false,
      map_command: 'attend map add 7 EMPLOYEE_CODE --device GATE',
    })
    expect(feedPunch({...base, employeeCode: 'E1', employeeName: 'Ann', department: 'IT'}, 'UTC')).toMatchObject({employee: {code: 'E1', name: 'Ann', department: 'IT'}, map_command: null})
    expect(sourceLabel('agent')).toBe('agent')
  })
})
