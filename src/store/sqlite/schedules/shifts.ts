import {eq, sql} from 'drizzle-orm'

import {recomputeAffected, recomputeShiftDays} from '../attendance/affected.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../../../db/open.js'
import {shiftAssignments, shifts} from '../../../db/schema.js'
import {ConflictError, unknownShift, UsageError} from '../../../errors.js'
import {readSettings} from '../settings.js'
import {parseShiftInput, validateShiftName, type ShiftInput} from '../../../shifts/input.js'
import {assertReach, shiftView, type AssignmentView, type ShiftChange, type ShiftRemoval, type ShiftView} from '../../../shifts/view.js'
import type {ShiftRow} from '../../../shifts/rule.js'

export function findShift(store: Store, name: string): ShiftRow | undefined {
  return store.db.select().from(shifts).where(sql`${shifts.name} = ${name.trim()} COLLATE NOCASE`).get()
}

export function requireShift(store: Store, name: string): ShiftRow {
  const row = findShift(store, name)
  if (!row) throw unknownShift(name)
  return row
}

export function addShift(openStore: () => Store, name: string, input: ShiftInput, now: number): ShiftView {
  const shiftName = validateShiftName(name)
  if (input.start === undefined || input.end === undefined) throw new UsageError('A shift needs both --start and --end (HH:MM).', 'missing_times')
  const values = parseShiftInput(input)
  assertReach({name: shiftName, ...values})
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

const ASSIGNMENT_SELECT = `SELECT a.id, s.name AS shift, r.name AS roster, e.code AS employeeCode, e.name AS employeeName, a.department,
    a.from_date AS "from", a.to_date AS "to"
  FROM shift_assignments a LEFT JOIN shifts s ON s.id = a.shift_id LEFT JOIN rosters r ON r.id = a.roster_id
  LEFT JOIN employees e ON e.id = a.employee_id`

/** Assignments matching a SQL condition on `a` (shift_assignments), oldest first. */
export function assignmentsWhere(store: Store, where: string, params: (string | number)[]): AssignmentView[] {
  return store.sqlite.prepare(`${ASSIGNMENT_SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY a.id`).all(...params) as AssignmentView[]
}

export function shiftAssignmentsOf(store: Store, shiftId?: number): AssignmentView[] {
  return shiftId === undefined ? assignmentsWhere(store, '', []) : assignmentsWhere(store, 'a.shift_id = ?', [shiftId])
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
  assertReach({...row, ...values, ...(newName === undefined ? {} : {name: newName})})
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
  const rosters = rostersUsing(store, row.id)
  if (rosters.length > 0) {
    throw new ConflictError(`Shift "${row.name}" is part of roster ${rosters.map((r) => `"${r}"`).join(', ')}: change or remove the roster first (attend rosters remove NAME).`)
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

/** Names of the rosters whose cycle includes the shift. */
function rostersUsing(store: Store, shiftId: number): string[] {
  const rows = store.sqlite.prepare('SELECT name, cycle FROM rosters ORDER BY name').all() as {name: string; cycle: string}[]
  return rows.filter((r) => (JSON.parse(r.cycle) as (number | null)[]).includes(shiftId)).map((r) => r.name)
}

/** Recomputes everyone after a site rule changed (attend config set default-shift / week-off). */
export function recomputeAfterSiteRuleChange(store: Store, now: number): RecomputeResult | null {
  return recomputeAffected(store, {}, now)
}
