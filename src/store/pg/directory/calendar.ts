import type pg from 'pg'

import type {PgDatabase} from '../../../db/pg/open.js'
import type {DayHalf} from '../../../attendance/engine/types.js'
import {holidayExists, holidayRange, noHoliday, type Holiday} from '../../../holidays/service.js'
import {leaveConflict, leaveFilterSql, noLeave, type LeaveView} from '../../../leaves/service.js'
import type {Directory} from '../../directory.js'
import type {RecomputeChange} from '../attendance.js'
import {inTransaction} from '../transaction.js'
import {requireEmployee} from './employees.js'

const LEAVE_VIEW = `SELECT l.id, e.code AS "employeeCode", e.name AS "employeeName", l.from_date AS "from", l.to_date AS "to", l.type, l.note, l.half
  FROM leaves l JOIN employees e ON e.id = l.employee_id`

/**
 * Holidays and leaves on PostgreSQL. The attendance days they change are recomputed in the same
 * transaction (a holiday: everyone's days of its dates, past and today; a leave: its employee's).
 */
export function pgCalendar(
  database: PgDatabase,
  recompute: RecomputeChange,
): Pick<Directory, 'addHoliday' | 'listHolidays' | 'removeHoliday' | 'importHolidays' | 'addLeave' | 'listLeaves' | 'removeLeave'> {
  const {pool} = database
  /** A holiday changes the status of everyone's day: recompute those dates (past and today only), as on SQLite. */
  const recomputeDates = async (client: pg.ClientBase, dates: readonly string[], now: number) => {
    const range = holidayRange(dates)
    return range ? recompute(client, {from: range.from, to: range.to}, now) : null
  }
  return {
    addHoliday: (holiday, now) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<{date: string; name: string}>('SELECT date, name FROM holidays WHERE date = $1', [holiday.date])
        if (rows[0]) throw holidayExists(rows[0])
        const inserted = await client.query(
          'INSERT INTO holidays (date, name, half, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (date) DO NOTHING',
          [holiday.date, holiday.name, holiday.half, now],
        )
        // Another server added the date after the check above.
        if (inserted.rowCount === 0) throw holidayExists({date: holiday.date, name: 'added meanwhile'})
        return recomputeDates(client, [holiday.date], now)
      }),

    async listHolidays(year) {
      const {rows} = await pool.query<Holiday>(
        `SELECT date, name, half FROM holidays ${year === undefined ? '' : 'WHERE date LIKE $1'} ORDER BY date`,
        year === undefined ? [] : [`${year}-%`],
      )
      return rows
    },

    removeHoliday: (date, now) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<Holiday>('DELETE FROM holidays WHERE date = $1 RETURNING date, name, half', [date])
        if (!rows[0]) throw noHoliday(date)
        return {holiday: rows[0], recomputed: await recomputeDates(client, [date], now)}
      }),

    importHolidays: (rows, now) =>
      inTransaction(pool, async (client) => {
        let added = 0
        let updated = 0
        let unchanged = 0
        const changed: string[] = []
        for (const row of rows) {
          const existing = (await client.query<Holiday>('SELECT date, name, half FROM holidays WHERE date = $1 FOR UPDATE', [row.date])).rows[0]
          if (!existing) {
            await client.query('INSERT INTO holidays (date, name, half, created_at) VALUES ($1, $2, $3, $4)', [row.date, row.name, row.half, now])
            added++
            changed.push(row.date)
          } else if (existing.name !== row.name || existing.half !== row.half) {
            await client.query('UPDATE holidays SET name = $2, half = $3 WHERE date = $1', [row.date, row.name, row.half])
            updated++
            changed.push(row.date)
          } else {
            unchanged++
          }
        }
        return {added, updated, unchanged, recomputed: await recomputeDates(client, changed, now)}
      }),

    addLeave: (code, leave, now) =>
      inTransaction(pool, async (client) => {
        // The employee's row is locked so two servers adding overlapping leaves check one after the other.
        const employee = await requireEmployee(client, code, true)
        const overlaps = await client.query<{from: string; to: string; half: DayHalf | null}>(
          'SELECT from_date AS "from", to_date AS "to", half FROM leaves WHERE employee_id = $1 AND from_date <= $2 AND to_date >= $3',
          [employee.id, leave.to, leave.from],
        )
        const conflict = leaveConflict(employee, leave, overlaps.rows)
        if (conflict) throw conflict
        const {rows} = await client.query<{id: number}>(
          'INSERT INTO leaves (employee_id, from_date, to_date, type, note, half, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
          [employee.id, leave.from, leave.to, leave.type, leave.note, leave.half, now],
        )
        const view: LeaveView = {id: rows[0].id, employeeCode: employee.code, employeeName: employee.name, ...leave}
        return {leave: view, recomputed: await recompute(client, {employeeIds: [employee.id], from: leave.from, to: leave.to}, now)}
      }),

    async listLeaves(filter) {
      const employee = filter.employee === undefined ? undefined : await requireEmployee(pool, filter.employee)
      const {where, params} = leaveFilterSql({employeeId: employee?.id, from: filter.from, to: filter.to}, (n) => `$${n}`)
      const {rows} = await pool.query<LeaveView>(`${LEAVE_VIEW} ${where} ORDER BY l.from_date, e.code COLLATE "C"`, params)
      return rows
    },

    removeLeave: (id, now) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<LeaveView>(`${LEAVE_VIEW} WHERE l.id = $1 FOR UPDATE OF l`, [id])
        if (!rows[0]) throw noLeave(id)
        const {rows: owner} = await client.query<{employeeId: number}>('DELETE FROM leaves WHERE id = $1 RETURNING employee_id AS "employeeId"', [id])
        return {leave: rows[0], recomputed: await recompute(client, {employeeIds: [owner[0].employeeId], from: rows[0].from, to: rows[0].to}, now)}
      }),
  }
}
