import {describe, expect, it} from 'vitest'

import type {ShiftRule} from '../../src/attendance/engine/types.js'
import {shiftResolver, type AssignmentSpan} from '../../src/shifts/resolve.js'

const rule = (id: number): ShiftRule => ({
  id, name: `S${id}`, start: 480, end: 1020, lateGraceMinutes: 0, earlyGraceMinutes: 0, halfDayHours: 0, absentHours: 0,
  beforeMinutes: 60, afterMinutes: 60, checkInWindow: null, checkOutWindow: null, hoursMode: 'first-last',
  directionMode: 'auto', debounceSeconds: 60, weekOff: null,
})
const rules = new Map([1, 2, 3, 4, 5].map((id) => [id, rule(id)]))
const a = (id: number, shiftId: number, who: {employeeId?: number; department?: string}, fromDate: string | null = null, toDate: string | null = null): AssignmentSpan =>
  ({id, shiftId, employeeId: who.employeeId ?? null, department: who.department ?? null, fromDate, toDate})

describe('shiftResolver', () => {
  const employee = {id: 7, department: 'Kitchen'}

  it('falls back to the default shift, then to none', () => {
    expect(shiftResolver(employee, [], rules, rule(5))('2026-03-02')?.id).toBe(5)
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
    expect(resolve('2026-03-09')?.id).toBe(3)
    expect(resolve('2026-03-10')?.id).toBe(4)
    expect(resolve('2026-03-11')?.id).toBe(5)
    expect(resolve('2026-03-13')?.id).toBe(5)
  })

  it('department assignments apply to department members only', () => {
    const assignments = [a(1, 1, {department: 'Kitchen'}), a(2, 2, {department: 'Kitchen'}, '2026-03-01', '2026-03-31')]
    const resolve = shiftResolver(employee, assignments, rules, rule(5))
    expect(resolve('2026-02-28')?.id).toBe(1)
    expect(resolve('2026-03-31')?.id).toBe(2)
    expect(shiftResolver({id: 9, department: null}, assignments, rules, rule(5))('2026-03-05')?.id).toBe(5)
  })
})
