import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {setManualDay, unsetManualDay} from '../../src/attendance/manual.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {testStore, portOf, unopenedPort} from '../helpers/store.js'
import {addEmployee, addPunch, at, day} from './fixtures.js'

const ZONE = 'UTC'
const NOW = at('2026-03-06 20:00', ZONE)
let store: ReturnType<typeof testStore>
const open = () => store
beforeEach(() => {
  store = testStore({timezone: ZONE})
})
afterEach(() => store.cleanup())

describe('manual days', () => {
  it('validates before opening the store, naming the flag', async () => {
    const cases: [Parameters<typeof setManualDay>[3], string][] = [
      [{}, 'attendance set needs --status: one of present, absent, half_day, leave, holiday, weekly_off.'],
      [{status: 'sick'}, 'Invalid --status "sick": expected one of present, absent, half_day, leave, holiday, weekly_off.'],
      [{status: 'pending'}, 'Invalid --status "pending"'],
      [{status: 'present', in: '08:00'}, 'Give both --in and --out (HH:MM), or neither'],
      [{status: 'leave', in: '08:00', out: '12:00'}, '--in and --out go with --status present or half_day, not leave.'],
      [{status: 'present', in: '8am', out: '17:00'}, 'Invalid --in "8am": expected a 24-hour time HH:MM'],
      [{status: 'present', in: '08:00', out: '08:00'}, '--in and --out are both 08:00'],
      [{status: 'absent', note: 'x'.repeat(501)}, '--note is 501 characters long: at most 500.'],
    ]
    for (const [input, message] of cases) await expect(setManualDay(unopenedPort(), 'EMP001', '2026-03-03', input, NOW), message).rejects.toThrow(message)
    await expect(setManualDay(unopenedPort(), 'EMP001', '2026-02-30', {status: 'absent'}, NOW)).rejects.toThrow('Invalid date "2026-02-30"')
  })

  it('accepts half-day as half_day, and replaces an earlier decision for the date', async () => {
    addEmployee(store, 'EMP001')
    await setManualDay(portOf(store), 'EMP001', '2026-03-03', {status: 'absent', note: 'first call'}, NOW)
    const change = await setManualDay(portOf(store), 'emp001', '2026-03-03', {status: 'half-day', in: '08:00', out: '12:00'}, NOW)
    expect(change.manual).toEqual({employeeCode: 'EMP001', date: '2026-03-03', status: 'half_day', checkIn: '08:00', checkOut: '12:00', note: null})
    expect(change.day).toMatchObject({status: 'half_day', workedMinutes: 240, manual: true})
    expect(store.sqlite.prepare('SELECT count(*) FROM manual_days').pluck().get()).toBe(1)
  })

  it('refuses dates outside employment and unsetting a day that was never set', async () => {
    addEmployee(store, 'EMP001', {joinedOn: '2026-03-03', leftOn: '2026-03-05'})
    await expect(setManualDay(portOf(store), 'EMP001', '2026-03-02', {status: 'absent'}, NOW)).rejects.toThrow('EMP001 joined on 2026-03-03, after 2026-03-02: there is no attendance day to set.')
    await expect(setManualDay(portOf(store), 'EMP001', '2026-03-06', {status: 'absent'}, NOW)).rejects.toThrow('EMP001 left on 2026-03-05, before 2026-03-06')
    await expect(unsetManualDay(portOf(store), 'EMP001', '2026-03-04', NOW)).rejects.toThrow('EMP001 has no manual day on 2026-03-04: see attend attendance list --manual.')
    await expect(setManualDay(portOf(store), 'EMP404', '2026-03-04', {status: 'absent'}, NOW)).rejects.toThrow('Unknown employee code "EMP404"')
  })

  it('records a decision for a date still to come; the day takes it once it is computed', async () => {
    const alice = addEmployee(store, 'EMP001')
    expect((await setManualDay(portOf(store), 'EMP001', '2026-03-09', {status: 'leave', note: 'Training'}, NOW)).day).toBeNull()
    expect(day(store, alice, '2026-03-09')).toBeUndefined()
    expect((await setManualDay(portOf(store), 'EMP001', '2026-03-09', {status: 'leave', note: 'Training'}, at('2026-03-09 12:00', ZONE))).day).toMatchObject({
      status: 'leave', manual: true, note: 'Training',
    })
  })

  it('measures late, early and overtime of the given times by the shift, never pending', async () => {
    const alice = addEmployee(store, 'EMP001')
    addShift(open, 'Day', {start: '08:00', end: '17:00', lateGrace: 5}, NOW)
    writeSettings(store, {defaultShift: 'Day'}, NOW)
    addPunch(store, alice, '2026-03-06 08:30', ZONE)
    // Today at noon: the shift has not ended, yet the admin's day is settled.
    const change = await setManualDay(portOf(store), 'EMP001', '2026-03-06', {status: 'present', in: '08:20', out: '16:00'}, at('2026-03-06 12:00', ZONE))
    expect(change.day).toMatchObject({status: 'present', lateMinutes: 20, earlyMinutes: 60, overtimeMinutes: 0, flags: ['late', 'early_departure', 'manual'], punchCount: 1})
  })
})
