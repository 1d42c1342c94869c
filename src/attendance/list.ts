import type {AttendanceStatus} from './statuses.js'
import type {HalfOff} from './engine/types.js'
import {attendanceStatuses} from './statuses.js'
import {UsageError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {LocalClock} from '../time/local-clock.js'
import {parseDateRange} from '../time/date-input.js'
import {pageRequest, type Page} from '../listing/page.js'

export interface AttendanceFilter {
  from?: string
  to?: string
  employee?: string
  department?: string
  status?: string
  /** Only the days an admin set by hand. */
  manual?: boolean
  limit?: number
  offset?: number
}

export interface AttendanceRow {
  date: string
  employeeCode: string
  employeeName: string
  department: string | null
  status: AttendanceStatus
  shift: string | null
  /** Local wall-clock `HH:MM`, with the date in front when it is not the attendance date. */
  checkIn: string | null
  checkOut: string | null
  /** The same instants as ISO 8601 UTC, for machines. */
  checkInAt: string | null
  checkOutAt: string | null
  workedMinutes: number
  lateMinutes: number
  earlyMinutes: number
  overtimeMinutes: number
  /** Minutes worked on a holiday, weekly off or leave day (never overtime). */
  offDayMinutes: number
  /** Half of the day off (half-day leave or holiday), else null. */
  halfOff: HalfOff | null
  /** late, early_departure, missed_punch, worked_on_holiday, worked_on_leave, manual. */
  flags: string[]
  punchCount: number
  /** Set by an admin with attend attendance set; `note` is theirs. */
  manual: boolean
  note: string | null
}

export interface AttendanceListing extends Page {
  from: string
  to: string
  timezone: string
  rows: AttendanceRow[]
}

/**
 * The records of a range, with its missing and pending days computed first (see refreshStaleDays).
 */
export async function listAttendance(store: AttendStore, filter: AttendanceFilter, now: number): Promise<AttendanceListing> {
  if (filter.from === undefined || filter.to === undefined) throw new UsageError('attendance list needs --from and --to (YYYY-MM-DD).', 'missing_dates')
  const range = parseDateRange(filter.from, filter.to) as {from: string; to: string}
  if (filter.employee !== undefined && filter.department !== undefined) throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  const status = filter.status === undefined ? undefined : parseStatus(filter.status)
  const page = pageRequest(filter)
  const target = await store.attendance.target({employee: filter.employee, department: filter.department})
  const timezone = target.timezone
  const clock = LocalClock.for(timezone)
  const {total, rows} = await store.attendance.list({from: range.from, to: range.to, employeeId: target.employee?.id, department: target.department, status, manual: filter.manual, ...page}, now)
  return {
    total,
    ...page,
    from: range.from,
    to: range.to,
    timezone,
    rows: rows.map((row) => ({
      date: row.date,
      employeeCode: row.code,
      employeeName: row.name,
      department: row.department,
      status: row.status,
      shift: row.shift,
      checkIn: localTime(clock, row.firstIn, row.date),
      checkOut: localTime(clock, row.lastOut, row.date),
      checkInAt: row.firstIn === null ? null : new Date(row.firstIn).toISOString(),
      checkOutAt: row.lastOut === null ? null : new Date(row.lastOut).toISOString(),
      workedMinutes: row.worked,
      lateMinutes: row.late,
      earlyMinutes: row.early,
      overtimeMinutes: row.overtime,
      offDayMinutes: row.offDay,
      halfOff: row.halfOff,
      flags: [
        row.isLate ? 'late' : '',
        row.isEarly ? 'early_departure' : '',
        row.missed ? 'missed_punch' : '',
        row.onHoliday ? 'worked_on_holiday' : '',
        row.onLeave ? 'worked_on_leave' : '',
        row.manual ? 'manual' : '',
      ].filter(Boolean),
      punchCount: row.punchCount,
      manual: row.manual,
      note: row.note,
    })),
  }
}

function parseStatus(text: string): AttendanceStatus {
  const status = text.trim().toLowerCase().replace('-', '_')
  if (!(attendanceStatuses as readonly string[]).includes(status)) {
    throw new UsageError(`Invalid --status "${text}": expected one of ${attendanceStatuses.join(', ')}.`, 'invalid_status')
  }
  return status as AttendanceStatus
}

function localTime(clock: LocalClock, instant: number | null, date: string): string | null {
  if (instant === null) return null
  const local = new Date(instant + clock.offsetMinutes(instant) * 60_000).toISOString()
  const day = local.slice(0, 10)
  return day === date ? local.slice(11, 16) : `${day} ${local.slice(11, 16)}`
}

/** `present`, or `present (leave first half)` when half of the day is off. */
export function describeStatus(row: Pick<AttendanceRow, 'status' | 'halfOff'>): string {
  if (!row.halfOff) return row.status
  const [reason, half] = row.halfOff.split('_')
  return `${row.status} (${reason} ${half} half)`
}

/** `510` → `8:30`. */
export function formatMinutes(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`
}
