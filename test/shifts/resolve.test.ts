import {describe, expect, it} from 'vitest'

import type {PlannedShift, ShiftRule} from '../../src/attendance/engine/types.js'
import {shiftResolver, type AssignmentSpan} from '../../src/shifts/resolve.js'

const rule = (id: number): ShiftRule => ({
  id, name: `S${id}`, start: 480, end: 1020, lateGraceMinutes: 0, earlyGraceMinutes: 0, halfDayHours: 0, absentHours: 0,
  beforeMinutes: 60, afterMinutes: 60, checkInWindow: null, checkOutWindow: null, hoursMode: 'first-last',
  directionMode: 'auto', debounceSeconds: 60, weekOff: null, weekdays: {}, markLate: true, markEarly: true,
  overtime: {counts: 'after-end', minimumMinutes: 0, roundDownMinutes: 0, dailyCapMinutes: null},
})
const rules = new Map([1, 2, 3, 4, 5].map((id) => [id, rule(id)]))
const a = (id: number, shiftId: number, who: {employeeId?: number; department?: string}, fromDate: string | null = null, toDate: string | null = null): AssignmentSpan =>
  ({id, shiftId, rosterId: null, employeeId: who.employeeId ?? null, department: who.department ?? null, fromDate, toDate})
const r = (id: number, rosterId: number, who: {employeeId?: number; department?: string}, fromDate: string, toDate: string | null = null): AssignmentSpan =>
  ({id, shiftId: null, rosterId, employeeId: who.employeeId ?? null, department: who.department ?? null, fromDate, toDate})
/** The shift id planned, `rest`, or null. */
const idOf = (planned: PlannedShift) => (planned === 'rest' || planned === null ? planned : planned.id)

describe('shiftResolver', () => {
  const employee = {id: 7, department: 'Kitchen'}

  it('falls back to the default shift, then to none', () => {
    expect(idOf(shiftResolver(employee, [], rules, rule(5))('2026-03-02'))).toBe(5)
    expect(shiftResolver(employee, [], rules, null)('2026-03-02')).toBeNull()
  })

  it('employee wins over department, dated over open, newest over older', () => {
    const resolve = shiftResolver(
      employee,
      [
        a(1, 1, {department: 'kitchen'}),
        a(2, 2, {department: 'Kitchen'}, '2026-03-01', '2026-03-31'),
        a(3, 3, {employeeId: 7}),
        a(4, 4, {employeeId: 7}, '2026-03-10', '2026-03-12'),
        a(5, 5, {employeeId: 7}, '2026-03-11'),
        a(6, 1, {employeeId: 8}, '2026-03-01'),
        a(7, 2, {department: 'Bakery'}, '2026-03-01'),
      ],
      rules,
      null,
    )
    expect(idOf(resolve('2026-03-09'))).toBe(3)
    expect(idOf(resolve('2026-03-10'))).toBe(4)
    expect(idOf(resolve('2026-03-11'))).toBe(5)
    expect(idOf(resolve('2026-03-13'))).toBe(5)
  })

  it('department assignments apply to department members only', () => {
    const assignments = [a(1, 1, {department: 'Kitchen'}), a(2, 2, {department: 'Kitchen'}, '2026-03-01', '2026-03-31')]
    const resolve = shiftResolver(employee, assignments, rules, rule(5))
    expect(idOf(resolve('2026-02-28'))).toBe(1)
    expect(idOf(resolve('2026-03-31'))).toBe(2)
    expect(idOf(shiftResolver({id: 9, department: null}, assignments, rules, rule(5))('2026-03-05'))).toBe(5)
  })

  it('a roster gives the shift of the cycle day counted from its first date, or a rest day', () => {
    const rosters = new Map([[1, [1, 1, 2, 2, null, null]]])
    const resolve = shiftResolver(employee, [r(1, 1, {employeeId: 7}, '2026-03-02', '2026-03-31')], rules, rule(5), rosters)
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-04-01']
    expect(days.map((d) => idOf(resolve(d)))).toEqual([5, 1, 1, 2, 2, 'rest', 'rest', 1, 5])
  })

  it('a rostered shift ignores week off days: the cycle decides rest', () => {
    const weekendOff = {...rule(1), weekOff: ['sat', 'sun'] as const, weekdays: {fri: 'off' as const, mon: {start: 420, end: 900}}}
    const resolve = shiftResolver(employee, [r(1, 1, {department: 'Kitchen'}, '2026-03-02')], new Map([[1, weekendOff]]), null, new Map([[1, [1]]]))
    const planned = resolve('2026-03-07') as ShiftRule
    expect(planned.weekOff).toEqual([])
    expect(planned.weekdays).toEqual({mon: {start: 420, end: 900}})
    expect(resolve('2026-03-08')).toBe(planned)
  })

  it('an employee\'s roster wins over the department\'s shift, and a newer dated shift over an older roster', () => {
    const rosters = new Map([[1, [3, null]]])
    const assignments = [a(1, 1, {department: 'Kitchen'}, '2026-03-01'), r(2, 1, {employeeId: 7}, '2026-03-02'), a(3, 4, {employeeId: 7}, '2026-03-05', '2026-03-05')]
    const resolve = shiftResolver(employee, assignments, rules, null, rosters)
    expect(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06'].map((d) => idOf(resolve(d)))).toEqual([1, 3, 'rest', 4, 3])
  })
})
