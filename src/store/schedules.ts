import type {RosterChange, RosterRemoval, RosterView} from '../rosters/cycle.js'
import type {ShiftInput} from '../shifts/input.js'
import type {AssignInput, AssignmentEnd, AssignmentFilter, AssignmentListing, AssignmentView, AssignResult, ShiftChange, ShiftRemoval, ShiftView} from '../shifts/view.js'

/**
 * Shifts, rosters and who works them: a section of the store port (docs/architecture.md, "The
 * store port"). Every operation is one unit of work, committed when its promise resolves; a change
 * that moves anyone's schedule recomputes the attendance days it touches in the same unit, so a
 * stored day never disagrees with the schedule that was committed with it. Inputs are what the
 * commands take (names, codes, `YYYY-MM-DD` dates); refusals are attend's own errors.
 */
export interface SchedulesSection {
  listShifts(): Promise<ShiftView[]>
  showShift(name: string): Promise<ShiftView & {assignments: AssignmentView[]}>
  addShift(name: string, input: ShiftInput, now: number): Promise<ShiftView>
  updateShift(name: string, input: ShiftInput & {name?: string}, now: number): Promise<ShiftChange>
  /** Removes a shift and its assignments (not the default shift, nor one a roster uses). */
  removeShift(name: string, now: number): Promise<ShiftRemoval>

  /** Assignments, oldest first; for one employee, their own and their department's. */
  listAssignments(filter: AssignmentFilter): Promise<AssignmentListing[]>
  assignShift(name: string, input: AssignInput, now: number): Promise<AssignResult>
  /** Ends an assignment on a date (default the site's today), or deletes it. */
  endAssignment(id: string, options: {to?: string; remove?: boolean}, now: number): Promise<AssignmentEnd>

  listRosters(): Promise<RosterView[]>
  showRoster(name: string): Promise<RosterView & {assignments: AssignmentView[]}>
  addRoster(name: string, input: {cycle?: string}, now: number): Promise<RosterView>
  updateRoster(name: string, input: {cycle?: string; name?: string}, now: number): Promise<RosterChange>
  removeRoster(name: string, now: number): Promise<RosterRemoval>
  assignRoster(name: string, input: AssignInput, now: number): Promise<AssignResult>
}
