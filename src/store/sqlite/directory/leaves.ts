import {recomputeAffected} from '../attendance/affected.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {DayHalf} from '../../../attendance/engine/types.js'
import type {Store} from '../../../db/open.js'
import {leaves} from '../../../db/schema.js'
import {leaveConflict, leaveFilterSql, noLeave, type LeaveView} from '../../../leaves/service.js'
import type {NewLeave} from '../../directory.js'
import {requireEmployee} from './employees.js'

export function addLeave(store: Store, employeeCode: string, input: NewLeave, now: number): {leave: LeaveView; recomputed: RecomputeResult | null} {
  return store.transaction(() => {
    const employee = requireEmployee(store, employeeCode)
    const overlaps = store.sqlite
      .prepare('SELECT from_date AS "from", to_date AS "to", half FROM leaves WHERE employee_id = ? AND from_date <= ? AND to_date >= ?')
      .all(employee.id, input.to, input.from) as {from: string; to: string; half: DayHalf | null}[]
    const conflict = leaveConflict(employee, input, overlaps)
    if (conflict) throw conflict
    const row = store.db
      .insert(leaves)
      .values({employeeId: employee.id, fromDate: input.from, toDate: input.to, type: input.type, note: input.note, half: input.half, createdAt: now})
      .returning()
      .get()
    const recomputed = recomputeAffected(store, {employeeIds: [employee.id], from: input.from, to: input.to}, now)
    return {
      leave: {id: row.id, employeeCode: employee.code, employeeName: employee.name, from: row.fromDate, to: row.toDate, type: row.type, note: row.note, half: row.half},
      recomputed,
    }
  })
}

export function listLeaves(store: Store, filter: {employee?: string; from?: string; to?: string}): LeaveView[] {
  const employee = filter.employee === undefined ? null : requireEmployee(store, filter.employee)
  const {where, params} = leaveFilterSql({employeeId: employee?.id, from: filter.from, to: filter.to}, () => '?')
  return store.sqlite
    .prepare(
      `SELECT l.id, e.code AS "employeeCode", e.name AS "employeeName", l.from_date AS "from", l.to_date AS "to", l.type, l.note, l.half
       FROM leaves l JOIN employees e ON e.id = l.employee_id ${where}
       ORDER BY l.from_date, e.code`,
    )
    .all(...params) as LeaveView[]
}

export function removeLeave(store: Store, id: number, now: number): {leave: LeaveView; recomputed: RecomputeResult | null} {
  return store.transaction(() => {
    const leave = store.sqlite
      .prepare(
        `SELECT l.id, l.employee_id AS "employeeId", e.code AS "employeeCode", e.name AS "employeeName", l.from_date AS "from", l.to_date AS "to", l.type,
           l.note, l.half
         FROM leaves l JOIN employees e ON e.id = l.employee_id WHERE l.id = ?`,
      )
      .get(id) as (LeaveView & {employeeId: number}) | undefined
    if (!leave) throw noLeave(id)
    store.sqlite.prepare('DELETE FROM leaves WHERE id = ?').run(id)
    const recomputed = recomputeAffected(store, {employeeIds: [leave.employeeId], from: leave.from, to: leave.to}, now)
    const {employeeId: _employeeId, ...view} = leave
    return {leave: view, recomputed}
  })
}
