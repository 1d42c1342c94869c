/**
 * The reports section on SQLite: the report's reads answered synchronously inside one deferred read
 * transaction (a snapshot of the WAL), on whichever connection the port wraps — the report thread's
 * read-only one on the server. Big reads stay lazy where SQLite can stream: the punch log iterates
 * its statement as the CSV is written, so a million punches never sit in memory as rows.
 */
import {loadSiteContext} from './attendance/site.js'
import type {EmployeeInputs, EmployeeRow, ManualRow} from '../../attendance/compute.js'
import {selectEmployees} from './attendance/recompute.js'
import type {LeaveSpan} from '../../attendance/engine/types.js'
import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {shifts} from '../../db/schema.js'
import {listDepartments} from './directory/employees.js'
import type {DayPunch} from '../../reports/models/daily.js'
import type {PunchSource} from '../../reports/models/punches.js'
import {readReportSync, type ReportReader} from '../../reports/read.js'
import type {EmployeeScope} from '../../reports/scope.js'
import type {DayRecord, ReportEmployee} from '../../reports/types.js'
import {siteSettings} from './settings.js'
import type {ReportsSection} from '../reports.js'

const EMPLOYEE_COLUMNS = 'id, code, name, department, joined_on AS joinedOn, left_on AS leftOn'

export const DAY_COLUMNS = `a.employee_id AS employeeId, a.date, a.status, a.shift_id AS shiftId, a.first_in AS firstIn,
  a.last_out AS lastOut, a.worked_minutes AS workedMinutes, a.late_minutes AS lateMinutes,
  a.early_minutes AS earlyMinutes, a.overtime_minutes AS overtimeMinutes, a.late,
  a.early_departure AS earlyDeparture, a.missed_punch AS missedPunch, a.worked_on_holiday AS workedOnHoliday,
  a.worked_on_leave AS workedOnLeave, a.off_day_minutes AS offDayMinutes, a.half_off AS halfOff, a.manual, a.note`

export const PUNCH_LOG_COLUMNS = `p.id, p.instant, p.local_time AS localTime, p.device_key AS deviceKey, d.name AS deviceName,
  p.device_user_id AS deviceUserId, e.code AS employeeCode, e.name AS employeeName,
  e.department, p.direction, p.source, p.manual, p.raw_status AS rawStatus`

/** The boolean columns of a day record, which SQLite returns as 0/1 integers. */
type DayFlag = 'late' | 'earlyDeparture' | 'missedPunch' | 'workedOnHoliday' | 'workedOnLeave' | 'manual'
type DayRow = Omit<DayRecord, DayFlag> & Record<DayFlag, number>

function dayOf(row: DayRow): DayRecord {
  return {
    ...row,
    late: row.late === 1,
    earlyDeparture: row.earlyDeparture === 1,
    missedPunch: row.missedPunch === 1,
    workedOnHoliday: row.workedOnHoliday === 1,
    workedOnLeave: row.workedOnLeave === 1,
    manual: row.manual === 1,
  }
}

function scopeClause(scope: EmployeeScope, alias: string): {sql: string; params: unknown[]} {
  if (scope.employeeId !== undefined) return {sql: ` AND ${alias}.employee_id = ?`, params: [scope.employeeId]}
  if (scope.department !== undefined) {
    return {sql: ` AND ${alias}.employee_id IN (SELECT id FROM employees WHERE department = ? COLLATE NOCASE)`, params: [scope.department]}
  }
  return {sql: '', params: []}
}

// The per-employee reads of a settlement run once per person: prepared once per connection.
const statements = perConnection((sqlite) => ({
  byCode: sqlite.prepare(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE code = ? COLLATE NOCASE`),
  byId: sqlite.prepare(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ?`),
  holidays: sqlite.prepare('SELECT date, name, half FROM holidays WHERE date >= ? AND date <= ?'),
  punches: sqlite.prepare('SELECT instant, direction, device_id AS deviceId FROM punches WHERE employee_id = ? AND instant >= ? AND instant < ? ORDER BY instant').raw(),
  leaves: sqlite.prepare('SELECT from_date AS "from", to_date AS "to", type, half FROM leaves WHERE employee_id = ? AND to_date >= ? AND from_date <= ?'),
  manualDays: sqlite.prepare('SELECT date, status, check_in AS checkIn, check_out AS checkOut, note FROM manual_days WHERE employee_id = ? AND date >= ? AND date <= ?'),
  manualPunches: sqlite.prepare(
    'SELECT employee_id AS employeeId, instant FROM punches WHERE instant >= ? AND instant < ? AND manual = 1 AND employee_id IS NOT NULL',
  ),
}))

function sqliteReportReader(store: Store): ReportReader {
  const s = statements(store)
  return {
    settings: () => siteSettings(store),
    employeeByRef: (ref) => {
      const byCode = s.byCode.get(ref) as ReportEmployee | undefined
      if (byCode) return byCode
      const v1 = /^usr_(\d{1,15})$/i.exec(ref)
      return v1 ? (s.byId.get(Number(v1[1])) as ReportEmployee | undefined) : undefined
    },
    departments: () => listDepartments(store),
    reportEmployees: (scope, from, to) => {
      const where: string[] = [
        '(joined_on IS NULL OR joined_on <= @to)',
        '(left_on IS NULL OR left_on >= @from)',
        '(active = 1 OR left_on IS NOT NULL OR EXISTS (SELECT 1 FROM attendance_days a WHERE a.employee_id = employees.id AND a.date BETWEEN @from AND @to))',
      ]
      if (scope.employeeId !== undefined) where.unshift('id = @employeeId')
      if (scope.department !== undefined) where.unshift('department = @department COLLATE NOCASE')
      return store.sqlite
        .prepare(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${where.join(' AND ')} ORDER BY id`)
        .all({from, to, employeeId: scope.employeeId, department: scope.department}) as ReportEmployee[]
    },
    holidays: (from, to) => s.holidays.all(from, to) as {date: string; name: string; half: 'first' | 'second' | null}[],
    shifts: () => store.db.select().from(shifts).all(),
    siteContext: (now) => loadSiteContext(store, now),
    storedDays: (scope, from, to) => {
      const where = scopeClause(scope, 'a')
      const rows = store.sqlite
        .prepare(`SELECT ${DAY_COLUMNS} FROM attendance_days a WHERE a.date BETWEEN ? AND ?${where.sql} ORDER BY a.employee_id, a.date`)
        .all(from, to, ...where.params) as DayRow[]
      return rows.map(dayOf)
    },
    settleEmployees: (scope) => selectEmployees(store, scope) as EmployeeRow[],
    engineInputs: (wanted) => {
      const inputs = new Map<number, EmployeeInputs>()
      for (const w of wanted) {
        inputs.set(w.employeeId, {
          punches: s.punches.all(w.employeeId, w.fromMs, w.toMs) as [number, 'in' | 'out' | null, number | null][],
          leaves: s.leaves.all(w.employeeId, w.from, w.to) as LeaveSpan[],
          manualDays: s.manualDays.all(w.employeeId, w.from, w.to) as ManualRow[],
        })
      }
      return inputs
    },
    dayPunches: (scope, fromMs, toMs) => {
      const where = scopeClause(scope, 'p')
      const rows = store.sqlite
        .prepare(
          `SELECT p.id, p.employee_id AS employeeId, p.instant, p.direction, p.manual, p.device_key AS deviceKey
             FROM punches p
            WHERE p.instant >= ? AND p.instant < ? AND p.employee_id IS NOT NULL${where.sql}
            ORDER BY p.instant, p.id`,
        )
        .all(fromMs, toMs, ...where.params) as (Omit<DayPunch, 'manual'> & {manual: number})[]
      return rows.map((row) => ({...row, manual: row.manual === 1}))
    },
    manualPunches: (fromMs, toMs) => s.manualPunches.all(fromMs, toMs) as {employeeId: number; instant: number}[],
    punches: (scope, fromMs, toMs) => {
      const where = scopeClause(scope, 'p')
      const statement = store.sqlite.prepare(
        `SELECT ${PUNCH_LOG_COLUMNS}
           FROM punches p
           LEFT JOIN devices d ON d.id = p.device_id
           LEFT JOIN employees e ON e.id = p.employee_id
          WHERE p.instant >= ? AND p.instant < ?${where.sql}
          ORDER BY p.instant, p.id`,
      )
      // Lazy: iterated as the report is written, one statement (its own consistent read).
      return {[Symbol.iterator]: () => statement.iterate(fromMs, toMs, ...where.params) as IterableIterator<PunchSource>}
    },
  }
}

/** Reports on SQLite: every read in one deferred transaction of the port's connection. */
export function sqliteReports(store: Store): ReportsSection {
  return {
    read: async (query, now) => {
      const reader = sqliteReportReader(store)
      return store.sqlite.transaction(() => readReportSync(reader, query, now))()
    },
  }
}
