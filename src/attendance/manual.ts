import {type AttendStore} from '../store/port.js'
import {NotFoundError, UsageError} from '../errors.js'
import {formatClock, parseClock} from '../shifts/parse.js'
import type {ManualStatus} from './engine/types.js'
import {listAttendance, type AttendanceRow} from './list.js'
import type {RecomputeResult} from './recompute-result.js'
import {parseDate} from '../time/date-input.js'

export const manualStatuses: readonly ManualStatus[] = ['present', 'absent', 'half_day', 'leave', 'holiday', 'weekly_off']
/** Statuses with worked time, the only ones that take --in/--out. */
const TIMED: readonly ManualStatus[] = ['present', 'half_day']
const MAX_NOTE = 500

export interface ManualInput {
  status?: string
  in?: string
  out?: string
  note?: string
}

export interface ManualDayView {
  employeeCode: string
  date: string
  status: ManualStatus
  checkIn: string | null
  checkOut: string | null
  note: string | null
}

export interface ManualChange {
  manual: ManualDayView
  /** The attendance day as now stored; null for a date after today (computed once it comes). */
  day: AttendanceRow | null
  recomputed: RecomputeResult | null
}

function parseStatus(text: string): ManualStatus {
  const status = text.trim().toLowerCase().replace('-', '_') as ManualStatus
  if (!manualStatuses.includes(status)) {
    throw new UsageError(`Invalid --status "${text}": expected one of ${manualStatuses.join(', ')}.`, 'invalid_status')
  }
  return status
}

/** Validates everything before a store is opened: status, times (both or neither, only for worked days), note. */
function parseManual(input: ManualInput): Omit<ManualDayView, 'employeeCode' | 'date'> {
  if (input.status === undefined) throw new UsageError(`attendance set needs --status: one of ${manualStatuses.join(', ')}.`, 'missing_status')
  const status = parseStatus(input.status)
  if ((input.in === undefined) !== (input.out === undefined)) {
    throw new UsageError('Give both --in and --out (HH:MM), or neither: a manual day is a decision, not a missing punch.', 'missing_times')
  }
  if (input.in !== undefined && !TIMED.includes(status)) {
    throw new UsageError(`--in and --out go with --status present or half_day, not ${status}.`, 'invalid_times')
  }
  const checkIn = input.in === undefined ? null : formatClock(parseClock(input.in, '--in'))
  const checkOut = input.out === undefined ? null : formatClock(parseClock(input.out, '--out'))
  if (checkIn !== null && checkIn === checkOut) throw new UsageError(`--in and --out are both ${checkIn}: a check-out at or before the check-in means the next day, so it would be 24 hours.`, 'invalid_times')
  const note = input.note?.trim() || null
  if (note && note.length > MAX_NOTE) throw new UsageError(`--note is ${note.length} characters long: at most ${MAX_NOTE}.`, 'invalid_note')
  return {status, checkIn, checkOut, note}
}

async function dayOf(store: AttendStore, code: string, date: string, now: number): Promise<AttendanceRow | null> {
  return (await listAttendance(store, {from: date, to: date, employee: code}, now)).rows[0] ?? null
}

/**
 * `attend attendance set`: records an admin's decision for one employee and date and recomputes
 * that day, which then shows the given status and times whatever the punches say — every later
 * recompute keeps it (docs/architecture.md, "Manual days") until `attendance unset`.
 */
export async function setManualDay(store: AttendStore, code: string, date: string, input: ManualInput, now: number): Promise<ManualChange> {
  const day = parseDate(date, 'date')
  const manual = parseManual(input)
  const {employee} = await store.attendance.target({employee: code})
  if (!employee) throw new Error('target() resolves the employee it is given.')
  if (employee.joinedOn && day < employee.joinedOn) throw new UsageError(`${employee.code} joined on ${employee.joinedOn}, after ${day}: there is no attendance day to set.`, 'not_employed')
  if (employee.leftOn && day > employee.leftOn) throw new UsageError(`${employee.code} left on ${employee.leftOn}, before ${day}: there is no attendance day to set.`, 'not_employed')
  const recomputed = await store.attendance.setManual({employeeId: employee.id, date: day, ...manual}, now)
  return {manual: {employeeCode: employee.code, date: day, ...manual}, day: await dayOf(store, employee.code, day, now), recomputed}
}

export interface ManualRemoval {
  removed: ManualDayView
  /** The day as the engine now computes it from the punches. */
  day: AttendanceRow | null
  recomputed: RecomputeResult | null
}

/** `attend attendance unset`: forgets the admin's decision; the day is computed from the punches again. */
export async function unsetManualDay(store: AttendStore, code: string, date: string, now: number): Promise<ManualRemoval> {
  const day = parseDate(date, 'date')
  const {employee} = await store.attendance.target({employee: code})
  if (!employee) throw new Error('target() resolves the employee it is given.')
  const unset = await store.attendance.unsetManual(employee.id, day, now)
  if (!unset) throw new NotFoundError(`${employee.code} has no manual day on ${day}: see attend attendance list --manual.`)
  const {date: _date, ...manual} = unset.removed
  return {removed: {employeeCode: employee.code, date: day, ...manual}, day: await dayOf(store, employee.code, day, now), recomputed: unset.recomputed}
}
