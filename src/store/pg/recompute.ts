import type pg from 'pg'

import {computeEmployeeRecords, planDays, punchWindow, type EmployeeRow, type PunchTuple, type StoredDayRecord, type Target} from '../../attendance/compute.js'
import type {DayRecord} from '../../attendance/engine/index.js'
import type {SiteContext} from '../../attendance/site.js'
import {attendanceDayUpdated, type DayChange} from '../../webhooks/payloads.js'
import {queueEvents} from './outbox.js'

/** The first key of attend's advisory locks on employees ("attd"); the second is the employee id. */
const EMPLOYEE_LOCKS = 0x61747464

/**
 * Serializes the recompute of these employees across servers: a transaction-scoped advisory lock
 * per employee, taken in ascending id order so two transactions locking overlapping sets never wait
 * on each other in a cycle. A recompute reads the employee's punches only once it holds the lock,
 * so it sees every punch a transaction that held it before has committed: the last writer of a day
 * computed it from all the punches (docs/architecture.md, "The store port").
 */
export async function lockEmployees(client: pg.ClientBase, ids: Iterable<number>): Promise<void> {
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) await client.query('SELECT pg_advisory_xact_lock($1, $2::int)', [EMPLOYEE_LOCKS, id])
}

const EMPLOYEE_COLUMNS = 'id, code, name, department, joined_on AS "joinedOn", left_on AS "leftOn"'

const DAY_RECORD_COLUMNS = `id, date, status, shift_id AS "shiftId", first_in AS "firstIn", last_out AS "lastOut", worked_minutes AS "workedMinutes",
  late_minutes AS "lateMinutes", early_minutes AS "earlyMinutes", overtime_minutes AS "overtimeMinutes", late, early_departure AS "earlyDeparture",
  missed_punch AS "missedPunch", punch_count AS "punchCount", worked_on_holiday AS "workedOnHoliday", worked_on_leave AS "workedOnLeave",
  off_day_minutes AS "offDayMinutes", half_off AS "halfOff", manual, note`

const UPSERT_DAY = `INSERT INTO attendance_days (employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes,
    early_minutes, overtime_minutes, late, early_departure, missed_punch, punch_count, worked_on_holiday, worked_on_leave,
    off_day_minutes, half_off, manual, note, computed_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
  ON CONFLICT (employee_id, date) DO UPDATE SET status = excluded.status, shift_id = excluded.shift_id,
    first_in = excluded.first_in, last_out = excluded.last_out, worked_minutes = excluded.worked_minutes,
    late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
    overtime_minutes = excluded.overtime_minutes, late = excluded.late, early_departure = excluded.early_departure,
    missed_punch = excluded.missed_punch, punch_count = excluded.punch_count, worked_on_holiday = excluded.worked_on_holiday,
    worked_on_leave = excluded.worked_on_leave, off_day_minutes = excluded.off_day_minutes, half_off = excluded.half_off,
    manual = excluded.manual, note = excluded.note, computed_at = excluded.computed_at`

export interface TargetsResult {
  employees: number
  days: number
  changed: number
}

/**
 * Recomputes the targets' days in the caller's transaction: locks the employees, loads each one's
 * punches, leaves, manual days and stored days, runs the engine (shared with SQLite) and writes the
 * difference, queueing `attendance_day.updated` for what changed unless `webhooks` is false.
 */
export async function recomputeTargets(client: pg.ClientBase, site: SiteContext, targets: ReadonlyMap<number, Target>, now: number, webhooks = true): Promise<TargetsResult> {
  const ids = [...targets.keys()].sort((a, b) => a - b)
  if (ids.length === 0) return {employees: 0, days: 0, changed: 0}
  await lockEmployees(client, ids)
  const employees = (await client.query<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids])).rows
  let days = 0
  let changed = 0
  const dayChanges: DayChange[] = []
  for (const employee of employees) {
    const target = targets.get(employee.id)!
    const [from, to] = punchWindow(site, target)
    // One query at a time: a connection runs its queries in order anyway.
    const punches = await client.query({text: 'SELECT instant, direction, device_id FROM punches WHERE employee_id = $1 AND instant >= $2 AND instant < $3 ORDER BY instant', values: [employee.id, from, to], rowMode: 'array'})
    const leaves = await client.query('SELECT from_date AS "from", to_date AS "to", type, half FROM leaves WHERE employee_id = $1 AND to_date >= $2 AND from_date <= $3', [employee.id, target.from, target.to])
    const manualDays = await client.query('SELECT date, status, check_in AS "checkIn", check_out AS "checkOut", note FROM manual_days WHERE employee_id = $1 AND date >= $2 AND date <= $3', [employee.id, target.from, target.to])
    const storedRows = await client.query<DayRecord & {id: number}>(`SELECT ${DAY_RECORD_COLUMNS} FROM attendance_days WHERE employee_id = $1 AND date >= $2 AND date <= $3`, [employee.id, target.from, target.to])
    const records = computeEmployeeRecords(site, employee, target, now, {punches: punches.rows as PunchTuple[], leaves: leaves.rows, manualDays: manualDays.rows})
    const stored = new Map<string, StoredDayRecord>()
    for (const {id, ...record} of storedRows.rows) stored.set(record.date, {id, record})
    const plan = planDays(records, stored, target)
    for (const r of plan.upserts) {
      await client.query(UPSERT_DAY, [
        employee.id, r.date, r.status, r.shiftId, r.firstIn, r.lastOut, r.workedMinutes, r.lateMinutes, r.earlyMinutes, r.overtimeMinutes,
        r.late, r.earlyDeparture, r.missedPunch, r.punchCount, r.workedOnHoliday, r.workedOnLeave, r.offDayMinutes, r.halfOff, r.manual, r.note, now,
      ])
    }
    if (plan.removals.length > 0) await client.query('DELETE FROM attendance_days WHERE id = ANY($1::bigint[])', [plan.removals.map((removal) => removal.id)])
    days += plan.days
    changed += plan.upserts.length + plan.removals.length
    if (webhooks) for (const change of plan.changes) dayChanges.push({employee, ...change})
  }
  if (dayChanges.length > 0) {
    const shiftName = (id: number) => site.rules.get(id)?.name ?? null
    await queueEvents(client, dayChanges.map((change) => attendanceDayUpdated(change, shiftName, now)), now)
  }
  return {employees: ids.length, days, changed}
}

/**
 * Who a range recompute covers, as on SQLite (selectEmployees): everyone employed in the range, and
 * everyone with a stored day in it.
 */
export async function employeesInScope(client: pg.ClientBase | pg.Pool, scope: {from: string; to: string; employeeIds?: number[]; department?: string}): Promise<EmployeeRow[]> {
  if (scope.employeeIds) {
    return (await client.query<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ANY($1::bigint[]) ORDER BY id`, [scope.employeeIds])).rows
  }
  const inScope = `((active OR left_on IS NOT NULL) AND (joined_on IS NULL OR joined_on <= $2) AND (left_on IS NULL OR left_on >= $1)
    OR id IN (SELECT employee_id FROM attendance_days WHERE date >= $1 AND date <= $2))`
  if (scope.department !== undefined) {
    return (await client.query<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${inScope} AND lower(department) = lower($3) ORDER BY id`, [scope.from, scope.to, scope.department])).rows
  }
  return (await client.query<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${inScope} ORDER BY id`, [scope.from, scope.to])).rows
}
