import type {PgDatabase} from '../../../db/pg/open.js'
import type {DayHalf} from '../../../attendance/engine/types.js'
import {holidayExists, noHoliday, type Holiday} from '../../../holidays/service.js'
import {leaveConflict, leaveFilterSql, noLeave, type LeaveView} from '../../../leaves/service.js'
import type {Directory} from '../../directory.js'
import {inTransaction} from '../transaction.js'
import {requireEmployee} from './employees.js'

const LEAVE_VIEW = `SELECT l.id, e.code AS "employeeCode", e.name AS "employeeName", l.from_date AS "from", l.to_date AS "to", l.type, l.note, l.half
  FROM leaves l JOIN employees e ON e.id = l.employee_id`

/**
 * Holidays and leaves on PostgreSQL. The attendance days they change are not recomputed on this
 * engine yet (`recomputed` is null): the attendance section is still SQLite-only.
 */
export function pgCalendar(
  database: PgDatabase,
): Pick<Directory, 'addHoliday' | 'listHolidays' | 'removeHoliday' | 'importHolidays' | 'addLeave' | 'listLeaves' | 'removeLeave'> {
  const {pool} = database
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
        return null
      }),

    async listHolidays(year) {
      const {rows} = await pool.query<Holiday>(
        `SELECT date, name, half FROM holidays ${year === undefined ? '' : 'WHERE date LIKE $1'} ORDER BY date`,
        year === undefined ? [] : [`${year}-%`],
      )
      return rows
    },

    removeHoliday: (date) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<Holiday>('DELETE FROM holidays WHERE date = $1 RETURNING date, name, half', [date])
        if (!rows[0]) throw noHoliday(date)
        return {holiday: rows[0], recomputed: null}
      }),

    importHolidays: (rows, now) =>
      inTransaction(pool, async (client) => {
        let added = 0
        let updated = 0
        let unchanged = 0
        for (const row of rows) {
          const existing = (await client.query<Holiday>('SELECT date, name, half FROM holidays WHERE date = $1 FOR UPDATE', [row.date])).rows[0]
          if (!existing) {
            await client.query('INSERT INTO holidays (date, name, half, created_at) VALUES ($1, $2, $3, $4)', [row.date, row.name, row.half, now])
            added++
          } else if (existing.name !== row.name || existing.half !== row.half) {
            await client.query('UPDATE holidays SET name = $2, half = $3 WHERE date = $1', [row.date, row.name, row.half])
            updated++
          } else {
            unchanged++
          }
        }
        return {added, updated, unchanged, recomputed: null}
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
        return {leave: view, recomputed: null}
      }),

    async listLeaves(filter) {
      const employee = filter.employee === undefined ? undefined : await requireEmployee(pool, filter.employee)
      const {where, params} = leaveFilterSql({employeeId: employee?.id, from: filter.from, to: filter.to}, (n) => `$${n}`)
      const {rows} = await pool.query<LeaveView>(`${LEAVE_VIEW} ${where} ORDER BY l.from_date, e.code COLLATE "C"`, params)
      return rows
    },

    removeLeave: (id) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<LeaveView>(`${LEAVE_VIEW} WHERE l.id = $1 FOR UPDATE OF l`, [id])
        if (!rows[0]) throw noLeave(id)
        await client.query('DELETE FROM leaves WHERE id = $1', [id])
        return {leave: rows[0], recomputed: null}
      }),
  }
}
