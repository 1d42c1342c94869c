import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {recomputeDays, recomputeRange} from '../../src/store/sqlite/attendance/recompute.js'
import {openStore} from '../../src/db/open.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {reresolvePunches} from '../../src/store/sqlite/ingest/reresolve.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {setManualDay, unsetManualDay} from '../../src/attendance/manual.js'
import {addHoliday, addLeave} from '../helpers/directory.js'
import {addRoster, assignRoster} from '../../src/store/sqlite/schedules/rosters.js'
import {assignShift} from '../../src/store/sqlite/schedules/assign.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {testStore, portOf} from '../helpers/store.js'
import {addEmployee, addPunch, at, day, statuses} from './fixtures.js'

const ZONE = 'Africa/Nairobi'
const NOW = at('2026-03-06 20:00', ZONE) // Friday evening
let store: ReturnType<typeof testStore>

beforeEach(() => {
  store = testStore({timezone: ZONE})
})
afterEach(() => store.cleanup())

describe('recomputeRange', () => {
  it('writes one record per employee and date, and a second run changes nothing', async () => {
    const alice = addEmployee(store, 'EMP001')
    const bob = addEmployee(store, 'EMP002')
    addPunch(store, alice, '2026-03-02 08:00', ZONE)
    addPunch(store, alice, '2026-03-02 17:00', ZONE)
    const first = recomputeRange(store, {from: '2026-03-02', to: '2026-03-08'}, NOW)
    // Saturday and Sunday are after today: never created.
    expect(first).toMatchObject({employees: 2, days: 10, changed: 10, from: '2026-03-02', to: '2026-03-06'})
    expect(statuses(store, alice)).toEqual({
      '2026-03-02': 'present', '2026-03-03': 'absent', '2026-03-04': 'absent', '2026-03-05': 'absent',
      // Today without a shift is open until midnight.
      '2026-03-06': 'pending',
    })
    expect(day(store, bob, '2026-03-02')?.status).toBe('absent')

    const computedAt = day(store, alice, '2026-03-02')!.computed_at
    const second = recomputeRange(store, {from: '2026-03-02', to: '2026-03-08'}, NOW + 60_000)
    expect(second).toMatchObject({days: 10, changed: 0})
    expect(day(store, alice, '2026-03-02')!.computed_at).toBe(computedAt)
  })

  it('shows pending for today until the shift window closes (no shift: midnight)', async () => {
    const alice = addEmployee(store, 'EMP001')
    addPunch(store, alice, '2026-03-06 08:00', ZONE)
    recomputeRange(store, {from: '2026-03-06', to: '2026-03-06'}, at('2026-03-06 12:00', ZONE))
    expect(day(store, alice, '2026-03-06')?.status).toBe('pending')
    recomputeRange(store, {from: '2026-03-06', to: '2026-03-06'}, at('2026-03-07 00:00', ZONE))
    expect(day(store, alice, '2026-03-06')?.status).toBe('present')
  })

  it('deletes days that no longer apply and limits the scope to the department or employees asked for', async () => {
    const alice = addEmployee(store, 'EMP001', {department: 'Kitchen'})
    const bob = addEmployee(store, 'EMP002', {department: 'Office'})
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    store.sqlite.prepare(`UPDATE employees SET joined_on = '2026-03-04' WHERE id = ?`).run(alice)
    const result = recomputeRange(store, {from: '2026-03-02', to: '2026-03-06', department: 'kitchen'}, NOW)
    expect(result).toMatchObject({employees: 1, days: 3, changed: 2})
    expect(Object.keys(statuses(store, alice))).toEqual(['2026-03-04', '2026-03-05', '2026-03-06'])
    expect(Object.keys(statuses(store, bob))).toHaveLength(5)
    expect(recomputeRange(store, {from: '2026-03-02', to: '2026-03-06', employeeIds: [bob]}, NOW)).toMatchObject({employees: 1, changed: 0})
  })

  it('lets a device of direction out force the role of its punches', async () => {
    const alice = addEmployee(store, 'EMP001')
    const exit = store.sqlite
      .prepare(`INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('EXIT1', 'Exit gate', 'out', 0, 0)`)
      .run().lastInsertRowid as number
    addPunch(store, alice, '2026-03-02 07:30', ZONE, {deviceId: exit})
    addPunch(store, alice, '2026-03-02 08:10', ZONE)
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-02'}, NOW)
    expect(day(store, alice, '2026-03-02')?.first_in).toBe(at('2026-03-02 08:10', ZONE))
  })
})

describe('recomputeRange and employment', () => {
  const deactivate = (id: number, leftOn: string | null) =>
    store.sqlite.prepare('UPDATE employees SET active = 0, left_on = ? WHERE id = ?').run(leftOn, id)

  it('covers employees who left, removing their days after leaving and keeping the ones before', async () => {
    const alice = addEmployee(store, 'EMP001')
    const bob = addEmployee(store, 'EMP002')
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    // Bob's leaving date is recorded later, in the past: his stale absences must go.
    deactivate(bob, '2026-03-04')
    const result = recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    expect(result).toMatchObject({employees: 2, changed: 2})
    expect(Object.keys(statuses(store, bob))).toEqual(['2026-03-02', '2026-03-03', '2026-03-04'])
    expect(Object.keys(statuses(store, alice))).toHaveLength(5)
  })

  it('creates the days of someone employed in the range even when they are inactive now', async () => {
    const carol = addEmployee(store, 'EMP003', {leftOn: '2026-03-03'})
    deactivate(carol, '2026-03-03')
    addPunch(store, carol, '2026-03-02 08:00', ZONE)
    addPunch(store, carol, '2026-03-02 17:00', ZONE)
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    expect(statuses(store, carol)).toEqual({'2026-03-02': 'present', '2026-03-03': 'absent'})
  })

  it('removes the days of someone whose employment no longer reaches the range at all', async () => {
    const dan = addEmployee(store, 'EMP004')
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    store.sqlite.prepare(`UPDATE employees SET joined_on = '2026-03-09' WHERE id = ?`).run(dan)
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    expect(statuses(store, dan)).toEqual({})
  })

  it('gives an inactive employee without a leaving date no new days', async () => {
    const eve = addEmployee(store, 'EMP005')
    deactivate(eve, null)
    expect(recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)).toMatchObject({employees: 0})
    expect(statuses(store, eve)).toEqual({})
  })
})

describe('rosters, half days and manual days in the store', () => {
  it('runs a roster\'s cycle from its first date, and a shift change of the cycle hands over at the scheduled end', async () => {
    const alice = addEmployee(store, 'EMP001')
    const night = addShift(() => store, 'Night', {start: '19:00', end: '07:00'}, 0)
    const dayShift = addShift(() => store, 'Day', {start: '07:00', end: '19:00', lateGrace: 5}, 0)
    addRoster(() => store, 'Rotation', {cycle: 'Night,Day,off'}, 0)
    assignRoster(() => store, 'Rotation', {employee: 'EMP001', from: '2026-03-02'}, NOW)
    for (const time of ['2026-03-02 18:55', '2026-03-03 07:00', '2026-03-03 07:01', '2026-03-03 19:00']) addPunch(store, alice, time, ZONE)
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    expect(day(store, alice, '2026-03-02')).toMatchObject({shift_id: night.id, status: 'present', last_out: at('2026-03-03 07:00', ZONE)})
    expect(day(store, alice, '2026-03-03')).toMatchObject({shift_id: dayShift.id, status: 'present', first_in: at('2026-03-03 07:01', ZONE), late: 0})
    // Day 3 is a rest day; the cycle starts again on the 5th (a Thursday) and the 6th.
    expect(statuses(store, alice)).toMatchObject({'2026-03-04': 'weekly_off', '2026-03-05': 'absent'})
    expect(day(store, alice, '2026-03-06')).toMatchObject({shift_id: dayShift.id})
  })

  it('halves a day for half-day leave and half-day holidays', async () => {
    const alice = addEmployee(store, 'EMP001')
    addShift(() => store, 'Day', {start: '08:00', end: '17:00', halfDayHours: 6}, 0)
    writeSettings(store, {defaultShift: 'Day'}, 0)
    for (const time of ['2026-03-02 12:30', '2026-03-02 17:00', '2026-03-03 08:00', '2026-03-03 12:00']) addPunch(store, alice, time, ZONE)
    addLeave(store, 'EMP001', {from: '2026-03-02', to: '2026-03-02', half: 'first'}, NOW)
    addHoliday(store, '2026-03-03', 'Half holiday', NOW, {half: 'second'})
    expect(day(store, alice, '2026-03-02')).toMatchObject({status: 'present', late: 0, half_off: 'leave_first_half'})
    // 4 h in the first half of a 9 h day: above half the half-day threshold (3 h), 30 min early.
    expect(day(store, alice, '2026-03-03')).toMatchObject({status: 'present', early_minutes: 30, half_off: 'holiday_second_half'})
  })

  it('keeps a manual day through every recompute and ingest, until it is unset', async () => {
    const alice = addEmployee(store, 'EMP001')
    addPunch(store, alice, '2026-03-03 09:00', ZONE)
    const set = await setManualDay(portOf(store), 'EMP001', '2026-03-03', {status: 'present', in: '08:00', out: '17:00', note: 'Reader down'}, NOW)
    expect(set.day).toMatchObject({status: 'present', checkIn: '08:00', checkOut: '17:00', workedMinutes: 540, manual: true, note: 'Reader down', flags: ['manual']})
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW)
    const punch = {deviceUserId: 'EMP001', time: {kind: 'wall' as const, local: '2026-03-03T17:30:00'}, timeText: '2026-03-03 17:30', deviceSerial: 'SN9'}
    ingestPunches(store, [punch], {source: 'test', now: NOW})
    expect(day(store, alice, '2026-03-03')).toMatchObject({status: 'present', first_in: at('2026-03-03 08:00', ZONE), last_out: at('2026-03-03 17:00', ZONE)})
    expect(recomputeRange(store, {from: '2026-03-02', to: '2026-03-06'}, NOW).changed).toBe(0)

    const unset = await unsetManualDay(portOf(store), 'EMP001', '2026-03-03', NOW)
    expect(unset.day).toMatchObject({status: 'present', checkIn: '09:00', checkOut: '17:30', manual: false, note: null})
  })
})

describe('recomputeDays', () => {
  it('recomputes only the pairs given and never days after today', async () => {
    const alice = addEmployee(store, 'EMP001')
    addPunch(store, alice, '2026-03-03 09:00', ZONE)
    const result = recomputeDays(store, [{employeeId: alice, date: '2026-03-03'}, {employeeId: alice, date: '2026-03-09'}], NOW)
    expect(result).toMatchObject({days: 1, changed: 1})
    expect(statuses(store, alice)).toEqual({'2026-03-03': 'present'})
  })
})

describe('the recompute hook in the punch pipeline', () => {
  it('keeps attendance current as punches are ingested', async () => {
    const alice = addEmployee(store, 'EMP001')
    const punch = (time: string) => ({deviceUserId: 'EMP001', time: {kind: 'wall' as const, local: time}, timeText: time, deviceSerial: 'SN9'})
    ingestPunches(store, [punch('2026-03-04T08:00:00')], {source: 'test', now: at('2026-03-04 09:00', ZONE)})
    expect(day(store, alice, '2026-03-04')).toMatchObject({status: 'pending', first_in: at('2026-03-04 08:00', ZONE)})
    ingestPunches(store, [punch('2026-03-04T17:00:00')], {source: 'test', now: NOW})
    expect(day(store, alice, '2026-03-04')).toMatchObject({status: 'present', last_out: at('2026-03-04 17:00', ZONE), worked_minutes: 540})
    // Only the day whose instance owns the punches is recomputed (no shift: the site day).
    expect(Object.keys(statuses(store, alice))).toEqual(['2026-03-04'])
  })

  it('applies a shift another process set up while this one keeps ingesting (the site context is cached)', async () => {
    const alice = addEmployee(store, 'EMP001')
    const punch = (time: string) => ({deviceUserId: 'EMP001', time: {kind: 'wall' as const, local: time}, timeText: time, deviceSerial: 'SN9'})
    ingestPunches(store, [punch('2026-03-03T08:20:00')], {source: 'test', now: NOW})
    expect(day(store, alice, '2026-03-03')).toMatchObject({shift_id: null, late: 0})
    // `attend shifts add` and `attend config set default-shift` from a terminal: another connection.
    const cli = openStore(store.path)
    const shift = addShift(() => cli, 'Day', {start: '08:00', end: '16:00', lateGrace: 10}, NOW)
    writeSettings(cli, {defaultShift: 'Day'}, NOW)
    cli.close()
    ingestPunches(store, [punch('2026-03-04T08:20:00')], {source: 'test', now: NOW})
    expect(day(store, alice, '2026-03-04')).toMatchObject({shift_id: shift.id, late: 1, late_minutes: 20})
  })

  it('gives a night shift its next-morning check-out, recomputing only the night that owns it', async () => {
    const alice = addEmployee(store, 'EMP001')
    addShift(() => store, 'Night', {start: '22:00', end: '06:00'}, 0)
    assignShift(() => store, 'Night', {employee: 'EMP001'}, 0)
    store.sqlite.prepare('DELETE FROM attendance_days').run()
    const punch = (time: string) => ({deviceUserId: 'EMP001', time: {kind: 'wall' as const, local: time}, timeText: time, deviceSerial: 'SN9'})
    ingestPunches(store, [punch('2026-03-03T21:55:00')], {source: 'test', now: NOW})
    ingestPunches(store, [punch('2026-03-04T06:05:00')], {source: 'test', now: NOW})
    expect(day(store, alice, '2026-03-03')).toMatchObject({
      status: 'present',
      first_in: at('2026-03-03 21:55', ZONE),
      last_out: at('2026-03-04 06:05', ZONE),
    })
    expect(Object.keys(statuses(store, alice))).toEqual(['2026-03-03'])
  })

  it('counts an unmapped punch for nobody until its device user is mapped, then moves it on remapping', async () => {
    const alice = addEmployee(store, 'EMP001')
    const bob = addEmployee(store, 'EMP002')
    const punches = ['2026-03-02T08:00:00', '2026-03-02T17:00:00'].map((local) => ({
      deviceUserId: '7', time: {kind: 'wall' as const, local}, timeText: local, deviceSerial: 'SN9',
    }))
    const ingest = ingestPunches(store, punches, {source: 'test', now: NOW})
    expect(ingest).toMatchObject({stored: 2, unmapped: 2})
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM attendance_days').get()).toEqual({n: 0})

    const map = (employeeId: number) => {
      store.sqlite.prepare('DELETE FROM device_user_mappings WHERE device_user_id = ?').run('7')
      store.sqlite.prepare(`INSERT INTO device_user_mappings (device_id, device_user_id, employee_id, created_at) VALUES (NULL, '7', ?, 0)`).run(employeeId)
      return reresolvePunches(store, [{deviceUserId: '7', deviceId: null}], NOW)
    }
    expect(map(alice)).toEqual({updated: 2})
    expect(day(store, alice, '2026-03-02')).toMatchObject({status: 'present', worked_minutes: 540})

    map(bob)
    expect(day(store, bob, '2026-03-02')).toMatchObject({status: 'present', worked_minutes: 540})
    expect(day(store, alice, '2026-03-02')).toMatchObject({status: 'absent', worked_minutes: 0})
  })
})

describe('settings', () => {
  it('uses the site zone for attendance dates', async () => {
    writeSettings(store, {timezone: 'Pacific/Auckland'}, 0)
    const alice = addEmployee(store, 'EMP001')
    addPunch(store, alice, '2026-03-03 08:00', 'Pacific/Auckland')
    recomputeRange(store, {from: '2026-03-03', to: '2026-03-03'}, NOW)
    expect(day(store, alice, '2026-03-03')?.first_in).toBe(at('2026-03-03 08:00', 'Pacific/Auckland'))
  })
})
