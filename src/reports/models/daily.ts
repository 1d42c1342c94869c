import {addDays, isoInstant, LocalClock, startOfLocalDay, wallClockInstant} from '../dates.js'
import type {DayCode, DayRecord, ReportCalendar, ReportEmployee, ShiftInfo} from '../types.js'
import {calendarCode, codeOf, compareEmployees, onRoll} from './grid.js'

/** A punch as the daily report needs it. */
export interface DayPunch {
  id: number
  employeeId: number
  instant: number
  direction: 'in' | 'out' | null
  manual: boolean
  deviceKey: string
}

export interface DailyPunch {
  time: string
  local: string
  direction: 'in' | 'out' | null
  manual: boolean
  device: string
}

export type DailyStatus = DayRecord['status']

export interface DailyRow {
  code: string
  name: string
  department: string | null
  shift: string | null
  /** Site-local ISO 8601 instants with offset. */
  check_in: string | null
  check_out: string | null
  worked_minutes: number
  late_minutes: number
  early_minutes: number
  status: DailyStatus
  day_code: DayCode
  missed_punch: boolean
  punches: DailyPunch[]
}

export interface DailyReport {
  kind: 'daily'
  date: string
  department: string | null
  employee: string | null
  zone: string
  generated_at: string
  rows: DailyRow[]
  counts: Record<DailyStatus, number>
}

export interface DailyInput {
  date: string
  employees: readonly ReportEmployee[]
  /** attendance_days rows of `date`. */
  days: readonly DayRecord[]
  shifts: ReadonlyMap<number, ShiftInfo>
  /** The employees' punches around `date` (a day either side is enough); assigned here. */
  punches: readonly DayPunch[]
  calendar: ReportCalendar
  department: string | null
  employeeCode: string | null
  generatedAt: number
}

/**
 * The span whose punches belong to `date` for one employee: the shift instance with its margins
 * (a night shift owns the next morning's punches), else the local calendar day; always widened to
 * the check-in and check-out the engine chose.
 */
export function punchWindow(date: string, zone: string, shift: ShiftInfo | undefined, day: DayRecord | undefined): [number, number] {
  let start: number
  let end: number
  if (shift) {
    start = wallClockInstant(date, shift.start, zone) - shift.beforeMinutes * 60_000
    const endDate = shift.end <= shift.start ? addDays(date, 1) : date
    end = wallClockInstant(endDate, shift.end, zone) + shift.afterMinutes * 60_000 + 1
  } else {
    start = startOfLocalDay(date, zone)
    end = startOfLocalDay(addDays(date, 1), zone)
  }
  if (day?.firstIn != null) start = Math.min(start, day.firstIn)
  if (day?.lastOut != null) end = Math.max(end, day.lastOut + 1)
  return [start, end]
}

const statusOfCalendarCode: Record<string, DailyStatus> = {H: 'holiday', WO: 'weekly_off', '-': 'pending'}

/** One line per employee on the roll that day: shift, check-in/out, worked, late/early, punches. */
export function buildDaily(input: DailyInput): DailyReport {
  const {date, calendar} = input
  const clock = new LocalClock(calendar.zone)
  const dayByEmployee = new Map(input.days.filter((d) => d.date === date).map((d) => [d.employeeId, d]))
  const punchesByEmployee = new Map<number, DayPunch[]>()
  for (const punch of input.punches) {
    const list = punchesByEmployee.get(punch.employeeId)
    if (list) list.push(punch)
    else punchesByEmployee.set(punch.employeeId, [punch])
  }

  const counts: Record<DailyStatus, number> = {present: 0, absent: 0, half_day: 0, holiday: 0, weekly_off: 0, leave: 0, pending: 0}
  const rows: DailyRow[] = []
  for (const employee of [...input.employees].sort(compareEmployees)) {
    if (!onRoll(employee, date)) continue
    const day = dayByEmployee.get(employee.id)
    const shift = day?.shiftId == null ? undefined : input.shifts.get(day.shiftId)
    const [start, end] = punchWindow(date, calendar.zone, shift, day)
    const punches = (punchesByEmployee.get(employee.id) ?? [])
      .filter((p) => p.instant >= start && p.instant < end)
      .sort((a, b) => a.instant - b.instant || a.id - b.id)
    const fallback = calendarCode(date, calendar)
    const status = day ? day.status : statusOfCalendarCode[fallback]
    counts[status]++
    rows.push({
      code: employee.code,
      name: employee.name,
      department: employee.department,
      shift: shift?.name ?? null,
      check_in: day?.firstIn == null ? null : clock.iso(day.firstIn),
      check_out: day?.lastOut == null ? null : clock.iso(day.lastOut),
      worked_minutes: day?.workedMinutes ?? 0,
      late_minutes: day?.lateMinutes ?? 0,
      early_minutes: day?.earlyMinutes ?? 0,
      status,
      day_code: day ? codeOf(day) : fallback,
      missed_punch: day?.missedPunch ?? false,
      punches: punches.map((p) => ({
        time: clock.iso(p.instant),
        local: clock.timeWithSeconds(p.instant),
        direction: p.direction,
        manual: p.manual,
        device: p.deviceKey,
      })),
    })
  }
  return {
    kind: 'daily',
    date,
    department: input.department,
    employee: input.employeeCode,
    zone: calendar.zone,
    generated_at: isoInstant(input.generatedAt),
    rows,
    counts,
  }
}
