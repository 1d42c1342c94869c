import type pg from 'pg'

import {staleDayPairs, targetsOf, type Target} from '../../attendance/compute.js'
import type {RecomputeResult} from '../../attendance/recompute-result.js'
import type {ReassignedPunch} from '../../punches/events.js'
import type {SiteContext} from '../../attendance/site.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {unknownEmployee} from '../../errors.js'
import type {SiteSettings} from '../../settings/settings.js'
import {addDays} from '../../time/calendar.js'
import type {AttendanceDayRow, AttendanceSection, StoredManualDay} from '../attendance.js'
import {matchDepartment} from '../attendance-target.js'
import {DAY_COLUMNS} from '../sqlite/attendance.js'
import {employeesInScope, recomputeTargets} from './recompute.js'
import {publishChanges} from './ingest.js'
import {siteIn, type PgSite} from './site.js'
import {inTransaction} from './transaction.js'

/** Employees per transaction of a range recompute, as on SQLite. */
const CHUNK = 100

type Scope = {from: string; to: string; employeeIds?: number[]; department?: string}

/**
 * Attendance on PostgreSQL: the shared engine between the adapter's loads and writes
 * (src/store/pg/recompute.ts), every employee's days under its advisory lock.
 */
export function pgAttendance(database: PgDatabase, settings: () => Promise<SiteSettings>, site: PgSite): AttendanceSection {
  const pool = database.pool

  /** Every day of the range for the employees in scope, in transactions of CHUNK employees. */
  async function recomputeRange(scope: Scope, now: number, onProgress?: (done: number, total: number) => void, client?: pg.ClientBase): Promise<RecomputeResult> {
    const context = await site(now, client)
    const to = scope.to < context.today ? scope.to : context.today
    if (scope.from > to) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
    const employees = await employeesInScope(client ?? pool, {...scope, to})
    const result = {employees: employees.length, days: 0, changed: 0, from: scope.from, to}
    const run = async (part: typeof employees, on: pg.ClientBase) => {
      const targets = new Map<number, Target>(part.map((employee) => [employee.id, {from: scope.from, to}]))
      const done = await recomputeTargets(on, context, targets, now)
      result.days += done.days
      result.changed += done.changed
    }
    if (client) {
      await run(employees, client)
      return result
    }
    for (let i = 0; i < employees.length; i += CHUNK) {
      await inTransaction(pool, (on) => run(employees.slice(i, i + CHUNK), on))
      onProgress?.(Math.min(i + CHUNK, employees.length), employees.length)
    }
    return result
  }

  /** recomputeAffected: an open end is bounded by the employees' earliest day or punch. */
  async function recomputeAffected(client: pg.ClientBase, scope: AffectedScope, now: number): Promise<RecomputeResult | null> {
    return recomputeAffectedIn(client, await site(now, client), scope, now)
  }

  async function refreshStale(client: pg.ClientBase, scope: Scope, now: number): Promise<RecomputeResult> {
    const context = await site(now, client)
    const to = scope.to < context.today ? scope.to : context.today
    if (scope.from > to) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
    const employees = await employeesInScope(client, {...scope, to})
    const known = new Set<string>()
    const {rows} = await client.query<{employee_id: number; date: string}>(`SELECT employee_id, date FROM attendance_days WHERE date >= $1 AND date <= $2 AND status <> 'pending'`, [scope.from, to])
    for (const row of rows) known.add(`${row.employee_id}|${row.date}`)
    const pairs = staleDayPairs(employees, known, scope.from, to)
    if (pairs.length === 0) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
    const done = await recomputeTargets(client, context, targetsOf(pairs), now)
    return {...done, from: scope.from, to}
  }

  return {
    target: async (target) => {
      const timezone = (await settings()).timezone
      let employee
      if (target.employee !== undefined) {
        employee = (
          await pool.query<{id: number; code: string; joinedOn: string | null; leftOn: string | null}>(
            'SELECT id, code, joined_on AS "joinedOn", left_on AS "leftOn" FROM employees WHERE lower(code) = lower($1)',
            [target.employee.trim()],
          )
        ).rows[0]
        if (!employee) throw unknownEmployee(target.employee)
      }
      let department
      if (target.department !== undefined) {
        const {rows} = await pool.query<{department: string}>('SELECT DISTINCT department FROM employees WHERE department IS NOT NULL ORDER BY department')
        department = matchDepartment(target.department, rows.map((row) => row.department))
      }
      return {employee, department, timezone}
    },
    recompute: (scope, now, onProgress) => recomputeRange(scope, now, onProgress),
    recomputeAffected: (scope, now) => inTransaction(pool, (client) => recomputeAffected(client, scope, now)),
    refreshStale: (scope, now) => inTransaction(pool, (client) => refreshStale(client, scope, now)),
    list: async (query, now) => {
      await inTransaction(pool, (client) =>
        refreshStale(client, {from: query.from, to: query.to, employeeIds: query.employeeId === undefined ? undefined : [query.employeeId], department: query.department}, now),
      )
      const params: (string | number)[] = []
      const param = (value: string | number) => `$${params.push(value)}`
      const where = [`a.date >= ${param(query.from)}`, `a.date <= ${param(query.to)}`]
      if (query.employeeId !== undefined) where.push(`a.employee_id = ${param(query.employeeId)}`)
      if (query.department !== undefined) where.push(`e.department = ${param(query.department)}`)
      if (query.status) where.push(`a.status = ${param(query.status)}`)
      if (query.manual) where.push('a.manual')
      const from = 'FROM attendance_days a JOIN employees e ON e.id = a.employee_id LEFT JOIN shifts s ON s.id = a.shift_id'
      const total = (await pool.query<{total: number}>(`SELECT count(*)::int AS total ${from} WHERE ${where.join(' AND ')}`, params)).rows[0].total
      const page = `LIMIT ${query.limit === null ? 'ALL' : param(query.limit)} OFFSET ${param(query.offset)}`
      // Codes compare as SQLite orders them (binary), whatever the database's collation.
      const rows = (await pool.query<AttendanceDayRow>(`${DAY_COLUMNS} ${from} WHERE ${where.join(' AND ')} ORDER BY a.date, e.code COLLATE "C" ${page}`, params)).rows
      return {total, rows}
    },
    setManual: (input, now) =>
      inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO manual_days (employee_id, date, status, check_in, check_out, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (employee_id, date) DO UPDATE SET status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out,
             note = excluded.note, updated_at = excluded.updated_at`,
          [input.employeeId, input.date, input.status, input.checkIn, input.checkOut, input.note, now],
        )
        return recomputeAffected(client, {employeeIds: [input.employeeId], from: input.date, to: input.date}, now)
      }),
    unsetManual: (employeeId, date, now) =>
      inTransaction(pool, async (client) => {
        const {rows} = await client.query<StoredManualDay & {id: number}>(
          'DELETE FROM manual_days WHERE employee_id = $1 AND date = $2 RETURNING id, date, status, check_in AS "checkIn", check_out AS "checkOut", note',
          [employeeId, date],
        )
        if (!rows[0]) return null
        const {id: _id, ...removed} = rows[0]
        return {removed, recomputed: await recomputeAffected(client, {employeeIds: [employeeId], from: date, to: date}, now)}
      }),
  }
}

/** The earliest day or punch (a day before it: a night shift's start) of the employees in scope. */
async function earliestDate(client: pg.ClientBase, scope: {employeeIds?: number[]; department?: string}, dateOf: (instant: number) => string): Promise<string | null> {
  const params: unknown[] = []
  let employees = 'SELECT id FROM employees'
  if (scope.employeeIds) {
    params.push(scope.employeeIds)
    employees = 'SELECT unnest($1::bigint[])'
  } else if (scope.department !== undefined) {
    params.push(scope.department)
    employees = 'SELECT id FROM employees WHERE lower(department) = lower($1)'
  }
  const {rows} = await client.query<{day: string | null; instant: number | null}>(
    `SELECT (SELECT min(date) FROM attendance_days WHERE employee_id IN (${employees})) AS day,
            (SELECT min(instant) FROM punches WHERE employee_id IN (${employees})) AS instant`,
    params,
  )
  const day = rows[0].day
  const punchDate = rows[0].instant === null ? null : addDays(dateOf(rows[0].instant), -1)
  if (day === null) return punchDate
  if (punchDate === null) return day
  return day < punchDate ? day : punchDate
}

export interface AffectedScope {
  employeeIds?: number[]
  department?: string
  from?: string | null
  to?: string | null
}

/**
 * Recomputes, in the caller's transaction and with the site as it sees it, the days a change of the
 * rules moves (a leave, a holiday, a shift assignment, employment dates): an open start is bounded
 * by the employees' earliest day or punch, the end by the site's today; every employee under its
 * advisory lock (recomputeTargets). Null when there was nothing to do. The directory and schedules
 * adapters call it with the context of their own transaction (siteIn), as SQLite recomputes inside
 * the change's transaction.
 */
export async function recomputeAffectedIn(client: pg.ClientBase, context: SiteContext, scope: AffectedScope, now: number): Promise<RecomputeResult | null> {
  if (scope.employeeIds?.length === 0) return null
  const from = scope.from ?? (await earliestDate(client, scope, context.clock.dateOf.bind(context.clock)))
  if (!from) return null
  const to = scope.to && scope.to < context.today ? scope.to : context.today
  if (from > to) return null
  const employees = await employeesInScope(client, {from, to, employeeIds: scope.employeeIds, department: scope.department})
  const targets = new Map<number, Target>(employees.map((employee) => [employee.id, {from, to}]))
  const done = await recomputeTargets(client, context, targets, now)
  return {employees: employees.length, days: done.days, changed: done.changed, from, to}
}

/** What a change recomputes in its own transaction: recomputeAffectedIn with the site its transaction sees. */
export type RecomputeChange = (client: pg.ClientBase, scope: AffectedScope, now: number) => Promise<RecomputeResult | null>

export function recomputeChange(database: PgDatabase, settings: () => Promise<SiteSettings>): RecomputeChange {
  return async (client, scope, now) => recomputeAffectedIn(client, await siteIn(client, database, settings, now), scope, now)
}

/** Publishes punches a re-resolution moved between employees, in the caller's transaction. */
export type PublishReassigned = (client: pg.ClientBase, reassigned: ReassignedPunch[], now: number) => Promise<void>

/**
 * The `reassigned` change set on PostgreSQL, as SQLite's subscribers take it: the days the punches
 * leave and join are recomputed (webhooks for the days that changed), with the site this
 * transaction sees.
 */
export function publishReassigned(database: PgDatabase, settings: () => Promise<SiteSettings>): PublishReassigned {
  return async (client, reassigned, now) => {
    await publishChanges(client, {stored: [], removed: [], reassigned}, now, (at: number) => siteIn(client, database, settings, at))
  }
}
