import {eq, sql} from 'drizzle-orm'

import {recomputeAffected, recomputeShiftDays} from '../attendance/affected.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {shiftAssignments, shifts} from '../db/schema.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {readSettings} from '../settings/settings.js'
import type {Weekday} from '../time/weekdays.js'
import {parseShiftInput, validateShiftName, type ShiftInput} from './input.js'
import type {ShiftRow} from './rule.js'

export interface ShiftView {
  id: number
  name: string
  start: string
  end: string
  crossesMidnight: boolean
  lateGraceMinutes: number
  earlyGraceMinutes: number
  halfDayHours: number
  absentHours: number
  beforeMinutes: number
  afterMinutes: number
  checkInWindow: string | null
  checkOutWindow: string | null
  hoursMode: 'first-last' | 'pairs'
  directionMode: 'auto' | 'punch'
  debounceSeconds: number
  /** null = the site's week off. */
  weekOff: Weekday[] | null
  isDefault: boolean
}

export interface ShiftChange {
  shift: ShiftView
  /** The attendance recomputed because of the change, null when no stored day was affected. */
  recomputed: RecomputeResult | null
}

export function shiftView(row: ShiftRow, defaultShift: string | null): ShiftView {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    end: row.end,
    crossesMidnight: row.end <= row.start,
    lateGraceMinutes: row.lateGraceMinutes,
    earlyGraceMinutes: row.earlyGraceMinutes,
    halfDayHours: row.halfDayHours,
    absentHours: row.absentHours,
    beforeMinutes: row.beforeMinutes,
    afterMinutes: row.afterMinutes,
    checkInWindow: row.checkInWindow,
    checkOutWindow: row.checkOutWindow,
    hoursMode: row.hoursMode,
    directionMode: row.directionMode,
    debounceSeconds: row.debounceSeconds,
    weekOff: row.weekOff ? (JSON.parse(row.weekOff) as Weekday[]) : null,
    isDefault: defaultShift !== null && defaultShift.toLowerCase() === row.name.toLowerCase(),
  }
}

export function findShift(store: Store, name: string): ShiftRow | undefined {
  return store.db.select().from(shifts).where(sql`${shifts.name} = ${name.trim()} COLLATE NOCASE`).get()
}

export function requireShift(store: Store, name: string): ShiftRow {
  const row = findShift(store, name)
  if (!row) throw new NotFoundError(`Unknown shift "${name}": see attend shifts list.`)
  return row
}

export function addShift(openStore: () => Store, name: string, input: ShiftInput, now: number): ShiftView {
  const shiftName = validateShiftName(name)
  if (input.start === undefined || input.end === undefined) throw new UsageError('A shift needs both --start and --end (HH:MM).', 'missing_times')
  const values = parseShiftInput(input)
  const store = openStore()
  if (findShift(store, shiftName)) throw new ConflictError(`A shift named "${shiftName}" already exists: change it with attend shifts update.`)
  const row = store.db
    .insert(shifts)
    .values({name: shiftName, start: values.start!, end: values.end!, ...values, createdAt: now, updatedAt: now})
    .returning()
    .get()
  return shiftView(row, readSettings(store).defaultShift)
}

export function listShifts(openStore: () => Store): ShiftView[] {
  const store = openStore()
  const defaultShift = readSettings(store).defaultShift
  return store.db
    .select()
    .from(shifts)
    .orderBy(shifts.start, shifts.name)
    .all()
    .map((row) => shiftView(row, defaultShift))
}

export interface AssignmentView {
  id: number
  shift: string
  employeeCode: string | null
  employeeName: string | null
  department: string | null
  from: string | null
  to: string | null
}

export function shiftAssignmentsOf(store: Store, shiftId?: number): AssignmentView[] {
  const where = shiftId === undefined ? '' : 'WHERE a.shift_id = ?'
  return store.sqlite
    .prepare(
      `SELECT a.id, s.name AS shift, e.code AS employeeCode, e.name AS employeeName, a.department, a.from_date AS "from", a.to_date AS "to"
       FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id LEFT JOIN employees e ON e.id = a.employee_id
       ${where} ORDER BY a.id`,
    )
    .all(...(shiftId === undefined ? [] : [shiftId])) as AssignmentView[]
}

export function showShift(openStore: () => Store, name: string): ShiftView & {assignments: AssignmentView[]} {
  const store = openStore()
  const row = requireShift(store, name)
  return {...shiftView(row, readSettings(store).defaultShift), assignments: shiftAssignmentsOf(store, row.id)}
}

export function updateShift(openStore: () => Store, name: string, input: ShiftInput & {name?: string}, now: number): ShiftChange {
  const values = parseShiftInput(input)
  const newName = input.name === undefined ? undefined : validateShiftName(input.name)
  if (Object.keys(values).length === 0 && newName === undefined) throw new UsageError('Nothing to update: pass at least one flag, such as --start or --late-grace.', 'nothing_to_update')
  const store = openStore()
  const row = requireShift(store, name)
  return store.transaction(() => {
    if (newName !== undefined && newName.toLowerCase() !== row.name.toLowerCase() && findShift(store, newName)) {
      throw new ConflictError(`A shift named "${newName}" already exists.`)
    }
    const updated = store.db
      .update(shifts)
      .set({...values, ...(newName === undefined ? {} : {name: newName}), updatedAt: now})
      .where(eq(shifts.id, row.id))
      .returning()
      .get()
    let defaultShift = readSettings(store).defaultShift
    if (newName !== undefined && defaultShift?.toLowerCase() === row.name.toLowerCase()) {
      // The default shift is stored by name: follow the rename.
      store.sqlite.prepare(`UPDATE settings SET value = ?, updated_at = ? WHERE key = 'defaultShift'`).run(JSON.stringify(newName), now)
      defaultShift = newName
    }
    const recomputed = recomputeShiftDays(store, row.id, now)
    return {shift: shiftView(updated, defaultShift), recomputed}
  })
}

export interface ShiftRemoval {
  removed: string
  assignmentsRemoved: number
  recomputed: RecomputeResult | null
}

/**
 * Removes a shift and its assignments; the days that used it are recomputed with whatever shift
 * applies now. The default shift cannot be removed until another (or none) is set.
 */
export function removeShift(openStore: () => Store, name: string, now: number): ShiftRemoval {
  const store = openStore()
  const row = requireShift(store, name)
  const defaultShift = readSettings(store).defaultShift
  if (defaultShift && defaultShift.toLowerCase() === row.name.toLowerCase()) {
    throw new ConflictError(`Shift "${row.name}" is the default shift: set another first (attend config set default-shift NAME, or none).`)
  }
  return store.transaction(() => {
    const assignmentsRemoved = store.db.delete(shiftAssignments).where(eq(shiftAssignments.shiftId, row.id)).run().changes
    const recomputed = recomputeShiftDays(store, row.id, now)
    // Days before joining or after leaving are deleted rather than recomputed; none may still point here.
    const left = store.sqlite.prepare('SELECT count(*) AS n FROM attendance_days WHERE shift_id = ?').get(row.id) as {n: number}
    if (left.n > 0) throw new ConflictError(`Shift "${row.name}" is still used by ${left.n} attendance days outside today's range: run attend recompute over them first.`)
    store.db.delete(shifts).where(eq(shifts.id, row.id)).run()
    return {removed: row.name, assignmentsRemoved, recomputed}
  })
}

/** Recomputes everyone after a site rule changed (attend config set default-shift / week-off). */
export function recomputeAfterSiteRuleChange(store: Store, now: number): RecomputeResult | null {
  return recomputeAffected(store, {}, now)
}
