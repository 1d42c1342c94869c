/**
 * Everything the reports read from the store, and the only place in src/reports that does.
 * Big reads (attendance days, punches) are streamed with better-sqlite3's iterate() so a register of
 * a thousand people or a million punches never sits in memory as rows.
 */
import type {Statement} from 'better-sqlite3'
import {and, asc, eq, gte, lte, sql} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {employees, holidays, shifts} from '../db/schema.js'
import {readSettings, type SiteSettings} from '../settings/settings.js'
import {shiftRuleFromRow} from '../shifts/rule.js'
import {addDays} from '../time/calendar.js'
import {startOfLocalDate} from '../time/parse.js'
import {weekdays} from '../time/weekdays.js'
import type {DayPunch} from './models/daily.js'
import {manualPunchKey} from './models/late.js'
import type {PunchSource} from './models/punches.js'
import type {DayHalf} from '../attendance/engine/types.js'
import type {DayRecord, ReportCalendar, ReportEmployee, ShiftInfo} from './types.js'

export interface EmployeeScope {
  /** One employee (by id), or everyone in a department, or everyone. */
  employeeId?: number
  department?: string
}

const employeeColumns = {
  id: employees.id,
  code: employees.code,
  name: employees.name,
  department: employees.department,
  joinedOn: employees.joinedOn,
  leftOn: employees.leftOn,
}

/**
 * An employee by code (case-insensitive, as the directory treats codes) or by the v1 API's
 * `usr_<id>`, which is what the summary report's users[].id says.
 */
export function findReportEmployee(store: Store, ref: string): ReportEmployee | undefined {
  const byCode = store.db
    .select(employeeColumns)
    .from(employees)
    .where(sql`${employees.code} = ${ref} COLLATE NOCASE`)
    .get()
  if (byCode) return byCode
  const v1 = /^usr_(\d{1,15})$/i.exec(ref)
  return v1 ? store.db.select(employeeColumns).from(employees).where(eq(employees.id, Number(v1[1]))).get() : undefined
}

/**
 * Who a report over [from, to] lists: employees in the scope whose employment overlaps the range.
 * Someone who has left since is listed for the time they were employed (their leaving date says
 * until when); an inactive person without a leaving date (older stores) only with attendance rows
 * in the range.
 */
export function loadReportEmployees(store: Store, scope: EmployeeScope, from: string, to: string): ReportEmployee[] {
  return store.db
    .select(employeeColumns)
    .from(employees)
    .where(
      and(
        scope.employeeId === undefined ? undefined : eq(employees.id, scope.employeeId),
        scope.department === undefined ? undefined : sql`${employees.department} = ${scope.department} COLLATE NOCASE`,
        sql`(${employees.joinedOn} IS NULL OR ${employees.joinedOn} <= ${to})`,
        sql`(${employees.leftOn} IS NULL OR ${employees.leftOn} >= ${from})`,
        sql`(${employees.active} = 1 OR ${employees.leftOn} IS NOT NULL OR EXISTS (SELECT 1 FROM attendance_days a WHERE a.employee_id = ${employees.id} AND a.date BETWEEN ${from} AND ${to}))`,
      ),
    )
    .orderBy(asc(employees.id))
    .all()
}

/** The boolean columns of a day record, which SQLite returns as 0/1 integers. */
type DayFlag = 'late' | 'earlyDeparture' | 'missedPunch' | 'workedOnHoliday' | 'workedOnLeave' | 'manual'
type DayRow = Omit<DayRecord, DayFlag> & Record<DayFlag, number>

function scopeClause(scope: EmployeeScope, alias: string): {sql: string; params: unknown[]} {
  if (scope.employeeId !== undefined) return {sql: ` AND ${alias}.employee_id = ?`, params: [scope.employeeId]}
  if (scope.department !== undefined) {
    return {
      sql: ` AND ${alias}.employee_id IN (SELECT id FROM employees WHERE department = ? COLLATE NOCASE)`,
      params: [scope.department],
    }
  }
  return {sql: '', params: []}
}

/** Employees of the scope with attendance rows in the range, by ascending id. */
export function employeesWithDays(store: Store, scope: EmployeeScope, from: string, to: string): number[] {
  const where = scopeClause(scope, 'a')
  return store.sqlite
    .prepare(`SELECT DISTINCT a.employee_id FROM attendance_days a WHERE a.date BETWEEN ? AND ?${where.sql} ORDER BY a.employee_id`)
    .pluck()
    .all(from, to, ...where.params) as number[]
}

/** One employee's attendance_days rows in the range, by date. */
export function employeeDays(store: Store, employeeId: number, from: string, to: string): DayRecord[] {
  const rows = daysStatement(store).all(employeeId, from, to) as DayRow[]
  return rows.map((row) => ({
    ...row,
    late: row.late === 1,
    earlyDeparture: row.earlyDeparture === 1,
    missedPunch: row.missedPunch === 1,
    workedOnHoliday: row.workedOnHoliday === 1,
    workedOnLeave: row.workedOnLeave === 1,
    manual: row.manual === 1,
  }))
}

const DAY_COLUMNS = `a.employee_id AS employeeId, a.date, a.status, a.shift_id AS shiftId, a.first_in AS firstIn,
            a.last_out AS lastOut, a.worked_minutes AS workedMinutes, a.late_minutes AS lateMinutes,
            a.early_minutes AS earlyMinutes, a.overtime_minutes AS overtimeMinutes, a.late,
            a.early_departure AS earlyDeparture, a.missed_punch AS missedPunch, a.worked_on_holiday AS workedOnHoliday,
            a.worked_on_leave AS workedOnLeave, a.off_day_minutes AS offDayMinutes, a.half_off AS halfOff, a.manual, a.note`

// A report reads one employee at a time (see settled-days.ts): prepared once per connection.
const daysStatements = new WeakMap<Store['sqlite'], Statement>()
function daysStatement(store: Store): Statement {
  let statement = daysStatements.get(store.sqlite)
  if (!statement) {
    statement = store.sqlite.prepare(`SELECT ${DAY_COLUMNS} FROM attendance_days a WHERE a.employee_id = ? AND a.date BETWEEN ? AND ? ORDER BY a.date`)
    daysStatements.set(store.sqlite, statement)
  }
  return statement
}

/**
 * Punches typed by an admin (`attend punches add`) around [from, to], as `employeeId:instant`
 * keys: the late report marks an arrival or departure time that came from one. A day after the
 * range too, for night shifts that end the next morning.
 */
export function manualPunchKeys(store: Store, zone: string, from: string, to: string): Set<string> {
  const rows = store.sqlite
    .prepare('SELECT employee_id AS employeeId, instant FROM punches WHERE instant >= ? AND instant < ? AND manual = 1 AND employee_id IS NOT NULL')
    .all(startOfLocalDate(from, zone), startOfLocalDate(addDays(to, 2), zone)) as Array<{employeeId: number; instant: number}>
  return new Set(rows.map((row) => manualPunchKey(row.employeeId, row.instant)))
}

/** The holidays of a period: date → name, and which half is off for a half-day holiday (null = whole day). */
export function loadHolidays(store: Store, from: string, to: string): Map<string, {name: string; half: DayHalf | null}> {
  const rows = store.db
    .select({date: holidays.date, name: holidays.name, half: holidays.half})
    .from(holidays)
    .where(and(gte(holidays.date, from), lte(holidays.date, to)))
    .all()
  return new Map(rows.map((row) => [row.date, {name: row.name, half: row.half}]))
}

export function loadShifts(store: Store): Map<number, ShiftInfo> {
  const rows = store.db.select().from(shifts).all()
  return new Map(
    rows.map((row) => [
      row.id,
      {id: row.id, name: row.name, start: row.start, end: row.end, rule: shiftRuleFromRow(row)},
    ]),
  )
}

export function loadSiteSettings(store: Store): SiteSettings {
  return readSettings(store)
}

export function calendarFor(
  settings: SiteSettings,
  holidayDates: ReadonlyMap<string, {name: string; half: DayHalf | null}>,
  from: string,
  to: string,
): ReportCalendar {
  const whole = new Map<string, string>()
  const halves = new Map<string, {name: string; half: DayHalf}>()
  for (const [date, {name, half}] of holidayDates) {
    if (half) halves.set(date, {name, half})
    else whole.set(date, name)
  }
  return {
    from,
    to,
    zone: settings.timezone,
    weekOff: settings.weekOff.map((day) => weekdays.indexOf(day) + 1),
    holidays: whole,
    halfHolidays: halves,
  }
}

/** Mapped punches of the scope between two instants (the daily report's neighbourhood of a date). */
export function loadDayPunches(store: Store, scope: EmployeeScope, fromMs: number, toMs: number): DayPunch[] {
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
}

/**
 * Raw punches between two instants, joined with device and employee, streamed in time order.
 * With no scope, unmapped punches are included (employee columns null).
 */
export function iteratePunches(store: Store, scope: EmployeeScope, fromMs: number, toMs: number): IterableIterator<PunchSource> {
  const where = scopeClause(scope, 'p')
  return store.sqlite
    .prepare(
      `SELECT p.id, p.instant, p.local_time AS localTime, p.device_key AS deviceKey, d.name AS deviceName,
              p.device_user_id AS deviceUserId, e.code AS employeeCode, e.name AS employeeName,
              e.department, p.direction, p.source, p.manual, p.raw_status AS rawStatus
         FROM punches p
         LEFT JOIN devices d ON d.id = p.device_id
         LEFT JOIN employees e ON e.id = p.employee_id
        WHERE p.instant >= ? AND p.instant < ?${where.sql}
        ORDER BY p.instant, p.id`,
    )
    .iterate(fromMs, toMs, ...where.params) as IterableIterator<PunchSource>
}
