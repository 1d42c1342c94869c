import {createHash} from 'node:crypto'

import {dayCount, datesBetween} from '../../time/calendar.js'
import {isoInstant} from '../dates.js'
import type {DayRecord, ReportCalendar, ReportEmployee} from '../types.js'
import {buildGrid, calendarCode, compareEmployees, countCodes, round2} from './grid.js'

/**
 * The `/v1/reports/attendance` data object (docs/architecture.md, "Reports"): every key of the v1
 * shape, and after them what the engine also knows about each person's period (days with half of
 * them off, work on days off and on leave, days set by hand), so an integration sees what the CSV
 * and the PDF show.
 */
export interface SummaryReport {
  report_id: string
  start_date: string
  end_date: string
  department: string | null
  generated_at: string
  summary: {
    total_users: number
    total_days: number
    working_days: number
    /** Mean of the users' percentages; null when nobody had a working day yet. */
    average_attendance: number | null
  }
  users: SummaryUser[]
}

export interface SummaryUser {
  /** `usr_<employee id>`, the id GET /v1/users gives the same person. */
  id: string
  name: string
  department: string | null
  attendance: {
    present_days: number
    absent_days: number
    late_days: number
    early_departure_days: number
    /** present / (present + absent); null when the user had no working day in the range. */
    attendance_percentage: number | null
  } & SummaryRoundTwo
}

/** The per-person figures beyond the v1 keys, as the CSV names its columns. */
export interface SummaryRoundTwo {
  /** present + absent: the person's own working days. */
  working_days: number
  leave_days: number
  /** Days not computed yet, or today before the shift ends: neither present nor absent. */
  pending_days: number
  /** Days with half of them off (half-day leave or a half holiday). */
  half_off_days: number
  /** Days worked on a holiday or weekly off, and on leave; the hours worked on them (never overtime). */
  worked_on_holiday_days: number
  worked_on_leave_days: number
  off_day_hours: number
  /** Days set by hand (attend attendance set). */
  manual_days: number
}

/** What the table, CSV and PDF show that the JSON has no key for. */
export interface SummaryDetail {
  code: string
}

export interface SummaryInput {
  employees: readonly ReportEmployee[]
  days: Iterable<DayRecord>
  calendar: ReportCalendar
  department: string | null
  employeeCode: string | null
  generatedAt: number
}

export interface SummaryResult {
  report: SummaryReport
  details: SummaryDetail[]
}

/** The v1 API's user id for an employee (`usr_…`), as src/server/routes/v1.ts writes it. */
export function v1UserId(employeeId: number): string {
  return `usr_${employeeId}`
}

/**
 * The same parameters always give the same id, so a cron job's report and the HTTP one for the
 * same period and filters can be matched up.
 */
export function reportId(kind: string, params: Record<string, string | null>): string {
  const hash = createHash('sha256').update(JSON.stringify([kind, params])).digest('hex')
  return `rep_${hash.slice(0, 12)}`
}

/**
 * The attendance summary. Counting rules:
 * - working_days (report) = days of the range that are neither a site weekly off nor a holiday;
 * - per user, present counts P and L days plus 0.5 per half day; absent counts A days plus the
 *   other 0.5; leave, holidays, weekly offs, pending days (not computed yet, or today before the
 *   shift ends) and days off the roll (before joined_on, after left_on) are neither, so they
 *   shrink the user's own working days = present + absent;
 * - attendance_percentage = present / working × 100, two decimals; average over users who had
 *   working days.
 */
export function buildSummary(input: SummaryInput): SummaryResult {
  const {calendar} = input
  const employees = [...input.employees].sort(compareEmployees)
  const grid = buildGrid(employees, input.days, calendar)
  const workingDays = datesBetween(calendar.from, calendar.to).filter((date) => calendarCode(date, calendar) === '-').length

  const users: SummaryUser[] = []
  const details: SummaryDetail[] = []
  const percentages: number[] = []
  for (const row of grid.rows) {
    const counts = countCodes(row.codes, row.halfOff)
    const working = counts.present + counts.absent
    const percentage = working > 0 ? (counts.present / working) * 100 : null
    if (percentage !== null) percentages.push(percentage)
    users.push({
      id: v1UserId(row.employee.id),
      name: row.employee.name,
      department: row.employee.department,
      attendance: {
        present_days: counts.present,
        absent_days: counts.absent,
        late_days: row.lateDays,
        early_departure_days: row.earlyDepartureDays,
        attendance_percentage: percentage === null ? null : round2(percentage),
        working_days: working,
        leave_days: counts.leave,
        pending_days: counts.pending,
        half_off_days: counts.halfOffDays,
        worked_on_holiday_days: row.holidayWorkDays,
        worked_on_leave_days: row.leaveWorkDays,
        off_day_hours: round2(row.offDay.reduce((a, b) => a + b, 0) / 60),
        manual_days: row.manualDays,
      },
    })
    details.push({code: row.employee.code})
  }

  const average = percentages.length > 0 ? round2(percentages.reduce((a, b) => a + b, 0) / percentages.length) : null
  return {
    report: {
      report_id: reportId('summary', {
        start_date: calendar.from,
        end_date: calendar.to,
        department: input.department,
        employee: input.employeeCode,
      }),
      start_date: calendar.from,
      end_date: calendar.to,
      department: input.department,
      generated_at: isoInstant(input.generatedAt),
      summary: {
        total_users: users.length,
        total_days: dayCount(calendar.from, calendar.to),
        working_days: workingDays,
        average_attendance: average,
      },
      users,
    },
    details,
  }
}
