import {eq, sql} from 'drizzle-orm'

import {recomputeAffected} from '../attendance/affected.js'
import {combineRecomputes, type RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {rosters, shiftAssignments, shifts} from '../db/schema.js'
import {ConflictError, NotFoundError, unknownRoster, UsageError} from '../errors.js'
import {insertAssignment, parseTarget, resolveTarget, type AssignResult} from '../shifts/assign.js'
import {assignmentsWhere, type AssignmentView} from '../shifts/service.js'
import {validateShiftName} from '../shifts/input.js'
import {parseDateRange} from '../time/date-input.js'

/** The longest cycle: a year of days is more than any roster a site runs. */
const MAX_CYCLE_DAYS = 366

export interface RosterView {
  id: number
  name: string
  /** One entry per day of the cycle: a shift name, or `off`. */
  cycle: string[]
  days: number
}

export interface RosterChange {
  roster: RosterView
  recomputed: RecomputeResult | null
}

type RosterRow = typeof rosters.$inferSelect

function shiftNames(store: Store): Map<number, string> {
  return new Map(store.db.select({id: shifts.id, name: shifts.name}).from(shifts).all().map((s) => [s.id, s.name]))
}

function rosterView(row: RosterRow, names: ReadonlyMap<number, string>): RosterView {
  const cycle = (JSON.parse(row.cycle) as (number | null)[]).map((id) => (id === null ? 'off' : (names.get(id) ?? `#${id}`)))
  return {id: row.id, name: row.name, cycle, days: cycle.length}
}

/**
 * `Day,Day,Night,Night,off,off` → shift ids and nulls, naming the first unknown shift. A cycle
 * needs at least one shift: a roster of rest days only is no schedule.
 */
function parseCycle(store: Store, text: string): (number | null)[] {
  const entries = text.split(',').map((e) => e.trim())
  if (entries.some((e) => e === '')) throw new UsageError(`Invalid --cycle "${text}": expected shift names or off separated by commas, such as Day,Day,Night,Night,off,off.`, 'invalid_cycle')
  if (entries.length > MAX_CYCLE_DAYS) throw new UsageError(`--cycle has ${entries.length} days: a roster cycle lasts at most ${MAX_CYCLE_DAYS} days.`, 'invalid_cycle')
  const byName = new Map([...shiftNames(store)].map(([id, name]) => [name.toLowerCase(), id]))
  const cycle = entries.map((entry, i) => {
    if (entry.toLowerCase() === 'off') return null
    const id = byName.get(entry.toLowerCase())
    if (id === undefined) throw new NotFoundError(`Unknown shift "${entry}" on day ${i + 1} of --cycle: see attend shifts list (or write off for a rest day).`)
    return id
  })
  if (cycle.every((id) => id === null)) throw new UsageError('--cycle has only days off: a roster needs at least one shift.', 'invalid_cycle')
  return cycle
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
  const cycle = parseCycle(store, input.cycle)
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
  const cycle = input.cycle === undefined ? undefined : parseCycle(store, input.cycle)
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

export interface RosterRemoval {
  removed: string
  assignmentsRemoved: number
  recomputed: RecomputeResult | null
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
