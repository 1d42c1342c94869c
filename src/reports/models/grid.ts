import type {HalfOff} from '../../attendance/engine/types.js'
import {datesBetween, weekdayNumber} from '../../time/calendar.js'
import type {DayCode, DayRecord, ReportCalendar, ReportEmployee} from '../types.js'

/** One employee's days over the report range, and the sums the reports share. */
export interface GridRow {
  employee: ReportEmployee
  codes: DayCode[]
  /** Present or half days on which the check-in was late. */
  lateDays: number
  earlyDepartureDays: number
  workedMinutes: number
  overtimeMinutes: number
  /** Worked and overtime minutes per date, aligned with `codes`. */
  worked: number[]
  overtime: number[]
  /** Minutes worked on a day off (holiday, weekly off, leave) per date: never overtime. */
  offDay: number[]
  /** Half of the day off, per date (half-day leave or holiday). */
  halfOff: (HalfOff | null)[]
  /** Marks after each code: ½ half the day off, + worked on a day off, * set by hand. */
  marks: string[]
  /** Work on a day off per date: on a holiday or weekly off, or on leave. */
  offDayWork: ('holiday' | 'leave' | null)[]
  /** Days worked on a holiday or weekly off, on leave, and days set by hand. */
  holidayWorkDays: number
  leaveWorkDays: number
  manualDays: number
}

export interface Grid {
  dates: string[]
  rows: GridRow[]
}

/** Whether the employee is on the roll on `date` (between joined_on and left_on, both included). */
export function onRoll(employee: ReportEmployee, date: string): boolean {
  if (employee.joinedOn && date < employee.joinedOn) return false
  if (employee.leftOn && date > employee.leftOn) return false
  return true
}

/** Whether the employee is on the roll on any day of the range. */
export function onRollDuring(employee: ReportEmployee, from: string, to: string): boolean {
  return !(employee.joinedOn && employee.joinedOn > to) && !(employee.leftOn && employee.leftOn < from)
}

/**
 * What a day's code alone does not say, as marks after it (`P½`, `WO+`, `LV*`): `½` half of the day
 * off (half-day leave or a half holiday), `+` worked on a day off, `*` set by hand.
 */
export function markOf(day: Pick<DayRecord, 'halfOff' | 'workedOnHoliday' | 'workedOnLeave' | 'manual'>): string {
  return `${day.halfOff ? '½' : ''}${day.workedOnHoliday || day.workedOnLeave ? '+' : ''}${day.manual ? '*' : ''}`
}

export const dayMarks: readonly {code: string; meaning: string}[] = [
  {code: '½', meaning: 'half the day off (half-day leave, or a half holiday)'},
  {code: '+', meaning: 'worked on a day off'},
  {code: '*', meaning: 'set by hand'},
]

export function codeOf(day: Pick<DayRecord, 'status' | 'late'>): DayCode {
  switch (day.status) {
    case 'present':
      return day.late ? 'L' : 'P'
    case 'half_day':
      return 'HD'
    case 'absent':
      return 'A'
    case 'holiday':
      return 'H'
    case 'weekly_off':
      return 'WO'
    case 'leave':
      return 'LV'
    case 'pending':
      return '-'
  }
}

/**
 * What a date is when the engine has not written a row for it: holidays and weekly offs are known
 * from the calendar; a working day without a row is pending (not computed yet), never absent.
 */
export function calendarCode(date: string, calendar: ReportCalendar): DayCode {
  if (calendar.holidays.has(date)) return 'H'
  if (calendar.weekOff.includes(weekdayNumber(date))) return 'WO'
  return '-'
}

/**
 * Lays attendance rows out as an employee × date grid. attendance_days is the source of truth;
 * the calendar only fills dates without a row. Rows outside the employee's employment are ignored.
 */
export function buildGrid(employees: readonly ReportEmployee[], days: Iterable<DayRecord>, calendar: ReportCalendar): Grid {
  const dates = datesBetween(calendar.from, calendar.to)
  const index = new Map(dates.map((date, i) => [date, i]))
  const rows = employees.map<GridRow>((employee) => ({
    employee,
    codes: Array.from<DayCode | undefined>({length: dates.length}) as DayCode[],
    lateDays: 0,
    earlyDepartureDays: 0,
    workedMinutes: 0,
    overtimeMinutes: 0,
    worked: new Array<number>(dates.length).fill(0),
    overtime: new Array<number>(dates.length).fill(0),
    offDay: new Array<number>(dates.length).fill(0),
    halfOff: new Array<HalfOff | null>(dates.length).fill(null),
    marks: new Array<string>(dates.length).fill(''),
    offDayWork: new Array<'holiday' | 'leave' | null>(dates.length).fill(null),
    holidayWorkDays: 0,
    leaveWorkDays: 0,
    manualDays: 0,
  }))
  const byId = new Map(rows.map((row) => [row.employee.id, row]))

  for (const day of days) {
    const row = byId.get(day.employeeId)
    const i = index.get(day.date)
    if (!row || i === undefined || !onRoll(row.employee, day.date)) continue
    row.codes[i] = codeOf(day)
    const worked = day.status === 'present' || day.status === 'half_day'
    if (worked && day.late) row.lateDays++
    if (worked && day.earlyDeparture) row.earlyDepartureDays++
    row.workedMinutes += day.workedMinutes
    row.overtimeMinutes += day.overtimeMinutes
    row.worked[i] = day.workedMinutes
    row.overtime[i] = day.overtimeMinutes
    row.offDay[i] = day.offDayMinutes
    row.halfOff[i] = day.halfOff
    row.marks[i] = markOf(day)
    row.offDayWork[i] = day.workedOnHoliday ? 'holiday' : day.workedOnLeave ? 'leave' : null
    if (day.workedOnHoliday) row.holidayWorkDays++
    if (day.workedOnLeave) row.leaveWorkDays++
    if (day.manual) row.manualDays++
  }

  for (const row of rows) {
    for (let i = 0; i < dates.length; i++) {
      if (row.codes[i] !== undefined) continue
      row.codes[i] = onRoll(row.employee, dates[i]) ? calendarCode(dates[i], calendar) : ''
    }
  }
  return {dates, rows}
}

export interface CodeCounts {
  /** Full present days (P and L) plus half a day for each half day. */
  present: number
  /** Absent days plus the other half of each half day. */
  absent: number
  late: number
  halfDays: number
  /** Leave days, half a day for each half-day leave. */
  leave: number
  holidays: number
  weeklyOffs: number
  pending: number
  /** Days with half of them off (half-day leave or a half holiday). */
  halfOffDays: number
}

/**
 * Half days count 0.5 present and 0.5 absent, so present + absent = the days the person was due.
 * A day with half of it off (`halfOff`, aligned with `codes`) was due for half a day: its code
 * counts half, and the other half counts as leave or holiday.
 */
export function countCodes(codes: readonly DayCode[], halfOff: readonly (HalfOff | null)[] = []): CodeCounts {
  const counts: CodeCounts = {present: 0, absent: 0, late: 0, halfDays: 0, leave: 0, holidays: 0, weeklyOffs: 0, pending: 0, halfOffDays: 0}
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]
    const half = halfOff[i]
    const share = half ? 0.5 : 1
    if (half) {
      counts.halfOffDays++
      if (half.startsWith('leave')) counts.leave += 0.5
      else counts.holidays += 0.5
    }
    switch (code) {
      case 'P':
        counts.present += share
        break
      case 'L':
        counts.present += share
        counts.late++
        break
      case 'HD':
        counts.present += share / 2
        counts.absent += share / 2
        counts.halfDays++
        break
      case 'A':
        counts.absent += share
        break
      case 'LV':
        counts.leave++
        break
      case 'H':
        counts.holidays++
        break
      case 'WO':
        counts.weeklyOffs++
        break
      case '-':
        counts.pending++
        break
      case '':
        break
    }
  }
  return counts
}

/** Two decimals, rounding halves up (95.4545… → 95.45). */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100
}

/** Departments in print order: by name, employees without one last. */
export function compareDepartments(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a.localeCompare(b, 'en', {sensitivity: 'base'}) || a.localeCompare(b)
}

export function compareEmployees(a: ReportEmployee, b: ReportEmployee): number {
  return compareDepartments(a.department, b.department) || a.code.localeCompare(b.code, 'en', {numeric: true})
}
