import type pg from 'pg'

import {computeEmployeeRecords, planDays, punchWindow, type EmployeeInputs, type EmployeeRow, type PunchTuple, type StoredDayRecord, type Target} from '../../attendance/compute.js'
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
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  if (sorted.length === 0) return
  // One statement: the locks are taken row by row in the ordered subquery's order.
  await client.query('SELECT count(pg_advisory_xact_lock($1, id)) FROM (SELECT unnest($2::int[]) AS id ORDER BY 1) AS ordered', [EMPLOYEE_LOCKS, sorted])
}

const EMPLOYEE_COLUMNS = 'id, code, name, department, joined_on AS "joinedOn", left_on AS "leftOn"'

const DAY_RECORD_COLUMNS = `id, date, status, shift_id AS "shiftId", first_in AS "firstIn", last_out AS "lastOut", worked_minutes AS "workedMinutes",
  late_minutes AS "lateMinutes", early_minutes AS "earlyMinutes", overtime_minutes AS "overtimeMinutes", late, early_departure AS "earlyDeparture",
  missed_punch AS "missedPunch", punch_count AS "punchCount", worked_on_holiday AS "workedOnHoliday", worked_on_leave AS "workedOnLeave",
  off_day_minutes AS "offDayMinutes", half_off AS "halfOff", manual, note`


/**
 * Several employees' engine inputs and stored days in one round trip: a row per employee, each part
 * a JSON array built by the server (node-postgres parses json columns), so a single punch's
 * recompute costs one read rather than four, and an import's slice one per LOAD_BATCH employees
 * rather than four per employee (bench/pg-serve.js, bench/pg-import.js). Ids and instants are far
 * below 2^53, exact as JSON numbers.
 */
const LOAD_EMPLOYEES = `SELECT t.id,
  (SELECT coalesce(json_agg(json_build_array(instant, direction, device_id) ORDER BY instant), '[]')
     FROM punches WHERE employee_id = t.id AND instant >= t.from_ms AND instant < t.to_ms) AS punches,
  (SELECT coalesce(json_agg(json_build_object('from', from_date, 'to', to_date, 'type', type, 'half', half)), '[]')
     FROM leaves WHERE employee_id = t.id AND to_date >= t.from_date AND from_date <= t.to_date) AS leaves,
  (SELECT coalesce(json_agg(json_build_object('date', date, 'status', status, 'checkIn', check_in, 'checkOut', check_out, 'note', note)), '[]')
     FROM manual_days WHERE employee_id = t.id AND date >= t.from_date AND date <= t.to_date) AS "manualDays",
  (SELECT coalesce(json_agg(d), '[]')
     FROM (SELECT ${DAY_RECORD_COLUMNS} FROM attendance_days WHERE employee_id = t.id AND date >= t.from_date AND date <= t.to_date) AS d) AS days
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS t(id, from_ms, to_ms, from_date, to_date)`

/** Employees loaded per query: bounds the rows one answer carries on a long range recompute. */
const LOAD_BATCH = 50

/** The days to write in one statement, a JSON array of attendance_days rows. */
const UPSERT_DAYS = `INSERT INTO attendance_days (employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes,
    early_minutes, overtime_minutes, late, early_departure, missed_punch, punch_count, worked_on_holiday, worked_on_leave,
    off_day_minutes, half_off, manual, note, computed_at)
  SELECT employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes,
    early_minutes, overtime_minutes, late, early_departure, missed_punch, punch_count, worked_on_holiday, worked_on_leave,
    off_day_minutes, half_off, manual, note, computed_at
  FROM json_populate_recordset(NULL::attendance_days, $1::json)
  ON CONFLICT (employee_id, date) DO UPDATE SET status = excluded.status, shift_id = excluded.shift_id,
    first_in = excluded.first_in, last_out = excluded.last_out, worked_minutes = excluded.worked_minutes,
    late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
    overtime_minutes = excluded.overtime_minutes, late = excluded.late, early_departure = excluded.early_departure,
    missed_punch = excluded.missed_punch, punch_count = excluded.punch_count, worked_on_holiday = excluded.worked_on_holiday,
    worked_on_leave = excluded.worked_on_leave, off_day_minutes = excluded.off_day_minutes, half_off = excluded.half_off,
    manual = excluded.manual, note = excluded.note, computed_at = excluded.computed_at`

/** Days written per statement. */
const UPSERT_BATCH = 1000

interface EmployeeDayInputs extends EmployeeInputs {
  id: number
  punches: PunchTuple[]
  days: (DayRecord & {id: number})[]
}

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
  const upserts: Record<string, unknown>[] = []
  const removals: number[] = []
  for (let i = 0; i < employees.length; i += LOAD_BATCH) {
    const part = employees.slice(i, i + LOAD_BATCH)
    const windows = part.map((employee) => punchWindow(site, targets.get(employee.id)!))
    const {rows} = await client.query<EmployeeDayInputs>(LOAD_EMPLOYEES, [
      part.map((e) => e.id), windows.map((w) => w[0]), windows.map((w) => w[1]),
      part.map((e) => targets.get(e.id)!.from), part.map((e) => targets.get(e.id)!.to),
    ])
    const loadedById = new Map(rows.map((row) => [row.id, row]))
    for (const employee of part) {
      const target = targets.get(employee.id)!
      const loaded = loadedById.get(employee.id)!
      const records = computeEmployeeRecords(site, employee, target, now, {punches: loaded.punches, leaves: loaded.leaves, manualDays: loaded.manualDays})
      const stored = new Map<string, StoredDayRecord>()
      for (const {id, ...record} of loaded.days) stored.set(record.date, {id, record})
      const plan = planDays(records, stored, target)
      for (const r of plan.upserts) upserts.push(dayRow(employee.id, r, now))
      for (const removal of plan.removals) removals.push(removal.id)
      days += plan.days
      changed += plan.upserts.length + plan.removals.length
      if (webhooks) for (const change of plan.changes) dayChanges.push({employee, ...change})
    }
  }
  for (let i = 0; i < upserts.length; i += UPSERT_BATCH) await client.query(UPSERT_DAYS, [JSON.stringify(upserts.slice(i, i + UPSERT_BATCH))])
  if (removals.length > 0) await client.query('DELETE FROM attendance_days WHERE id = ANY($1::bigint[])', [removals])
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

/** A computed day as an attendance_days row (column names), for UPSERT_DAYS. */
function dayRow(employeeId: number, r: DayRecord, now: number): Record<string, unknown> {
  return {
    employee_id: employeeId, date: r.date, status: r.status, shift_id: r.shiftId, first_in: r.firstIn, last_out: r.lastOut,
    worked_minutes: r.workedMinutes, late_minutes: r.lateMinutes, early_minutes: r.earlyMinutes, overtime_minutes: r.overtimeMinutes,
    late: r.late, early_departure: r.earlyDeparture, missed_punch: r.missedPunch, punch_count: r.punchCount,
    worked_on_holiday: r.workedOnHoliday, worked_on_leave: r.workedOnLeave, off_day_minutes: r.offDayMinutes, half_off: r.halfOff,
    manual: r.manual, note: r.note, computed_at: now,
  }
}
