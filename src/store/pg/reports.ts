/**
 * The reports section on PostgreSQL: the report's reads (src/reports/read.ts) answered one query at
 * a time inside one read-only REPEATABLE READ transaction, so every row comes from one snapshot
 * however many servers are writing. The settled days' engine inputs are read for all the employees
 * that need them at once (`= ANY($1)`), not one round trip per person.
 */
import {getTableColumns} from 'drizzle-orm'
import type pg from 'pg'

import type {LeaveSpan} from '../../attendance/engine/types.js'
import type {EmployeeInputs, EmployeeRow, ManualRow} from '../../attendance/compute.js'
import {siteContextAt, siteContextFromRows} from '../../attendance/site.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {shifts} from '../../db/pg/schema.js'
import type {DayPunch} from '../../reports/models/daily.js'
import type {PunchSource} from '../../reports/models/punches.js'
import {readReportAsync, type ReportReader} from '../../reports/read.js'
import type {EmployeeScope} from '../../reports/scope.js'
import type {DayRecord, ReportEmployee} from '../../reports/types.js'
import {settingsFromRows} from '../../settings/settings.js'
import type {AssignmentSpan} from '../../shifts/resolve.js'
import type {ShiftRow} from '../../shifts/rule.js'
import type {ReportsSection} from '../reports.js'
import {inSnapshot} from './transaction.js'

const EMPLOYEE_COLUMNS = 'id, code, name, department, joined_on AS "joinedOn", left_on AS "leftOn"'

export const DAY_COLUMNS = `a.employee_id AS "employeeId", a.date, a.status, a.shift_id AS "shiftId", a.first_in AS "firstIn",
  a.last_out AS "lastOut", a.worked_minutes AS "workedMinutes", a.late_minutes AS "lateMinutes",
  a.early_minutes AS "earlyMinutes", a.overtime_minutes AS "overtimeMinutes", a.late,
  a.early_departure AS "earlyDeparture", a.missed_punch AS "missedPunch", a.worked_on_holiday AS "workedOnHoliday",
  a.worked_on_leave AS "workedOnLeave", a.off_day_minutes AS "offDayMinutes", a.half_off AS "halfOff", a.manual, a.note`

export const PUNCH_LOG_COLUMNS = `p.id, p.instant, p.local_time AS "localTime", p.device_key AS "deviceKey", d.name AS "deviceName",
  p.device_user_id AS "deviceUserId", e.code AS "employeeCode", e.name AS "employeeName",
  e.department, p.direction, p.source, p.manual, p.raw_status AS "rawStatus"`

/** Every column of `shifts` under the name Drizzle gives it, so a row reads as `ShiftRow` does on SQLite. */
const SHIFT_COLUMNS = Object.entries(getTableColumns(shifts))
  .map(([key, column]) => `"${column.name}" AS "${key}"`)
  .join(', ')

/** The scope as a condition on `alias.employee_id`, its parameters numbered from `next`. */
function scopeClause(scope: EmployeeScope, alias: string, next: number): {sql: string; params: unknown[]} {
  if (scope.employeeId !== undefined) return {sql: ` AND ${alias}.employee_id = $${next}`, params: [scope.employeeId]}
  if (scope.department !== undefined) {
    return {sql: ` AND ${alias}.employee_id IN (SELECT id FROM employees WHERE lower(department) = lower($${next}))`, params: [scope.department]}
  }
  return {sql: '', params: []}
}

async function rows<R extends pg.QueryResultRow>(client: pg.PoolClient, text: string, params: unknown[] = []): Promise<R[]> {
  return (await client.query<R>(text, params)).rows
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/** Who a refresh of the range covers, as `selectEmployees` says it on SQLite. */
async function settleEmployees(client: pg.PoolClient, scope: {from: string; to: string; employeeIds?: number[]; department?: string}): Promise<EmployeeRow[]> {
  if (scope.employeeIds) {
    const found = await rows<EmployeeRow>(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ANY($1)`, [scope.employeeIds])
    const byId = new Map(found.map((row) => [row.id, row]))
    return scope.employeeIds.map((id) => byId.get(id)).filter((row): row is EmployeeRow => row !== undefined)
  }
  const inScope = `((active OR left_on IS NOT NULL) AND (joined_on IS NULL OR joined_on <= $2) AND (left_on IS NULL OR left_on >= $1)
    OR id IN (SELECT employee_id FROM attendance_days WHERE date >= $1 AND date <= $2))`
  if (scope.department !== undefined) {
    return rows(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${inScope} AND lower(department) = lower($3) ORDER BY id`, [scope.from, scope.to, scope.department])
  }
  return rows(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${inScope} ORDER BY id`, [scope.from, scope.to])
}

function pgReportReader(client: pg.PoolClient): ReportReader {
  return {
    settings: async () => settingsFromRows(await rows<{key: string; value: string}>(client, 'SELECT key, value FROM settings')),
    employeeByRef: async (ref) => {
      const [byCode] = await rows<ReportEmployee>(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE lower(code) = lower($1)`, [ref])
      if (byCode) return byCode
      const v1 = /^usr_(\d{1,15})$/i.exec(ref)
      if (!v1) return undefined
      const [byId] = await rows<ReportEmployee>(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = $1`, [Number(v1[1])])
      return byId
    },
    // COLLATE "C": sorted by code point, as SQLite sorts text, whatever the database's collation.
    departments: async () =>
      (await rows<{department: string}>(client, 'SELECT DISTINCT department COLLATE "C" AS department FROM employees WHERE department IS NOT NULL ORDER BY 1')).map(
        (row) => row.department,
      ),
    reportEmployees: async (scope, from, to) => {
      const where: string[] = [
        '(joined_on IS NULL OR joined_on <= $2)',
        '(left_on IS NULL OR left_on >= $1)',
        '(active OR left_on IS NOT NULL OR EXISTS (SELECT 1 FROM attendance_days a WHERE a.employee_id = employees.id AND a.date BETWEEN $1 AND $2))',
      ]
      const params: unknown[] = [from, to]
      if (scope.employeeId !== undefined) where.unshift(`id = $${params.push(scope.employeeId)}`)
      if (scope.department !== undefined) where.unshift(`lower(department) = lower($${params.push(scope.department)})`)
      return rows(client, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${where.join(' AND ')} ORDER BY id`, params)
    },
    holidays: (from, to) => rows(client, 'SELECT date, name, half FROM holidays WHERE date >= $1 AND date <= $2', [from, to]),
    shifts: () => rows<ShiftRow>(client, `SELECT ${SHIFT_COLUMNS} FROM shifts`),
    siteContext: async (now) => {
      // One after the other: a connection runs one query at a time.
      const settings = await rows<{key: string; value: string}>(client, 'SELECT key, value FROM settings')
      const shiftRows = await rows<ShiftRow>(client, `SELECT ${SHIFT_COLUMNS} FROM shifts`)
      const assignments = await rows<AssignmentSpan>(
        client,
        `SELECT id, shift_id AS "shiftId", roster_id AS "rosterId", employee_id AS "employeeId", department, from_date AS "fromDate", to_date AS "toDate"
           FROM shift_assignments`,
      )
      const rosters = await rows<{id: number; cycle: string}>(client, 'SELECT id, cycle FROM rosters')
      const holidays = await rows<{date: string; half: 'first' | 'second' | null}>(client, 'SELECT date, half FROM holidays')
      const forcedDirections = await rows<{id: number; direction: 'in' | 'out'}>(client, `SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`)
      return siteContextAt(siteContextFromRows({settings: settingsFromRows(settings), shifts: shiftRows, assignments, rosters, holidays, forcedDirections}), now)
    },
    storedDays: (scope, from, to) => {
      const where = scopeClause(scope, 'a', 3)
      return rows<DayRecord>(
        client,
        `SELECT ${DAY_COLUMNS} FROM attendance_days a WHERE a.date BETWEEN $1 AND $2${where.sql} ORDER BY a.employee_id, a.date`,
        [from, to, ...where.params],
      )
    },
    settleEmployees: (scope) => settleEmployees(client, scope),
    engineInputs: async (wanted) => {
      const ids = wanted.map((w) => w.employeeId)
      const fromMs = Math.min(...wanted.map((w) => w.fromMs))
      const toMs = Math.max(...wanted.map((w) => w.toMs))
      const from = wanted.reduce((min, w) => (w.from < min ? w.from : min), wanted[0].from)
      const to = wanted.reduce((max, w) => (w.to > max ? w.to : max), wanted[0].to)
      const punches = await client.query<[number, number, 'in' | 'out' | null, number | null]>({
          text: 'SELECT employee_id, instant, direction, device_id FROM punches WHERE employee_id = ANY($1) AND instant >= $2 AND instant < $3 ORDER BY instant, id',
          values: [ids, fromMs, toMs],
          rowMode: 'array',
        })
      const leaves = await rows<LeaveSpan & {employeeId: number}>(
          client,
          'SELECT employee_id AS "employeeId", from_date AS "from", to_date AS "to", type, half FROM leaves WHERE employee_id = ANY($1) AND to_date >= $2 AND from_date <= $3 ORDER BY id',
          [ids, from, to],
        )
      const manualDays = await rows<ManualRow & {employeeId: number}>(
          client,
          `SELECT employee_id AS "employeeId", date, status, check_in AS "checkIn", check_out AS "checkOut", note
             FROM manual_days WHERE employee_id = ANY($1) AND date >= $2 AND date <= $3 ORDER BY id`,
          [ids, from, to],
        )
      // Each employee's inputs as the per-employee reads of the recompute would give them.
      const punchesOf = groupBy(punches.rows, (row) => row[0])
      const leavesOf = groupBy(leaves, (row) => row.employeeId)
      const manualOf = groupBy(manualDays, (row) => row.employeeId)
      const inputs = new Map<number, EmployeeInputs>()
      for (const w of wanted) {
        inputs.set(w.employeeId, {
          punches: (punchesOf.get(w.employeeId) ?? [])
            .filter(([, instant]) => instant >= w.fromMs && instant < w.toMs)
            .map(([, instant, direction, deviceId]) => [instant, direction, deviceId] as const),
          leaves: (leavesOf.get(w.employeeId) ?? []).filter((l) => l.to >= w.from && l.from <= w.to).map(({employeeId: _e, ...leave}) => leave),
          manualDays: (manualOf.get(w.employeeId) ?? []).filter((m) => m.date >= w.from && m.date <= w.to).map(({employeeId: _e, ...day}) => day),
        })
      }
      return inputs
    },
    dayPunches: (scope, fromMs, toMs) => {
      const where = scopeClause(scope, 'p', 3)
      return rows<DayPunch>(
        client,
        `SELECT p.id, p.employee_id AS "employeeId", p.instant, p.direction, p.manual, p.device_key AS "deviceKey"
           FROM punches p
          WHERE p.instant >= $1 AND p.instant < $2 AND p.employee_id IS NOT NULL${where.sql}
          ORDER BY p.instant, p.id`,
        [fromMs, toMs, ...where.params],
      )
    },
    manualPunches: (fromMs, toMs) =>
      rows(client, 'SELECT employee_id AS "employeeId", instant FROM punches WHERE instant >= $1 AND instant < $2 AND manual AND employee_id IS NOT NULL', [fromMs, toMs]),
    punches: (scope, fromMs, toMs) => {
      const where = scopeClause(scope, 'p', 3)
      return rows<PunchSource>(
        client,
        `SELECT ${PUNCH_LOG_COLUMNS}
           FROM punches p
           LEFT JOIN devices d ON d.id = p.device_id
           LEFT JOIN employees e ON e.id = p.employee_id
          WHERE p.instant >= $1 AND p.instant < $2${where.sql}
          ORDER BY p.instant, p.id`,
        [fromMs, toMs, ...where.params],
      )
    },
  }
}

/** Reports on PostgreSQL: every read in one REPEATABLE READ snapshot on a pooled connection. */
export function pgReports(database: PgDatabase): ReportsSection {
  return {
    read: (query, now) => inSnapshot(database.pool, (client) => readReportAsync(pgReportReader(client), query, now)),
  }
}
