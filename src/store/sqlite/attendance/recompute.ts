import type Database from 'better-sqlite3'

import type {Store} from '../../../db/open.js'
import {queueDayChanges, wantsDayChanges, type DayChange} from '../webhooks/day-events.js'
import {
  computeEmployeeRecords, planDays, punchWindow, staleDayPairs, targetsOf,
  type EmployeeRow, type ManualRow, type PunchTuple, type StoredDayRecord, type Target,
} from '../../../attendance/compute.js'
import type {DayRecord, LeaveSpan} from '../../../attendance/engine/index.js'
import {type SiteContext} from '../../../attendance/site.js'
import {loadSiteContext} from './site.js'
import type {ProgressListener, RecomputeOptions, RecomputeResult, RecomputeScope} from '../../../attendance/recompute-result.js'

export type {EmployeeRow, Target} from '../../../attendance/compute.js'
export {combineRecomputes, type ProgressListener, type RecomputeOptions, type RecomputeResult, type RecomputeScope} from '../../../attendance/recompute-result.js'

/** Employees per transaction: long enough to amortize commits, short enough not to starve `attend serve`. */
const CHUNK = 100

/**
 * Recomputes every day of a range for the employees in scope (by default everyone employed in the
 * range, and everyone with a stored day in it) and stores the records: new days inserted, changed
 * ones updated, days that no longer apply (before joining, after leaving) deleted. Idempotent: an
 * unchanged day is not rewritten, so a second run reports 0 changed. Days after the site's today
 * are never created.
 */
export function recomputeRange(store: Store, scope: RecomputeScope, now: number, onProgress?: ProgressListener): RecomputeResult {
  const site = loadSiteContext(store, now)
  const to = scope.to < site.today ? scope.to : site.today
  if (scope.from > to) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
  const employees = selectEmployees(store, {...scope, to})
  const targets = new Map<number, Target>()
  for (const employee of employees) targets.set(employee.id, {from: scope.from, to})
  return {...runTargets(store, site, targets, now, onProgress), from: scope.from, to}
}

/**
 * Recomputes just these (employee, date) pairs — what the punch pipeline touched. Runs inside the
 * caller's transaction when there is one (better-sqlite3 nests it as a savepoint).
 */
export function recomputeDays(
  store: Store,
  pairs: readonly {employeeId: number; date: string}[],
  now: number,
  site: SiteContext = loadSiteContext(store, now),
  options: RecomputeOptions = {},
): RecomputeResult {
  const targets = targetsOf(pairs.filter((pair) => pair.date <= site.today))
  const dates = pairs.map((p) => p.date).sort()
  return {...runTargets(store, site, targets, now, undefined, options), from: dates[0] ?? site.today, to: dates.at(-1) ?? site.today}
}

/**
 * Computes the days of a range that have no record yet or are still pending, leaving computed days
 * alone. Ingest only recomputes the days its punches touch, so a working day nobody punched on —
 * and today's pending days once their shift has closed — become absences only here: reports and
 * listings call this first, so they are right even when `attend serve` was down or idle.
 */
export function refreshStaleDays(store: Store, scope: RecomputeScope, now: number): RecomputeResult {
  const site = loadSiteContext(store, now)
  const to = scope.to < site.today ? scope.to : site.today
  if (scope.from > to) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
  const employees = selectEmployees(store, {...scope, to})
  const known = new Set<string>()
  const rows = store.sqlite
    .prepare(`SELECT employee_id AS employeeId, date FROM attendance_days WHERE date >= ? AND date <= ? AND status != 'pending'`)
    .raw()
    .iterate(scope.from, to) as IterableIterator<[number, string]>
  for (const [employeeId, date] of rows) known.add(`${employeeId}|${date}`)
  const pairs = staleDayPairs(employees, known, scope.from, to)
  if (pairs.length === 0) return {employees: 0, days: 0, changed: 0, from: scope.from, to}
  return {...runTargets(store, site, targetsOf(pairs), now), from: scope.from, to}
}

/**
 * Who a range recompute covers: everyone employed in it — active, or inactive with a leaving date
 * (their employment is known, so the days before it are theirs) — plus anyone with a stored day in
 * it, whose days outside employment must go. An inactive employee without a leaving date gets no
 * new days; `attend employees deactivate` always records one.
 */
export function selectEmployees(store: Store, scope: {from: string; to: string; employeeIds?: number[]; department?: string}): EmployeeRow[] {
  const base = 'SELECT id, code, name, department, joined_on AS joinedOn, left_on AS leftOn FROM employees'
  if (scope.employeeIds) {
    const lookup = store.sqlite.prepare(`${base} WHERE id = ?`)
    return scope.employeeIds.map((id) => lookup.get(id) as EmployeeRow | undefined).filter((e): e is EmployeeRow => e !== undefined)
  }
  const inScope = `((active = 1 OR left_on IS NOT NULL) AND (joined_on IS NULL OR joined_on <= @to) AND (left_on IS NULL OR left_on >= @from)
    OR id IN (SELECT employee_id FROM attendance_days WHERE date >= @from AND date <= @to))`
  if (scope.department !== undefined) {
    return store.sqlite
      .prepare(`${base} WHERE ${inScope} AND department = @department COLLATE NOCASE ORDER BY id`)
      .all({from: scope.from, to: scope.to, department: scope.department}) as EmployeeRow[]
  }
  return store.sqlite.prepare(`${base} WHERE ${inScope} ORDER BY id`).all({from: scope.from, to: scope.to}) as EmployeeRow[]
}

function runTargets(
  store: Store,
  site: SiteContext,
  targets: Map<number, Target>,
  now: number,
  onProgress?: ProgressListener,
  options: RecomputeOptions = {},
): Omit<RecomputeResult, 'from' | 'to'> {
  const statements = prepare(store.sqlite)
  const ids = [...targets.keys()]
  let days = 0
  let changed = 0
  // Checked once per run: with no endpoint subscribed, a recompute builds no event at all.
  const webhooks = options.webhooks !== false && wantsDayChanges(store)
  const chunk = (part: number[]) => {
    const dayChanges: DayChange[] | undefined = webhooks ? [] : undefined
    for (const id of part) {
      const employee = statements.employee.get(id) as EmployeeRow | undefined
      if (!employee) continue
      const result = recomputeEmployee(statements, site, employee, targets.get(id)!, now, dayChanges)
      days += result.days
      changed += result.changed
    }
    // In the transaction that changed the days: the outbox row commits (or rolls back) with them.
    if (dayChanges && dayChanges.length > 0) queueDayChanges(store, dayChanges, site, now)
  }
  // Inside the punch pipeline's transaction there is nothing to chunk: the caller's transaction is
  // the unit, and a savepoint per ingest would only add statements.
  if (store.sqlite.inTransaction) {
    chunk(ids)
    return {employees: ids.length, days, changed}
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    store.transaction(() => chunk(ids.slice(i, i + CHUNK)))
    onProgress?.(Math.min(i + CHUNK, ids.length), ids.length)
  }
  return {employees: ids.length, days, changed}
}

type Statements = ReturnType<typeof compile>

// Compiled once per connection: the punch hook recomputes a few days on every ingest, where
// re-preparing six statements each time cost more than the recompute itself.
const compiled = new WeakMap<Database.Database, Statements>()

function prepare(sqlite: Database.Database): Statements {
  let statements = compiled.get(sqlite)
  if (!statements) {
    statements = compile(sqlite)
    compiled.set(sqlite, statements)
  }
  return statements
}

function compile(sqlite: Database.Database) {
  return {
    employee: sqlite.prepare('SELECT id, code, name, department, joined_on AS joinedOn, left_on AS leftOn FROM employees WHERE id = ?'),
    punches: sqlite
      .prepare('SELECT instant, direction, device_id AS deviceId FROM punches WHERE employee_id = ? AND instant >= ? AND instant < ? ORDER BY instant')
      .raw(),
    leaves: sqlite.prepare('SELECT from_date AS "from", to_date AS "to", type, half FROM leaves WHERE employee_id = ? AND to_date >= ? AND from_date <= ?'),
    manualDays: sqlite
      .prepare('SELECT date, status, check_in AS checkIn, check_out AS checkOut, note FROM manual_days WHERE employee_id = ? AND date >= ? AND date <= ?'),
    existing: sqlite.prepare('SELECT * FROM attendance_days WHERE employee_id = ? AND date >= ? AND date <= ?'),
    upsert: sqlite.prepare(
      `INSERT INTO attendance_days (employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes,
         early_minutes, overtime_minutes, late, early_departure, missed_punch, punch_count, worked_on_holiday, worked_on_leave,
         off_day_minutes, half_off, manual, note, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (employee_id, date) DO UPDATE SET status = excluded.status, shift_id = excluded.shift_id,
         first_in = excluded.first_in, last_out = excluded.last_out, worked_minutes = excluded.worked_minutes,
         late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
         overtime_minutes = excluded.overtime_minutes, late = excluded.late, early_departure = excluded.early_departure,
         missed_punch = excluded.missed_punch, punch_count = excluded.punch_count, worked_on_holiday = excluded.worked_on_holiday,
         worked_on_leave = excluded.worked_on_leave, off_day_minutes = excluded.off_day_minutes, half_off = excluded.half_off,
         manual = excluded.manual, note = excluded.note, computed_at = excluded.computed_at`,
    ),
    remove: sqlite.prepare('DELETE FROM attendance_days WHERE id = ?'),
  }
}

function computeDays(statements: Statements, site: SiteContext, employee: EmployeeRow, target: Target, now: number): DayRecord[] {
  const [from, to] = punchWindow(site, target)
  return computeEmployeeRecords(site, employee, target, now, {
    punches: statements.punches.all(employee.id, from, to) as PunchTuple[],
    leaves: statements.leaves.all(employee.id, target.from, target.to) as LeaveSpan[],
    manualDays: statements.manualDays.all(employee.id, target.from, target.to) as ManualRow[],
  })
}

function recomputeEmployee(
  statements: Statements,
  site: SiteContext,
  employee: EmployeeRow,
  target: Target,
  now: number,
  dayChanges?: DayChange[],
): {days: number; changed: number} {
  const records = computeDays(statements, site, employee, target, now)
  const stored = new Map<string, StoredDayRecord>()
  for (const row of statements.existing.all(employee.id, target.from, target.to) as StoredDay[]) stored.set(row.date, {id: row.id, record: storedRecord(row)})
  const plan = planDays(records, stored, target)
  for (const record of plan.upserts) {
    statements.upsert.run(
      employee.id, record.date, record.status, record.shiftId, record.firstIn, record.lastOut, record.workedMinutes,
      record.lateMinutes, record.earlyMinutes, record.overtimeMinutes, Number(record.late), Number(record.earlyDeparture),
      Number(record.missedPunch), record.punchCount, Number(record.workedOnHoliday), Number(record.workedOnLeave),
      record.offDayMinutes, record.halfOff, Number(record.manual), record.note, now,
    )
  }
  for (const removal of plan.removals) statements.remove.run(removal.id)
  if (dayChanges) for (const change of plan.changes) dayChanges.push({employee, ...change})
  return {days: plan.days, changed: plan.upserts.length + plan.removals.length}
}

/** An `attendance_days` row as SQLite returns it. */
interface StoredDay {
  id: number
  date: string
  status: string
  shift_id: number | null
  first_in: number | null
  last_out: number | null
  worked_minutes: number
  late_minutes: number
  early_minutes: number
  overtime_minutes: number
  late: number
  early_departure: number
  missed_punch: number
  punch_count: number
  worked_on_holiday: number
  worked_on_leave: number
  off_day_minutes: number
  half_off: string | null
  manual: number
  note: string | null
}

/** A stored day as the engine's record, to say what a recompute changed. */
function storedRecord(stored: StoredDay): DayRecord {
  return {
    date: stored.date,
    status: stored.status as DayRecord['status'],
    shiftId: stored.shift_id,
    firstIn: stored.first_in,
    lastOut: stored.last_out,
    workedMinutes: stored.worked_minutes,
    lateMinutes: stored.late_minutes,
    earlyMinutes: stored.early_minutes,
    overtimeMinutes: stored.overtime_minutes,
    late: stored.late === 1,
    earlyDeparture: stored.early_departure === 1,
    missedPunch: stored.missed_punch === 1,
    punchCount: stored.punch_count,
    workedOnHoliday: stored.worked_on_holiday === 1,
    workedOnLeave: stored.worked_on_leave === 1,
    offDayMinutes: stored.off_day_minutes,
    halfOff: stored.half_off as DayRecord['halfOff'],
    manual: stored.manual === 1,
    note: stored.note,
  }
}
