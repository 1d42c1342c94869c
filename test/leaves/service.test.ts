import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {addLeave, listLeaves, removeLeave} from '../../src/leaves/service.js'
import {testStore} from '../helpers/store.js'
import {addEmployee, at, statuses} from '../attendance/fixtures.js'

const NOW = at('2026-03-06 20:00', 'UTC')
let store: ReturnType<typeof testStore>
const open = () => store
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

describe('leaves service', () => {
  it('records leave, recomputes up to today only, refuses overlaps and cancels', () => {
    const alice = addEmployee(store, 'EMP001')
    const change = addLeave(open, 'emp001', {from: '2026-03-05', to: '2026-03-10', type: 'sick'}, NOW)
    expect(change.leave).toMatchObject({employeeCode: 'EMP001', from: '2026-03-05', to: '2026-03-10', type: 'sick'})
    expect(change.recomputed).toMatchObject({from: '2026-03-05', to: '2026-03-06'})
    expect(statuses(store, alice)).toEqual({'2026-03-05': 'leave', '2026-03-06': 'leave'})
    expect(() => addLeave(open, 'EMP001', {from: '2026-03-01', to: '2026-03-05'}, NOW)).toThrow('EMP001 is already on leave from 2026-03-05 to 2026-03-10')
    expect(listLeaves(open, {from: '2026-03-08'})).toHaveLength(1)
    expect(listLeaves(open, {to: '2026-03-04'})).toHaveLength(0)
    removeLeave(open, String(change.leave.id), NOW)
    expect(statuses(store, alice)).toEqual({'2026-03-05': 'absent', '2026-03-06': 'pending'})
    expect(() => removeLeave(open, 'x', NOW)).toThrow('Invalid leave id "x"')
  })

  it('records half a day of leave on one date; the two halves of a date may both be taken', () => {
    const alice = addEmployee(store, 'EMP001')
    const first = addLeave(open, 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'first'}, NOW)
    expect(first.leave).toMatchObject({from: '2026-03-04', to: '2026-03-04', half: 'first'})
    expect(store.sqlite.prepare('SELECT half_off FROM attendance_days WHERE employee_id = ?').pluck().get(alice)).toBe('leave_first_half')
    expect(() => addLeave(open, 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'first'}, NOW)).toThrow(
      'EMP001 is already on first-half leave on 2026-03-04, which overlaps 2026-03-04.',
    )
    expect(() => addLeave(open, 'EMP001', {from: '2026-03-03', to: '2026-03-05'}, NOW)).toThrow('EMP001 is already on first-half leave on 2026-03-04')
    addLeave(open, 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'second'}, NOW)
    expect(statuses(store, alice)).toEqual({'2026-03-04': 'leave'})
    expect(listLeaves(open, {employee: 'EMP001'}).map((l) => l.half)).toEqual(['first', 'second'])
    expect(() => addLeave(open, 'EMP001', {from: '2026-03-09', to: '2026-03-10', half: 'second'}, NOW)).toThrow(
      'A half-day leave covers one date: --from and --to must be the same, not 2026-03-09 and 2026-03-10.',
    )
    expect(() => addLeave(open, 'EMP001', {from: '2026-03-09', to: '2026-03-09', half: 'morning'}, NOW)).toThrow(
      'Invalid --half "morning": expected first or second (the half of the day that is off).',
    )
  })
})
