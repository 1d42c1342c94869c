import type pg from 'pg'

import {combineRecomputes, type RecomputeResult} from '../../attendance/recompute-result.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {ConflictError, NotFoundError, unknownDepartment, unknownEmployee, unknownRoster, unknownShift, UsageError} from '../../errors.js'
import {parseCycle, rosterView} from '../../rosters/cycle.js'
import type {SiteSettings} from '../../settings/settings.js'
import {parseShiftInput, validateShiftName, type ShiftValues} from '../../shifts/input.js'
import type {ShiftRow} from '../../shifts/rule.js'
import {assertReach, shiftView, type AssignmentView} from '../../shifts/view.js'
import {addDays} from '../../time/calendar.js'
import {parseDate, parseDateRange} from '../../time/date-input.js'
import {LocalClock} from '../../time/local-clock.js'
import type {SchedulesSection} from '../schedules.js'
import {recomputeChange, type RecomputeChange} from './attendance.js'
import {inTransaction} from './transaction.js'

type Client = pg.ClientBase

// Column names as the app reads them (SQLite's Drizzle shape): the shift rule is built from these.
const SHIFT_COLUMNS = `id, name, start, "end", late_grace_minutes AS "lateGraceMinutes", early_grace_minutes AS "earlyGraceMinutes",
  half_day_hours AS "halfDayHours", absent_hours AS "absentHours", before_minutes AS "beforeMinutes", after_minutes AS "afterMinutes",
  check_in_window AS "checkInWindow", check_out_window AS "checkOutWindow", hours_mode AS "hoursMode", direction_mode AS "directionMode",
  debounce_seconds AS "debounceSeconds", week_off AS "weekOff", weekdays, mark_late AS "markLate", mark_early AS "markEarly",
  overtime_counts AS "overtimeCounts", overtime_minimum_minutes AS "overtimeMinimumMinutes", overtime_round_minutes AS "overtimeRoundMinutes",
  overtime_cap_minutes AS "overtimeCapMinutes", created_at AS "createdAt", updated_at AS "updatedAt"`

/** A shift's values → its columns (snake_case), for inserts and updates. */
const SHIFT_FIELDS: Record<keyof ShiftValues | 'name', string> = {
  name: 'name', start: 'start', end: '"end"', lateGraceMinutes: 'late_grace_minutes', earlyGraceMinutes: 'early_grace_minutes',
  halfDayHours: 'half_day_hours', absentHours: 'absent_hours', beforeMinutes: 'before_minutes', afterMinutes: 'after_minutes',
  checkInWindow: 'check_in_window', checkOutWindow: 'check_out_window', hoursMode: 'hours_mode', directionMode: 'direction_mode',
  debounceSeconds: 'debounce_seconds', weekOff: 'week_off', weekdays: 'weekdays', markLate: 'mark_late', markEarly: 'mark_early',
  overtimeCounts: 'overtime_counts', overtimeMinimumMinutes: 'overtime_minimum_minutes', overtimeRoundMinutes: 'overtime_round_minutes',
  overtimeCapMinutes: 'overtime_cap_minutes',
} as Record<keyof ShiftValues | 'name', string>

const ASSIGNMENT_SELECT = `SELECT a.id, s.name AS shift, r.name AS roster, e.code AS "employeeCode", e.name AS "employeeName", a.department,
    a.from_date AS "from", a.to_date AS "to"
  FROM shift_assignments a LEFT JOIN shifts s ON s.id = a.shift_id LEFT JOIN rosters r ON r.id = a.roster_id
  LEFT JOIN employees e ON e.id = a.employee_id`

type RosterRow = {id: number; name: string; cycle: string}
type Scope = {employeeIds: number[]} | {department: string} | {shiftId: number}

async function assignmentsWhere(client: Client | pg.Pool, where: string, params: unknown[]): Promise<AssignmentView[]> {
  return (await client.query<AssignmentView>(`${ASSIGNMENT_SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY a.id`, params)).rows
}

async function findShift(client: Client | pg.Pool, name: string): Promise<ShiftRow | undefined> {
  return (await client.query<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE lower(name) = lower($1)`, [name.trim()])).rows[0]
}

async function requireShift(client: Client | pg.Pool, name: string): Promise<ShiftRow> {
  const row = await findShift(client, name)
  if (!row) throw unknownShift(name)
  return row
}

async function findRoster(client: Client | pg.Pool, name: string): Promise<RosterRow | undefined> {
  return (await client.query<RosterRow>('SELECT id, name, cycle FROM rosters WHERE lower(name) = lower($1)', [name.trim()])).rows[0]
}

async function requireRoster(client: Client | pg.Pool, name: string): Promise<RosterRow> {
  const row = await findRoster(client, name)
  if (!row) throw unknownRoster(name)
  return row
}

async function shiftNames(client: Client | pg.Pool): Promise<Map<number, string>> {
  return new Map((await client.query<{id: number; name: string}>('SELECT id, name FROM shifts')).rows.map((s) => [s.id, s.name]))
}

async function requireEmployee(client: Client | pg.Pool, code: string): Promise<{id: number; department: string | null}> {
  const row = (await client.query<{id: number; department: string | null}>('SELECT id, department FROM employees WHERE lower(code) = lower($1)', [code.trim()])).rows[0]
  if (!row) throw unknownEmployee(code)
  return row
}

async function requireDepartment(client: Client | pg.Pool, department: string): Promise<string> {
  const known = (await client.query<{department: string}>('SELECT DISTINCT department FROM employees WHERE department IS NOT NULL ORDER BY department')).rows.map((r) => r.department)
  const match = known.find((d) => d.toLowerCase() === department.trim().toLowerCase())
  if (!match) throw unknownDepartment(department.trim(), known)
  return match
}

/**
 * The recompute a schedule change implies, in its own transaction, over the range SQLite's covers:
 * an assignment's range (an open start: the employees' earliest stored day or punch; the end: the
 * site's today); a shift's change, the days that used it, with the day before and after
 * (recomputeShiftDays on SQLite). Every employee under its advisory lock (recomputeAffectedIn).
 */
async function recomputeIn(client: Client, recompute: RecomputeChange, scope: Scope, range: {from?: string | null; to?: string | null}, now: number): Promise<RecomputeResult | null> {
  if (!('shiftId' in scope)) return recompute(client, {...scope, from: range.from, to: range.to}, now)
  const {rows} = await client.query<{employeeId: number; first: string; last: string}>(
    'SELECT employee_id AS "employeeId", min(date) AS first, max(date) AS last FROM attendance_days WHERE shift_id = $1 GROUP BY employee_id',
    [scope.shiftId],
  )
  if (rows.length === 0) return null
  const first = rows.reduce((min, r) => (r.first < min ? r.first : min), rows[0].first)
  const last = rows.reduce((max, r) => (r.last > max ? r.last : max), rows[0].last)
  return recompute(client, {employeeIds: rows.map((r) => r.employeeId), from: addDays(first, -1), to: addDays(last, 1)}, now)
}

/** Who an assignment is for → the employees whose days it may move. */
const targetScope = (target: {employeeId: number | null; department: string | null}): Scope =>
  target.employeeId !== null ? {employeeIds: [target.employeeId]} : {department: target.department!}

/**
 * Shifts, assignments and rosters on PostgreSQL: plain parameterised SQL, each operation one
 * transaction. Names are unique regardless of case (`lower(name)` indexes), as SQLite's NOCASE ones.
 */
export function pgSchedules(database: PgDatabase, settings: () => Promise<SiteSettings>): SchedulesSection {
  const {pool} = database
  const recompute = recomputeChange(database, settings)
  const write = <T>(work: (client: pg.PoolClient) => Promise<T>) => inTransaction(pool, work)

  const insertAssignment = async (
    client: Client,
    schedule: {shiftId: number} | {rosterId: number},
    input: {employee?: string; department?: string; from?: string; to?: string},
    now: number,
  ) => {
    const range = parseDateRange(input.from, input.to)
    const employee = input.employee === undefined ? null : await requireEmployee(client, input.employee)
    const department = input.department?.trim() ?? null
    const {rows} = await client.query<{id: number}>(
      `INSERT INTO shift_assignments (shift_id, roster_id, employee_id, department, from_date, to_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      ['shiftId' in schedule ? schedule.shiftId : null, 'rosterId' in schedule ? schedule.rosterId : null, employee?.id ?? null, department, range.from, range.to, now],
    )
    // As on SQLite, the day before the range too: its punches near midnight the new schedule may claim.
    const recomputed = await recomputeIn(client, recompute, targetScope({employeeId: employee?.id ?? null, department}), {from: range.from && addDays(range.from, -1), to: range.to}, now)
    return {assignment: (await assignmentsWhere(client, 'a.id = $1', [rows[0].id]))[0], recomputed}
  }

  const rosterAssignments = async (client: Client, rosterId: number) =>
    (
      await client.query<{employeeId: number | null; department: string | null; from: string | null; to: string | null}>(
        'SELECT employee_id AS "employeeId", department, from_date AS "from", to_date AS "to" FROM shift_assignments WHERE roster_id = $1',
        [rosterId],
      )
    ).rows

  return {
    listShifts: async () => {
      const {defaultShift} = await settings()
      return (await pool.query<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts ORDER BY start, name`)).rows.map((row) => shiftView(row, defaultShift))
    },

    showShift: async (name) => {
      const row = await requireShift(pool, name)
      return {...shiftView(row, (await settings()).defaultShift), assignments: await assignmentsWhere(pool, 'a.shift_id = $1', [row.id])}
    },

    addShift: async (name, input, now) => {
      const shiftName = validateShiftName(name)
      const values = parseShiftInput(input)
      assertReach({name: shiftName, ...values})
      const row = await write(async (client) => {
        if (await findShift(client, shiftName)) throw new ConflictError(`A shift named "${shiftName}" already exists: change it with attend shifts update.`)
        const fields = {...values, name: shiftName, createdAt: now, updatedAt: now} as Record<string, unknown>
        const columns = Object.keys(fields).map((key) => SHIFT_FIELDS[key as keyof typeof SHIFT_FIELDS] ?? (key === 'createdAt' ? 'created_at' : 'updated_at'))
        const {rows} = await client.query<{id: number}>(
          `INSERT INTO shifts (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
          Object.values(fields),
        )
        return (await client.query<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = $1`, [rows[0].id])).rows[0]
      })
      return shiftView(row, (await settings()).defaultShift)
    },

    updateShift: (name, input, now) =>
      write(async (client) => {
        const values = parseShiftInput(input)
        const newName = input.name === undefined ? undefined : validateShiftName(input.name)
        const row = await requireShift(client, name)
        assertReach({...row, ...values, ...(newName === undefined ? {} : {name: newName})})
        if (newName !== undefined && newName.toLowerCase() !== row.name.toLowerCase() && (await findShift(client, newName))) {
          throw new ConflictError(`A shift named "${newName}" already exists.`)
        }
        const fields = {...values, ...(newName === undefined ? {} : {name: newName})} as Record<string, unknown>
        const sets = Object.keys(fields).map((key, i) => `${SHIFT_FIELDS[key as keyof typeof SHIFT_FIELDS]} = $${i + 2}`)
        await client.query(`UPDATE shifts SET ${[...sets, `updated_at = $${sets.length + 2}`].join(', ')} WHERE id = $1`, [row.id, ...Object.values(fields), now])
        let defaultShift = await defaultShiftIn(client)
        if (newName !== undefined && defaultShift?.toLowerCase() === row.name.toLowerCase()) {
          // The default shift is stored by name: follow the rename.
          await client.query(`UPDATE settings SET value = $1, updated_at = $2 WHERE key = 'defaultShift'`, [JSON.stringify(newName), now])
          defaultShift = newName
        }
        const recomputed = await recomputeIn(client, recompute, {shiftId: row.id}, {}, now)
        const updated = (await client.query<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = $1`, [row.id])).rows[0]
        return {shift: shiftView(updated, defaultShift), recomputed}
      }),

    removeShift: (name, now) =>
      write(async (client) => {
        const row = await requireShift(client, name)
        const defaultShift = await defaultShiftIn(client)
        if (defaultShift && defaultShift.toLowerCase() === row.name.toLowerCase()) {
          throw new ConflictError(`Shift "${row.name}" is the default shift: set another first (attend config set default-shift NAME, or none).`)
        }
        const using = (await client.query<RosterRow>('SELECT id, name, cycle FROM rosters ORDER BY name')).rows.filter((r) => (JSON.parse(r.cycle) as (number | null)[]).includes(row.id))
        if (using.length > 0) {
          throw new ConflictError(`Shift "${row.name}" is part of roster ${using.map((r) => `"${r.name}"`).join(', ')}: change or remove the roster first (attend rosters remove NAME).`)
        }
        const removed = await client.query('DELETE FROM shift_assignments WHERE shift_id = $1', [row.id])
        const recomputed = await recomputeIn(client, recompute, {shiftId: row.id}, {}, now)
        // Days before joining or after leaving are deleted rather than recomputed; none may still point here.
        const left = (await client.query<{n: number}>('SELECT count(*)::int AS n FROM attendance_days WHERE shift_id = $1', [row.id])).rows[0].n
        if (left > 0) throw new ConflictError(`Shift "${row.name}" is still used by ${left} attendance days outside today's range: run attend recompute over them first.`)
        await client.query('DELETE FROM shifts WHERE id = $1', [row.id])
        return {removed: row.name, assignmentsRemoved: removed.rowCount ?? 0, recomputed}
      }),

    listAssignments: async (filter) => {
      const where: string[] = []
      const params: unknown[] = []
      if (filter.employee !== undefined) {
        const employee = await requireEmployee(pool, filter.employee)
        params.push(employee.id, employee.department ?? '')
        where.push(`(a.employee_id = $${params.length - 1} OR (a.department IS NOT NULL AND lower(a.department) = lower($${params.length})))`)
      }
      if (filter.department !== undefined) {
        params.push(await requireDepartment(pool, filter.department))
        where.push(`lower(a.department) = lower($${params.length})`)
      }
      if (filter.shift !== undefined) {
        params.push((await requireShift(pool, filter.shift)).id)
        where.push(`a.shift_id = $${params.length}`)
      }
      return (await assignmentsWhere(pool, where.join(' AND '), params)).map((a) => ({...a, via: a.employeeCode ? ('employee' as const) : ('department' as const)}))
    },

    assignShift: (name, input, now) =>
      write(async (client) => insertAssignment(client, {shiftId: (await requireShift(client, name)).id}, input, now)),

    endAssignment: async (text, options, now) => {
      const id = Number(text)
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`Invalid assignment id "${text}": expected the number shown by attend shifts assignments.`, 'invalid_id')
      const newTo = options.to === undefined ? undefined : parseDate(options.to, '--to')
      const zone = (await settings()).timezone
      return write(async (client) => {
        const row = (
          await client.query<{id: number; employeeId: number | null; department: string | null; fromDate: string | null; toDate: string | null}>(
            'SELECT id, employee_id AS "employeeId", department, from_date AS "fromDate", to_date AS "toDate" FROM shift_assignments WHERE id = $1 FOR UPDATE',
            [id],
          )
        ).rows[0]
        if (!row) throw new NotFoundError(`No assignment with id ${id}: see attend shifts assignments.`)
        const view = (await assignmentsWhere(client, 'a.id = $1', [row.id]))[0]
        if (options.remove) {
          await client.query('DELETE FROM shift_assignments WHERE id = $1', [row.id])
          const recomputed = await recomputeIn(client, recompute, targetScope(row), {from: row.fromDate && addDays(row.fromDate, -1), to: row.toDate && addDays(row.toDate, 1)}, now)
          return {assignment: view, previousTo: row.toDate, deleted: true, recomputed}
        }
        const to = newTo ?? LocalClock.for(zone).dateOf(now)
        if (row.fromDate && to < row.fromDate) {
          throw new UsageError(`Assignment ${row.id} starts on ${row.fromDate}, after --to ${to}: to undo it entirely, use attend shifts unassign ${row.id} --delete.`, 'invalid_range')
        }
        await client.query('UPDATE shift_assignments SET to_date = $1 WHERE id = $2', [to, row.id])
        const earlier = row.toDate !== null && row.toDate < to ? row.toDate : to
        const later = row.toDate === null ? null : row.toDate > to ? row.toDate : to
        const recomputed = await recomputeIn(client, recompute, targetScope(row), {from: earlier, to: later && addDays(later, 1)}, now)
        return {assignment: {...view, to}, previousTo: row.toDate, deleted: false, recomputed}
      })
    },

    listRosters: async () => {
      const names = await shiftNames(pool)
      return (await pool.query<RosterRow>('SELECT id, name, cycle FROM rosters ORDER BY name')).rows.map((row) => rosterView(row, names))
    },

    showRoster: async (name) => {
      const row = await requireRoster(pool, name)
      return {...rosterView(row, await shiftNames(pool)), assignments: await assignmentsWhere(pool, 'a.roster_id = $1', [row.id])}
    },

    addRoster: (name, input, now) =>
      write(async (client) => {
        const rosterName = validateShiftName(name, 'roster')
        if (input.cycle === undefined) throw new UsageError('A roster needs --cycle, such as Day,Day,Night,Night,off,off.', 'missing_cycle')
        if (await findRoster(client, rosterName)) throw new ConflictError(`A roster named "${rosterName}" already exists: change it with attend rosters update.`)
        const names = await shiftNames(client)
        const cycle = parseCycle(names, input.cycle)
        const {rows} = await client.query<RosterRow>(
          'INSERT INTO rosters (name, cycle, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id, name, cycle',
          [rosterName, JSON.stringify(cycle), now],
        )
        return rosterView(rows[0], names)
      }),

    updateRoster: (name, input, now) =>
      write(async (client) => {
        const newName = input.name === undefined ? undefined : validateShiftName(input.name, 'roster')
        const row = await requireRoster(client, name)
        const names = await shiftNames(client)
        const cycle = input.cycle === undefined ? undefined : parseCycle(names, input.cycle)
        if (newName !== undefined && newName.toLowerCase() !== row.name.toLowerCase() && (await findRoster(client, newName))) {
          throw new ConflictError(`A roster named "${newName}" already exists.`)
        }
        const {rows} = await client.query<RosterRow>(
          'UPDATE rosters SET cycle = coalesce($2, cycle), name = coalesce($3, name), updated_at = $4 WHERE id = $1 RETURNING id, name, cycle',
          [row.id, cycle ? JSON.stringify(cycle) : null, newName ?? null, now],
        )
        const results: (RecomputeResult | null)[] = []
        if (cycle) for (const assigned of await rosterAssignments(client, row.id)) results.push(await recomputeIn(client, recompute, targetScope(assigned), assigned, now))
        const recomputed = combineRecomputes(results)
        return {roster: rosterView(rows[0], names), recomputed}
      }),

    removeRoster: (name, now) =>
      write(async (client) => {
        const row = await requireRoster(client, name)
        const assignedTo = await rosterAssignments(client, row.id)
        const removed = await client.query('DELETE FROM shift_assignments WHERE roster_id = $1', [row.id])
        await client.query('DELETE FROM rosters WHERE id = $1', [row.id])
        // The days it planned, recomputed with whatever applies now.
        const results: (RecomputeResult | null)[] = []
        for (const assigned of assignedTo) results.push(await recomputeIn(client, recompute, targetScope(assigned), assigned, now))
        return {removed: row.name, assignmentsRemoved: removed.rowCount ?? 0, recomputed: combineRecomputes(results)}
      }),

    assignRoster: (name, input, now) =>
      write(async (client) => insertAssignment(client, {rosterId: (await requireRoster(client, name)).id}, input, now)),
  }
}

/**
 * The default shift's name as the transaction sees it: read through its own connection, since a
 * transaction that waited for a pooled one could deadlock the pool (see PgSite).
 */
async function defaultShiftIn(client: pg.ClientBase): Promise<string | null> {
  const {rows} = await client.query<{value: string}>(`SELECT value FROM settings WHERE key = 'defaultShift'`)
  return rows[0] ? (JSON.parse(rows[0].value) as string | null) : null
}
