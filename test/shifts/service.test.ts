import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {assignShift} from '../../src/shifts/assign.js'
import {parseShiftInput} from '../../src/shifts/input.js'
import {addShift, listShifts, removeShift, showShift, updateShift} from '../../src/shifts/service.js'
import {setConfig} from '../../src/settings/config.js'
import {testStore} from '../helpers/store.js'
import {addEmployee, addPunch, at, day} from '../attendance/fixtures.js'

const ZONE = 'UTC'
const NOW = at('2026-03-06 20:00', ZONE)
let store: ReturnType<typeof testStore>
const open = () => store
beforeEach(() => {
  store = testStore({timezone: ZONE})
})
afterEach(() => store.cleanup())

describe('parseShiftInput', () => {
  it('normalizes times and windows and names the flag at fault', () => {
    expect(parseShiftInput({start: '8:05', end: '17:00', checkInWindow: '7:00-9:30', weekOff: 'Friday', halfDayHours: '4.5'})).toEqual({
      start: '08:05', end: '17:00', checkInWindow: '07:00-09:30', weekOff: '["fri"]', halfDayHours: 4.5,
    })
    expect(parseShiftInput({weekOff: 'site', checkOutWindow: 'none'})).toEqual({weekOff: null, checkOutWindow: null})
    expect(() => parseShiftInput({start: '24:00'})).toThrow('Invalid --start "24:00": expected a 24-hour time HH:MM such as 08:30.')
    expect(() => parseShiftInput({checkInWindow: '09:00-09:00'})).toThrow('Invalid --check-in-window "09:00-09:00": the window starts and ends at the same time.')
    expect(() => parseShiftInput({checkInWindow: '10:00-08:00'})).toThrow(
      'Invalid --check-in-window "10:00-08:00": it would last 22 h 0 min, past midnight, and a window lasts at most 12 hours; write the earlier time first (08:00-10:00).',
    )
    // Night shifts' windows may cross midnight.
    expect(parseShiftInput({checkInWindow: '23:30-00:30', checkOutWindow: '05:00-07:30'})).toMatchObject({checkInWindow: '23:30-00:30', checkOutWindow: '05:00-07:30'})
    expect(() => parseShiftInput({debounce: '1.5'})).toThrow('Invalid --debounce (seconds) "1.5": expected a whole number from 0 to 3600.')
    expect(() => parseShiftInput({absentHours: 'lots'})).toThrow('Invalid --absent-hours "lots"')
    expect(() => parseShiftInput({before: '900'})).toThrow('expected a whole number from 0 to 720')
  })
})

describe('shifts service', () => {
  it('never opens the store for invalid input', () => {
    const explode = () => {
      throw new Error('store opened')
    }
    expect(() => addShift(explode, 'Day', {start: '8am', end: '17:00'}, NOW)).toThrow('Invalid --start "8am"')
    expect(() => addShift(explode, 'none', {start: '08:00', end: '17:00'}, NOW)).toThrow('"none" is reserved')
    expect(() => updateShift(explode, 'Day', {}, NOW)).toThrow('Nothing to update')
    expect(() => assignShift(explode, 'Day', {}, NOW)).toThrow('Pass exactly one of --employee CODE or --department NAME.')
  })

  it('recomputes the affected days on assign, update and remove', () => {
    const alice = addEmployee(store, 'EMP001', {department: 'Kitchen'})
    addPunch(store, alice, '2026-03-02 22:10', ZONE)
    addPunch(store, alice, '2026-03-03 06:00', ZONE)
    addShift(open, 'Night', {start: '22:00', end: '06:00'}, NOW)
    const assigned = assignShift(open, 'night', {department: 'kitchen', from: '2026-03-02'}, NOW)
    // Open end: from the range start up to today.
    // From the day before: the new shift's margin may reach into it (handover).
    expect(assigned.recomputed).toMatchObject({employees: 1, from: '2026-03-01', to: '2026-03-06'})
    expect(day(store, alice, '2026-03-02')).toMatchObject({status: 'present', late: 1, late_minutes: 10})

    const updated = updateShift(open, 'Night', {lateGrace: '15', name: 'Nights'}, NOW)
    expect(updated.shift).toMatchObject({name: 'Nights', lateGraceMinutes: 15})
    expect(updated.recomputed?.changed).toBeGreaterThan(0)
    expect(day(store, alice, '2026-03-02')).toMatchObject({late: 0, late_minutes: 0})
    expect(showShift(open, 'nights').assignments).toEqual([expect.objectContaining({department: 'kitchen', from: '2026-03-02', to: null})])

    const removal = removeShift(open, 'Nights', NOW)
    expect(removal.assignmentsRemoved).toBe(1)
    // No shift now: the site day; the 06:00 punch is the next day's.
    expect(day(store, alice, '2026-03-02')).toMatchObject({shift_id: null, status: 'present', worked_minutes: 0})
    expect(listShifts(open)).toEqual([])
  })

  it('follows a renamed default shift and recomputes when the default changes', () => {
    const alice = addEmployee(store, 'EMP001')
    addPunch(store, alice, '2026-03-02 08:30', ZONE)
    addPunch(store, alice, '2026-03-02 17:00', ZONE)
    addShift(open, 'Day', {start: '08:00', end: '17:00'}, NOW)
    setConfig(open, 'default-shift', 'day', NOW)
    expect(day(store, alice, '2026-03-02')).toMatchObject({late: 1, late_minutes: 30})
    updateShift(open, 'Day', {name: 'Office'}, NOW)
    expect(listShifts(open)[0]).toMatchObject({name: 'Office', isDefault: true})
    expect(() => removeShift(open, 'Office', NOW)).toThrow('Shift "Office" is the default shift')
    setConfig(open, 'week-off', 'mon', NOW)
    expect(day(store, alice, '2026-03-02')?.status).toBe('weekly_off')
  })
})
