import {eq, sql} from 'drizzle-orm'

import {recomputeAffected} from '../attendance/affected.js'
import {combineRecomputes, type RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../../../db/open.js'
import {rosters, shiftAssignments, shifts} from '../../../db/schema.js'
import {ConflictError, unknownRoster, UsageError} from '../../../errors.js'
import {insertAssignment, resolveTarget} from './assign.js'
import {parseTarget, type AssignResult} from '../../../shifts/view.js'
import type {AssignmentView} from '../../../shifts/view.js'
import {assignmentsWhere} from './shifts.js'
import {validateShiftName} from '../../../shifts/input.js'
import {parseCycle, rosterView, type RosterChange, type RosterRemoval, type RosterView} from '../../../rosters/cycle.js'
import {parseDateRange} from '../../../time/date-input.js'

type RosterRow = typeof rosters.$inferSelect

function shiftNames(store: Store): Map<number, string> {
  return new Map(store.db.select({id: shifts.id, name: shifts.name}).from(shifts).all().map((s) => [s.id, s.name]))
}

function findRoster(store: Store, name: string): RosterRow | undefined {
  return store.db.select().from(rosters).where(sql`${rosters.name} = ${name.trim()} COLLATE NOCASE`).get()
}

function requireRoster(store: Store, name: string): RosterRow {
  const row = findRoster(store, name)
  if (!row) throw unknownRoster(name)
  return row
}

export function addRoster(openStore: () => Store, name: string, input: {cycle?: string}, now: number): RosterView {
  const rosterName = validateShiftName(name, 'roster')
  if (input.cycle === undefined) throw new UsageError('A roster needs --cycle, such as Day,Day,Night,Night,off,off.', 'missing_cycle')
  const store = openStore()
  if (findRoster(store, rosterName)) throw new ConflictError(`A roster named "${rosterName}" already exists: change it with attend rosters update.`)
  const cycle = parseCycle(shiftNames(store), input.cycle)
  const row = store.db.insert(rosters).values({name: rosterName, cycle: JSON.stringify(cycle), createdAt: now, updatedAt: now}).returning().get()
  return rosterView(row, shiftNames(store))
}

export function listRosters(openStore: () => Store): RosterView[] {
  const store = openStore()
  const names = shiftNames(store)
  return store.db.select().from(rosters).orderBy(rosters.name).all().map((row) => rosterView(row, names))
}

export function showRoster(openStore: () => Store, name: string): RosterView & {assignments: AssignmentView[]} {
  const store = openStore()
  const row = requireRoster(store, name)
  return {...rosterView(row, shiftNames(store)), assignments: assignmentsWhere(store, 'a.roster_id = ?', [row.id])}
}

interface RosterAssignment {
  employeeId: number | null
  department: string | null
  fromDate: string
  toDate: string | null
}

function rosterAssignments(store: Store, rosterId: number): RosterAssignment[] {
  return store.sqlite
    .prepare('SELECT employee_id AS employeeId, department, from_date AS fromDate, to_date AS toDate FROM shift_assignments WHERE roster_id = ?')
    .all(rosterId) as RosterAssignment[]
}

/** Recomputes everyone the assignments cover, over their ranges. */
function recomputeAssigned(store: Store, assigned: readonly RosterAssignment[], now: number): RecomputeResult | null {
  return combineRecomputes(
    assigned.map((a) =>
      recomputeAffected(store, {...(a.employeeId !== null ? {employeeIds: [a.employeeId]} : {department: a.department!}), from: a.fromDate, to: a.toDate}, now),
    ),
  )
}

export function updateRoster(openStore: () => Store, name: string, input: {cycle?: string; name?: string}, now: number): RosterChange {
  if (input.cycle === undefined && input.name === undefined) throw new UsageError('Nothing to update: pass --cycle or --name.', 'nothing_to_update')
  const newName = input.name === undefined ? undefined : validateShiftName(input.name, 'roster')
  const store = openStore()
  const row = requireRoster(store, name)
  const cycle = input.cycle === undefined ? undefined : parseCycle(shiftNames(store), input.cycle)
  return store.transaction(() => {
    if (newName !== undefined && newName.toLowerCase() !== row.name.toLowerCase() && findRoster(store, newName)) {
      throw new ConflictError(`A roster named "${newName}" already exists.`)
    }
    const updated = store.db
      .update(rosters)
      .set({...(cycle ? {cycle: JSON.stringify(cycle)} : {}), ...(newName ? {name: newName} : {}), updatedAt: now})
      .where(eq(rosters.id, row.id))
      .returning()
      .get()
    const recomputed = cycle ? recomputeAssigned(store, rosterAssignments(store, row.id), now) : null
    return {roster: rosterView(updated, shiftNames(store)), recomputed}
  })
}

/** Removes a roster and its assignments; the days it planned are recomputed with whatever applies now. */
export function removeRoster(openStore: () => Store, name: string, now: number): RosterRemoval {
  const store = openStore()
  const row = requireRoster(store, name)
  return store.transaction(() => {
    const assigned = rosterAssignments(store, row.id)
    const assignmentsRemoved = store.db.delete(shiftAssignments).where(eq(shiftAssignments.rosterId, row.id)).run().changes
    store.db.delete(rosters).where(eq(rosters.id, row.id)).run()
    return {removed: row.name, assignmentsRemoved, recomputed: recomputeAssigned(store, assigned, now)}
  })
}

/**
 * Assigns a roster from a date: that date is day 1 of its cycle, and the cycle repeats until --to
 * (or for good). Precedence is that of shift assignments (see shiftResolver).
 */
export function assignRoster(
  openStore: () => Store,
  name: string,
  input: {employee?: string; department?: string; from?: string; to?: string},
  now: number,
): AssignResult {
  parseTarget(input)
  if (input.from === undefined) throw new UsageError('A roster needs --from: the date its cycle starts (day 1).', 'missing_dates')
  const range = parseDateRange(input.from, input.to)
  const store = openStore()
  const roster = requireRoster(store, name)
  return insertAssignment(store, {rosterId: roster.id}, resolveTarget(store, input), range, now)
}
