import {isoInstant, shortWeekday} from '../dates.js'
import type {DayCode, DayRecord, ReportCalendar, ReportEmployee} from '../types.js'
import {buildGrid, calendarCode, compareDepartments, compareEmployees, countCodes, round2} from './grid.js'

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
}

export interface RegisterRow {
  code: string
  name: string
  department: string | null
  days: DayCode[]
  /** Worked and overtime minutes per date, aligned with `days`. */
  worked_minutes: number[]
  overtime_minutes: number[]
  totals: RegisterTotals
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

export const zeroTotals = (): RegisterTotals => ({present: 0, absent: 0, late: 0, halfDays: 0, leave: 0, workedHours: 0, overtimeHours: 0})

export function addTotals(into: RegisterTotals, add: RegisterTotals): void {
  into.present += add.present
  into.absent += add.absent
  into.late += add.late
  into.halfDays += add.halfDays
  into.leave += add.leave
  into.workedHours = round2(into.workedHours + add.workedHours)
  into.overtimeHours = round2(into.overtimeHours + add.overtimeHours)
}

/** The muster roll: employee × date codes, per-row totals, grouped by department. */
export function buildRegister(input: RegisterInput): RegisterReport {
  const {calendar} = input
  const employees = [...input.employees].sort(compareEmployees)
  const grid = buildGrid(employees, input.days, calendar)

  const groups: RegisterGroup[] = []
  const totals = zeroTotals()
  for (const gridRow of grid.rows) {
    const counts = countCodes(gridRow.codes)
    const rowTotals: RegisterTotals = {
      present: counts.present,
      absent: counts.absent,
      late: counts.late,
      halfDays: counts.halfDays,
      leave: counts.leave,
      workedHours: round2(gridRow.workedMinutes / 60),
      overtimeHours: round2(gridRow.overtimeMinutes / 60),
    }
    const {department} = gridRow.employee
    let group = groups.at(-1)
    if (!group || compareDepartments(group.department, department) !== 0) {
      group = {department, rows: [], totals: zeroTotals()}
      groups.push(group)
    }
    group.rows.push({code: gridRow.employee.code, name: gridRow.employee.name, department, days: gridRow.codes, worked_minutes: gridRow.worked, overtime_minutes: gridRow.overtime, totals: rowTotals})
    addTotals(group.totals, rowTotals)
    addTotals(totals, rowTotals)
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
    })),
    groups,
    totals,
    legend: registerLegend,
  }
}
