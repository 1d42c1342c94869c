import type {DayRecord} from '../attendance/engine/index.js'
import type {Device} from '../devices/service.js'
import type {Employee} from '../employees/query.js'
import {v1Id, v1Time} from '../formats/v1-attendance.js'
import {toV1Device, toV1User, type V1Device, type V1User} from '../formats/v1-resources.js'
import type {StoredPunch} from '../punches/types.js'
import type {OutgoingEvent} from './events.js'

/**
 * The `data` of each event: seed 001's resource shapes (`att_`, `usr_`, `dev_` ids, UTC times),
 * plus what attend knows that the seed's example does not (employee code, device serial, source,
 * device-local time). Changes carry `previous_attributes`, the values before, of the fields that
 * changed — so a receiver can tell what happened without keeping its own copy. Pure.
 */

export interface AttendanceCreatedData {
  id: string
  user_id: string | null
  device_id: string | null
  /** check_in | check_out as the device or source said; null when it did not (the day's rules decide). */
  type: 'check_in' | 'check_out' | null
  timestamp: string
  /** When attend stored it. */
  created_at: string
  employee_code: string | null
  device_serial: string
  device_user_id: string
  /** The punch's time on the device's clock, with its UTC offset; null when the offset is unknown. */
  local_time: string | null
  source: string
}

export function attendanceCreated(punch: StoredPunch, receivedAt: number): OutgoingEvent {
  const data: AttendanceCreatedData = {
    id: v1Id.attendance(punch.id),
    user_id: punch.employeeId === null ? null : v1Id.user(punch.employeeId),
    device_id: punch.deviceId === null ? null : v1Id.device(punch.deviceId),
    type: punch.direction === 'in' ? 'check_in' : punch.direction === 'out' ? 'check_out' : null,
    timestamp: v1Time(punch.instant),
    created_at: v1Time(receivedAt),
    employee_code: punch.employeeCode ?? null,
    device_serial: punch.deviceKey,
    device_user_id: punch.deviceUserId,
    local_time: punch.offsetMinutes === null || punch.offsetMinutes === undefined ? null : localTime(punch.instant, punch.offsetMinutes),
    source: punch.source,
  }
  return {type: 'attendance.created', createdAt: receivedAt, data}
}

/** `2026-03-12T08:05:00+03:00`: the instant on a clock `offsetMinutes` east of UTC. */
export function localTime(instant: number, offsetMinutes: number): string {
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 19)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** One day a recompute inserted, changed or removed. */
export interface DayChange {
  employee: {id: number; code: string; name: string}
  date: string
  /** The stored day before; null when the day is new. */
  before: DayRecord | null
  /** The day now; null when it was removed (outside employment). */
  after: DayRecord | null
}

/** A day's figures as an event shows them. */
export interface DayFigures {
  status: string
  shift: string | null
  check_in: string | null
  check_out: string | null
  worked_minutes: number
  late: boolean
  late_minutes: number
  early_departure: boolean
  early_minutes: number
  overtime_minutes: number
  missed_punch: boolean
  punch_count: number
  off_day_minutes: number
  half_off: string | null
  manual: boolean
  note: string | null
}

export interface AttendanceDayData extends DayFigures {
  user_id: string
  employee_code: string
  employee_name: string
  date: string
  /** True when the day no longer exists (outside the employee's employment); the figures are its last. */
  removed: boolean
  /** The changed figures as they were; null when the day is new (or removed). */
  previous_attributes: Partial<DayFigures> | null
}

function figures(record: DayRecord, shiftName: (id: number) => string | null): DayFigures {
  return {
    status: record.status,
    shift: record.shiftId === null ? null : shiftName(record.shiftId),
    check_in: record.firstIn === null ? null : v1Time(record.firstIn),
    check_out: record.lastOut === null ? null : v1Time(record.lastOut),
    worked_minutes: record.workedMinutes,
    late: record.late,
    late_minutes: record.lateMinutes,
    early_departure: record.earlyDeparture,
    early_minutes: record.earlyMinutes,
    overtime_minutes: record.overtimeMinutes,
    missed_punch: record.missedPunch,
    punch_count: record.punchCount,
    off_day_minutes: record.offDayMinutes,
    half_off: record.halfOff,
    manual: record.manual,
    note: record.note,
  }
}

export function attendanceDayUpdated(change: DayChange, shiftName: (id: number) => string | null, now: number): OutgoingEvent {
  const current = change.after ?? change.before!
  const currentFigures = figures(current, shiftName)
  const data: AttendanceDayData = {
    user_id: v1Id.user(change.employee.id),
    employee_code: change.employee.code,
    employee_name: change.employee.name,
    date: change.date,
    ...currentFigures,
    removed: change.after === null,
    previous_attributes: change.before && change.after ? changedFrom(figures(change.before, shiftName), currentFigures) : null,
  }
  return {type: 'attendance_day.updated', createdAt: now, data}
}

/** The fields of `before` whose value differs in `after`, with their old values. */
export function changedFrom<T extends object>(before: T, after: T): Partial<T> {
  const changed: Partial<T> = {}
  for (const key of Object.keys(before) as (keyof T)[]) {
    if (before[key] !== after[key]) changed[key] = before[key]
  }
  return changed
}

export type UserData = V1User & {
  active: boolean
  joined_on: string | null
  left_on: string | null
}

export type UserEventData = UserData & {previous_attributes?: Partial<UserData>}

function userData(employee: Employee): UserData {
  return {...toV1User(employee), active: employee.active, joined_on: employee.joinedOn, left_on: employee.leftOn}
}

export function userCreated(employee: Employee, now: number): OutgoingEvent {
  return {type: 'user.created', createdAt: now, data: userData(employee)}
}

/** null when nothing a receiver sees changed (an update that only touched updated_at). */
export function userUpdated(before: Employee, after: Employee, now: number): OutgoingEvent | null {
  const {updated_at: _before, ...old} = userData(before)
  const {updated_at: _after, ...current} = userData(after)
  const previous = changedFrom(old, current)
  if (Object.keys(previous).length === 0) return null
  const data: UserEventData = {...userData(after), previous_attributes: previous}
  return {type: 'user.updated', createdAt: now, data}
}

export type Presence = 'online' | 'offline'

export type DeviceEventData = V1Device & {
  presence: Presence | null
  last_seen_at: string | null
  /** What changed: the admin status (active/inactive) or the presence (online/offline), as it was. */
  previous_attributes: {status?: string; presence?: Presence | null}
}

/**
 * `device.status_changed`. `at` is when the change happened — for a device going offline, the end
 * of its window (last seen + the offline delay), not the moment attend noticed.
 */
export function deviceStatusChanged(
  device: Device,
  current: {status: string; presence: Presence | null},
  previous: DeviceEventData['previous_attributes'],
  at: number,
): OutgoingEvent {
  const data: DeviceEventData = {
    ...toV1Device({...device, status: current.status as Device['status']}),
    presence: current.presence,
    last_seen_at: device.lastSeenAt === null ? null : v1Time(device.lastSeenAt),
    previous_attributes: previous,
  }
  return {type: 'device.status_changed', createdAt: at, data}
}
