import type {AttendanceStatus} from '../db/schema.js'
import type {HalfOff} from './engine/types.js'
import {attendanceStatuses} from '../db/schema.js'
import type {Store} from '../db/open.js'
import {requireDepartment, requireEmployee} from '../store/sqlite/directory/employees.js'
import {UsageError} from '../errors.js'
import {readSettings} from '../settings/settings.js'
import {LocalClock} from '../time/local-clock.js'
import {refreshStaleDays} from './recompute.js'
import {parseDateRange} from '../time/date-input.js'
import {pageRequest, sqlPage, type Page} from '../listing/page.js'

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

interface Row {
  date: string
  code: string
  name: string
  department: string | null
  status: AttendanceStatus
  shift: string | null
  firstIn: number | null
  lastOut: number | null
  worked: number
  late: number
  early: number
  overtime: number
  isLate: number
  isEarly: number
  missed: number
  punchCount: number
  offDay: number
  onHoliday: number
  onLeave: number
  halfOff: HalfOff | null
  manual: number
  note: string | null
}

/**
 * The records of a range, with its missing and pending days computed first (see refreshStaleDays).
 */
export function listAttendance(openStore: () => Store, filter: AttendanceFilter, now: number): AttendanceListing {
  if (filter.from === undefined || filter.to === undefined) throw new UsageError('attendance list needs --from and --to (YYYY-MM-DD).', 'missing_dates')
  const range = parseDateRange(filter.from, filter.to) as {from: string; to: string}
  if (filter.employee !== undefined && filter.department !== undefined) throw new UsageError('Pass --employee or --department, not both.', 'invalid_target')
  const status = filter.status === undefined ? undefined : parseStatus(filter.status)
  const page = pageRequest(filter)
  const store = openStore()
  const timezone = readSettings(store).timezone
  const clock = LocalClock.for(timezone)
  const where = ['a.date >= ?', 'a.date <= ?']
  const params: (string | number)[] = [range.from, range.to]
  let employeeId: number | undefined
  if (filter.employee !== undefined) {
    employeeId = requireEmployee(store, filter.employee).id
    where.push('a.employee_id = ?')
    params.push(employeeId)
  }
  let department: string | undefined
  if (filter.department !== undefined) {
    department = requireDepartment(store, filter.department)
    where.push('e.department = ?')
    params.push(department)
  }
  refreshStaleDays(store, {from: range.from, to: range.to, employeeIds: employeeId === undefined ? undefined : [employeeId], department}, now)
  if (status) {
    where.push('a.status = ?')
    params.push(status)
  }
  if (filter.manual) where.push('a.manual = 1')
  const from = 'FROM attendance_days a JOIN employees e ON e.id = a.employee_id LEFT JOIN shifts s ON s.id = a.shift_id'
  const {total} = store.sqlite.prepare(`SELECT count(*) AS total ${from} WHERE ${where.join(' AND ')}`).get(...params) as {total: number}
  const limit = sqlPage(page)
  const rows = store.sqlite
    .prepare(
      `SELECT a.date, e.code, e.name, e.department, a.status, s.name AS shift, a.first_in AS firstIn, a.last_out AS lastOut,
         a.worked_minutes AS worked, a.late_minutes AS late, a.early_minutes AS early, a.overtime_minutes AS overtime,
         a.late AS isLate, a.early_departure AS isEarly, a.missed_punch AS missed, a.punch_count AS punchCount,
         a.off_day_minutes AS offDay, a.worked_on_holiday AS onHoliday, a.worked_on_leave AS onLeave, a.half_off AS halfOff,
         a.manual, a.note
       ${from} WHERE ${where.join(' AND ')} ORDER BY a.date, e.code ${limit.clause}`,
    )
    .all(...params, ...limit.params) as Row[]
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
      manual: row.manual === 1,
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
