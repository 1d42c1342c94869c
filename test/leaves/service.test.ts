import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {addLeave, listLeaves, removeLeave} from '../../src/leaves/service.js'
import {describeEngines} from '../helpers/engines.js'
import {portOf, testStore} from '../helpers/store.js'
import {addEmployee, at, statuses} from '../attendance/fixtures.js'

const NOW = at('2026-03-06 20:00', 'UTC')
let store: ReturnType<typeof testStore>
const port = () => portOf(store, () => NOW)
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

describe('leaves service', () => {
  it('records leave, recomputes up to today only, refuses overlaps and cancels', async () => {
    const alice = addEmployee(store, 'EMP001')
    const change = await addLeave(port(), 'emp001', {from: '2026-03-05', to: '2026-03-10', type: 'sick'}, NOW)
    expect(change.leave).toMatchObject({employeeCode: 'EMP001', from: '2026-03-05', to: '2026-03-10', type: 'sick'})
    expect(change.recomputed).toMatchObject({from: '2026-03-05', to: '2026-03-06'})
    expect(statuses(store, alice)).toEqual({'2026-03-05': 'leave', '2026-03-06': 'leave'})
    await expect(addLeave(port(), 'EMP001', {from: '2026-03-01', to: '2026-03-05'}, NOW)).rejects.toThrow('EMP001 is already on leave from 2026-03-05 to 2026-03-10')
    expect((await listLeaves(port(), {from: '2026-03-08'}))).toHaveLength(1)
    expect((await listLeaves(port(), {to: '2026-03-04'}))).toHaveLength(0)
    await removeLeave(port(), String(change.leave.id), NOW)
    expect(statuses(store, alice)).toEqual({'2026-03-05': 'absent', '2026-03-06': 'pending'})
    await expect(removeLeave(port(), 'x', NOW)).rejects.toThrow('Invalid leave id "x"')
  })

  it('records half a day of leave on one date; the two halves of a date may both be taken', async () => {
    const alice = addEmployee(store, 'EMP001')
    const first = await addLeave(port(), 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'first'}, NOW)
    expect(first.leave).toMatchObject({from: '2026-03-04', to: '2026-03-04', half: 'first'})
    expect(store.sqlite.prepare('SELECT half_off FROM attendance_days WHERE employee_id = ?').pluck().get(alice)).toBe('leave_first_half')
    await expect(addLeave(port(), 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'first'}, NOW)).rejects.toThrow(
      'EMP001 is already on first-half leave on 2026-03-04, which overlaps 2026-03-04.',
    )
    await expect(addLeave(port(), 'EMP001', {from: '2026-03-03', to: '2026-03-05'}, NOW)).rejects.toThrow('EMP001 is already on first-half leave on 2026-03-04')
    await addLeave(port(), 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'second'}, NOW)
    expect(statuses(store, alice)).toEqual({'2026-03-04': 'leave'})
    expect((await listLeaves(port(), {employee: 'EMP001'})).map((l) => l.half)).toEqual(['first', 'second'])
    await expect(addLeave(port(), 'EMP001', {from: '2026-03-09', to: '2026-03-10', half: 'second'}, NOW)).rejects.toThrow(
      'A half-day leave covers one date: --from and --to must be the same, not 2026-03-09 and 2026-03-10.',
    )
    await expect(addLeave(port(), 'EMP001', {from: '2026-03-09', to: '2026-03-09', half: 'morning'}, NOW)).rejects.toThrow(
      'Invalid --half "morning": expected first or second (the half of the day that is off).',
    )
  })
})

describeEngines('leaves', (engine) => {
  const store = () => engine().port

  it('records, lists, refuses overlaps (the two halves of a date excepted) and cancels, on either engine', async () => {
    await engine().exec(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('EMP001', 'Asha Kamau', true, 1, 1)`)
    const leave = (await addLeave(store(), 'emp001', {from: '2026-03-05', to: '2026-03-10', type: ' sick '}, NOW)).leave
    expect(leave).toMatchObject({employeeCode: 'EMP001', employeeName: 'Asha Kamau', from: '2026-03-05', to: '2026-03-10', type: 'sick', note: null, half: null})
    await expect(addLeave(store(), 'EMP001', {from: '2026-03-01', to: '2026-03-05'}, NOW)).rejects.toThrow('EMP001 is already on leave from 2026-03-05 to 2026-03-10')
    await addLeave(store(), 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'first'}, NOW)
    await addLeave(store(), 'EMP001', {from: '2026-03-04', to: '2026-03-04', half: 'second'}, NOW)
    await expect(addLeave(store(), 'EMP002', {from: '2026-03-04', to: '2026-03-04'}, NOW)).rejects.toThrow('Unknown employee code "EMP002"')
    expect((await listLeaves(store(), {from: '2026-03-05'})).map((l) => l.from)).toEqual(['2026-03-05'])
    expect((await listLeaves(store(), {employee: 'EMP001', to: '2026-03-04'})).map((l) => l.half)).toEqual(['first', 'second'])
    expect((await removeLeave(store(), String(leave.id), NOW)).leave).toEqual(leave)
    await expect(removeLeave(store(), String(leave.id), NOW)).rejects.toThrow(`No leave with id ${leave.id}: see attend leaves list.`)
  })
})
