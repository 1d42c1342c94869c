import type {HalfOff} from '../../attendance/engine/types.js'
import {isoInstant, shortWeekday} from '../dates.js'
import type {DayCode, DayRecord, ReportCalendar, ReportEmployee} from '../types.js'
import {buildGrid, calendarCode, compareDepartments, compareEmployees, countCodes, dayMarks, round2} from './grid.js'

export const registerLegend: readonly {code: string; meaning: string}[] = [
  {code: 'P', meaning: 'present'},
  {code: 'L', meaning: 'present, late'},
  {code: 'HD', meaning: 'half day'},
  {code: 'A', meaning: 'absent'},
  {code: 'H', meaning: 'holiday'},
  {code: 'WO', meaning: 'weekly off'},
  {code: 'LV', meaning: 'leave'},
  {code: '-', meaning: 'pending / not yet'},
  {code: '(blank)', meaning: 'not on the roll'},
  ...dayMarks,
]

export interface RegisterTotals {
  /** P + L days plus 0.5 per half day. */
  present: number
  /** A days plus 0.5 per half day. */
  absent: number
  late: number
  halfDays: number
  leave: number
  workedHours: number
  overtimeHours: number
  /** Days with half of them off (half-day leave or a half holiday). */
  halfOffDays: number
  /** Days worked on a holiday or weekly off, and on leave. */
  holidayWorkDays: number
  leaveWorkDays: number
  /** Hours worked on those days off: their own column, never overtime. */
  offDayHours: number
  /** Days set by hand (attend attendance set). */
  manualDays: number
}

export interface RegisterRow {
  code: string
  name: string
  department: string | null
  days: DayCode[]
  /** Marks after each day's code (½ half off, + worked on a day off, * set by hand), aligned with `days`. */
  marks: string[]
  /** Worked and overtime minutes per date, aligned with `days`. */
  worked_minutes: number[]
  overtime_minutes: number[]
  /** Minutes worked on a day off, per date. */
  off_day_minutes: number[]
  /** Work on a day off per date: on a holiday or weekly off, or on leave. */
  off_day_work: ('holiday' | 'leave' | null)[]
  half_off: (HalfOff | null)[]
  totals: RegisterTotals
}

/** A row's totals over its days [start, end): the whole period, or one month's page of it. */
export function rowTotals(row: Omit<RegisterRow, 'totals'>, start = 0, end = row.days.length): RegisterTotals {
  const counts = countCodes(row.days.slice(start, end), row.half_off.slice(start, end))
  const sum = (values: readonly number[]) => values.slice(start, end).reduce((a, b) => a + b, 0)
  const work = row.off_day_work.slice(start, end)
  return {
    present: counts.present,
    absent: counts.absent,
    late: counts.late,
    halfDays: counts.halfDays,
    leave: counts.leave,
    workedHours: round2(sum(row.worked_minutes) / 60),
    overtimeHours: round2(sum(row.overtime_minutes) / 60),
    halfOffDays: counts.halfOffDays,
    holidayWorkDays: work.filter((w) => w === 'holiday').length,
    leaveWorkDays: work.filter((w) => w === 'leave').length,
    offDayHours: round2(sum(row.off_day_minutes) / 60),
    manualDays: row.marks.slice(start, end).filter((m) => m.includes('*')).length,
  }
}

export interface RegisterGroup {
  department: string | null
  rows: RegisterRow[]
  totals: RegisterTotals
}

export interface RegisterDate {
  date: string
  day: number
  weekday: string
  /** What the site calendar says: H, WO, or '-' for a working day. */
  calendar: 'H' | 'WO' | '-'
  holiday: string | null
  /** A half-day holiday (a working day with that half off): `Christmas Eve (second half off)`. */
  half_holiday: string | null
}

export interface RegisterReport {
  kind: 'register'
  start_date: string
  end_date: string
  department: string | null
  employee: string | null
  generated_at: string
  dates: RegisterDate[]
  groups: RegisterGroup[]
  totals: RegisterTotals
  legend: readonly {code: string; meaning: string}[]
}

export interface RegisterInput {
  employees: readonly ReportEmployee[]
  days: Iterable<DayRecord>
  calendar: ReportCalendar
  department: string | null
  employeeCode: string | null
  generatedAt: number
}

export const zeroTotals = (): RegisterTotals => ({
  present: 0, absent: 0, late: 0, halfDays: 0, leave: 0, workedHours: 0, overtimeHours: 0,
  halfOffDays: 0, holidayWorkDays: 0, leaveWorkDays: 0, offDayHours: 0, manualDays: 0,
})

export function addTotals(into: RegisterTotals, add: RegisterTotals): void {
  into.present += add.present
  into.absent += add.absent
  into.late += add.late
  into.halfDays += add.halfDays
  into.leave += add.leave
  into.workedHours = round2(into.workedHours + add.workedHours)
  into.overtimeHours = round2(into.overtimeHours + add.overtimeHours)
  into.halfOffDays += add.halfOffDays
  into.holidayWorkDays += add.holidayWorkDays
  into.leaveWorkDays += add.leaveWorkDays
  into.offDayHours = round2(into.offDayHours + add.offDayHours)
  into.manualDays += add.manualDays
}

/** The muster roll: employee × date codes, per-row totals, grouped by department. */
export function buildRegister(input: RegisterInput): RegisterReport {
  const {calendar} = input
  const employees = [...input.employees].sort(compareEmployees)
  const grid = buildGrid(employees, input.days, calendar)

  const groups: RegisterGroup[] = []
  const totals = zeroTotals()
  for (const gridRow of grid.rows) {
    const {department} = gridRow.employee
    const days: Omit<RegisterRow, 'totals'> = {
      code: gridRow.employee.code,
      name: gridRow.employee.name,
      department,
      days: gridRow.codes,
      marks: gridRow.marks,
      worked_minutes: gridRow.worked,
      overtime_minutes: gridRow.overtime,
      off_day_minutes: gridRow.offDay,
      off_day_work: gridRow.offDayWork,
      half_off: gridRow.halfOff,
    }
    const own = rowTotals(days)
    let group = groups.at(-1)
    if (!group || compareDepartments(group.department, department) !== 0) {
      group = {department, rows: [], totals: zeroTotals()}
      groups.push(group)
    }
    group.rows.push({...days, totals: own})
    addTotals(group.totals, own)
    addTotals(totals, own)
  }

  return {
    kind: 'register',
    start_date: calendar.from,
    end_date: calendar.to,
    department: input.department,
    employee: input.employeeCode,
    generated_at: isoInstant(input.generatedAt),
    dates: grid.dates.map((date) => ({
      date,
      day: Number(date.slice(8, 10)),
      weekday: shortWeekday(date),
      calendar: calendarCode(date, calendar) as 'H' | 'WO' | '-',
      holiday: calendar.holidays.get(date) ?? null,
      half_holiday: halfHolidayText(calendar, date),
    })),
    groups,
    totals,
    legend: registerLegend,
  }
}

function halfHolidayText(calendar: ReportCalendar, date: string): string | null {
  const half = calendar.halfHolidays.get(date)
  return half ? `${half.name} (${half.half} half off)` : null
}
