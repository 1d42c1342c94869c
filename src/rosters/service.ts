import {UsageError} from '../errors.js'
import {validateShiftName} from '../shifts/input.js'
import {parseTarget, type AssignInput, type AssignmentView, type AssignResult} from '../shifts/view.js'
import type {AttendStore} from '../store/port.js'
import {parseDateRange} from '../time/date-input.js'
import type {RosterChange, RosterRemoval, RosterView} from './cycle.js'

export type {RosterChange, RosterRemoval, RosterView} from './cycle.js'

/** `attend rosters add`: the name and the presence of a cycle are checked before the store is opened. */
export async function addRoster(store: AttendStore, name: string, input: {cycle?: string}, now: number): Promise<RosterView> {
  const rosterName = validateShiftName(name, 'roster')
  if (input.cycle === undefined) throw new UsageError('A roster needs --cycle, such as Day,Day,Night,Night,off,off.', 'missing_cycle')
  return store.schedules.addRoster(rosterName, input, now)
}

export function listRosters(store: AttendStore): Promise<RosterView[]> {
  return store.schedules.listRosters()
}

export function showRoster(store: AttendStore, name: string): Promise<RosterView & {assignments: AssignmentView[]}> {
  return store.schedules.showRoster(name)
}

/** A new cycle recomputes everyone the roster is assigned to, over their ranges. */
export async function updateRoster(store: AttendStore, name: string, input: {cycle?: string; name?: string}, now: number): Promise<RosterChange> {
  if (input.cycle === undefined && input.name === undefined) throw new UsageError('Nothing to update: pass --cycle or --name.', 'nothing_to_update')
  if (input.name !== undefined) validateShiftName(input.name, 'roster')
  return store.schedules.updateRoster(name, input, now)
}

/** Removes a roster and its assignments; the days it planned are recomputed with whatever applies now. */
export function removeRoster(store: AttendStore, name: string, now: number): Promise<RosterRemoval> {
  return store.schedules.removeRoster(name, now)
}

/**
 * Assigns a roster from a date: that date is day 1 of its cycle, and the cycle repeats until --to
 * (or for good). Precedence is that of shift assignments (see shiftResolver).
 */
export async function assignRoster(store: AttendStore, name: string, input: AssignInput, now: number): Promise<AssignResult> {
  parseTarget(input)
  if (input.from === undefined) throw new UsageError('A roster needs --from: the date its cycle starts (day 1).', 'missing_dates')
  parseDateRange(input.from, input.to)
  return store.schedules.assignRoster(name, input, now)
}
