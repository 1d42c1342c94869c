import type {AttendStore} from '../store/port.js'
import {UsageError} from '../errors.js'
import {parseShiftInput, validateShiftName, type ShiftInput} from './input.js'
import {assertReach, type AssignmentView, type ShiftChange, type ShiftRemoval, type ShiftView} from './view.js'

export type {AssignmentView, ShiftChange, ShiftRemoval, ShiftView} from './view.js'

/** `attend shifts add`: the name and times are checked before the store is opened. */
export async function addShift(store: AttendStore, name: string, input: ShiftInput, now: number): Promise<ShiftView> {
  const shiftName = validateShiftName(name)
  if (input.start === undefined || input.end === undefined) throw new UsageError('A shift needs both --start and --end (HH:MM).', 'missing_times')
  assertReach({name: shiftName, ...parseShiftInput(input)})
  return store.schedules.addShift(shiftName, input, now)
}

export function listShifts(store: AttendStore): Promise<ShiftView[]> {
  return store.schedules.listShifts()
}

export function showShift(store: AttendStore, name: string): Promise<ShiftView & {assignments: AssignmentView[]}> {
  return store.schedules.showShift(name)
}

/** Changes a shift; the days that used it are recomputed in the same unit of work. */
export async function updateShift(store: AttendStore, name: string, input: ShiftInput & {name?: string}, now: number): Promise<ShiftChange> {
  const values = parseShiftInput(input)
  if (input.name !== undefined) validateShiftName(input.name)
  if (Object.keys(values).length === 0 && input.name === undefined) throw new UsageError('Nothing to update: pass at least one flag, such as --start or --late-grace.', 'nothing_to_update')
  return store.schedules.updateShift(name, input, now)
}

/**
 * Removes a shift and its assignments; the days that used it are recomputed with whatever shift
 * applies now. The default shift cannot be removed until another (or none) is set.
 */
export function removeShift(store: AttendStore, name: string, now: number): Promise<ShiftRemoval> {
  return store.schedules.removeShift(name, now)
}
