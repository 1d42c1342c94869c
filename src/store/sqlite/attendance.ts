import {recomputeAffected} from './attendance/affected.js'
import {recomputeRange, refreshStaleDays} from './attendance/recompute.js'
import type {Store} from '../../db/open.js'
import {listDepartments} from './directory/employees.js'
import {unknownEmployee} from '../../errors.js'
import type {Writes} from './writes.js'
import {siteSettings} from './settings.js'
import type {AttendanceDayRow, AttendanceSection, StoredManualDay} from '../attendance.js'
import {matchDepartment} from '../attendance-target.js'

type SqliteDayRow = Omit<AttendanceDayRow, 'isLate' | 'isEarly' | 'missed' | 'onHoliday' | 'onLeave' | 'manual'> & {
  isLate: number
  isEarly: number
  missed: number
  onHoliday: number
  onLeave: number
  manual: number
}

/**
 * Attendance on SQLite: the synchronous recompute (src/store/sqlite/attendance/recompute.ts). A range recompute
 * runs in its own transactions of 100 employees; the other writes join the group commit.
 */
export function sqliteAttendance(store: Store, writes: Writes): AttendanceSection {
  return {
    target: async (target) => {
      const timezone = siteSettings(store).timezone
      let employee
      if (target.employee !== undefined) {
        employee = store.sqlite
          .prepare('SELECT id, code, joined_on AS joinedOn, left_on AS leftOn FROM employees WHERE code = ? COLLATE NOCASE')
          .get(target.employee.trim()) as {id: number; code: string; joinedOn: string | null; leftOn: string | null} | undefined
        if (!employee) throw unknownEmployee(target.employee)
      }
      const department = target.department === undefined ? undefined : matchDepartment(target.department, listDepartments(store))
      return {employee, department, timezone}
    },
    recompute: async (scope, now, onProgress) => recomputeRange(store, scope, now, onProgress),
    recomputeAffected: (scope, now) => writes.run(() => recomputeAffected(store, scope, now)),
    refreshStale: (scope, now) => writes.run(() => refreshStaleDays(store, scope, now)),
    list: async (query, now) => {
      await writes.run(() => refreshStaleDays(store, {from: query.from, to: query.to, employeeIds: query.employeeId === undefined ? undefined : [query.employeeId], department: query.department}, now))
      const where = ['a.date >= ?', 'a.date <= ?']
      const params: (string | number)[] = [query.from, query.to]
      if (query.employeeId !== undefined) {
        where.push('a.employee_id = ?')
        params.push(query.employeeId)
      }
      if (query.department !== undefined) {
        where.push('e.department = ?')
        params.push(query.department)
      }
      if (query.status) {
        where.push('a.status = ?')
        params.push(query.status)
      }
      if (query.manual) where.push('a.manual = 1')
      const from = 'FROM attendance_days a JOIN employees e ON e.id = a.employee_id LEFT JOIN shifts s ON s.id = a.shift_id'
      const {total} = store.sqlite.prepare(`SELECT count(*) AS total ${from} WHERE ${where.join(' AND ')}`).get(...params) as {total: number}
      const rows = store.sqlite.prepare(`${DAY_COLUMNS} ${from} WHERE ${where.join(' AND ')} ORDER BY a.date, e.code LIMIT ? OFFSET ?`).all(...params, query.limit ?? -1, query.offset) as SqliteDayRow[]
      return {
        total,
        rows: rows.map((row) => ({
          ...row, isLate: row.isLate === 1, isEarly: row.isEarly === 1, missed: row.missed === 1, onHoliday: row.onHoliday === 1, onLeave: row.onLeave === 1, manual: row.manual === 1,
        })),
      }
    },
    setManual: (input, now) =>
      writes.run(() => {
        store.sqlite
          .prepare(
            `INSERT INTO manual_days (employee_id, date, status, check_in, check_out, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (employee_id, date) DO UPDATE SET status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out,
               note = excluded.note, updated_at = excluded.updated_at`,
          )
          .run(input.employeeId, input.date, input.status, input.checkIn, input.checkOut, input.note, now, now)
        return recomputeAffected(store, {employeeIds: [input.employeeId], from: input.date, to: input.date}, now)
      }),
    unsetManual: (employeeId, date, now) =>
      writes.run(() => {
        const row = store.sqlite
          .prepare('SELECT id, date, status, check_in AS checkIn, check_out AS checkOut, note FROM manual_days WHERE employee_id = ? AND date = ?')
          .get(employeeId, date) as (StoredManualDay & {id: number}) | undefined
        if (!row) return null
        store.sqlite.prepare('DELETE FROM manual_days WHERE id = ?').run(row.id)
        const {id: _id, ...removed} = row
        return {removed, recomputed: recomputeAffected(store, {employeeIds: [employeeId], from: date, to: date}, now)}
      }),
  }
}

/** The columns of a listed day, as both engines select them. */
export const DAY_COLUMNS = `SELECT a.date, e.code, e.name, e.department, a.status, s.name AS shift, a.first_in AS "firstIn", a.last_out AS "lastOut",
  a.worked_minutes AS worked, a.late_minutes AS late, a.early_minutes AS early, a.overtime_minutes AS overtime,
  a.late AS "isLate", a.early_departure AS "isEarly", a.missed_punch AS missed, a.punch_count AS "punchCount",
  a.off_day_minutes AS "offDay", a.worked_on_holiday AS "onHoliday", a.worked_on_leave AS "onLeave", a.half_off AS "halfOff",
  a.manual, a.note`
