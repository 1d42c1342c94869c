import {buildInstance, countsForInstance, handOver, type HalfOff, type ShiftInstance} from '../../attendance/engine/index.js'
import {addDays} from '../../time/calendar.js'
import {LocalClock} from '../../time/local-clock.js'
import {isoInstant} from '../dates.js'
import type {DayCode, DayRecord, ReportCalendar, ReportEmployee, ShiftInfo} from '../types.js'
import {calendarCode, codeOf, compareEmployees, markOf, onRoll} from './grid.js'

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
  /** Calendar days from the report date: 1 for a night shift's check-out the morning after. */
  day_offset: number
  direction: 'in' | 'out' | null
  manual: boolean
  device: string
  /** On the report date but outside the shift instance's span, so the engine did not count it. */
  ignored: boolean
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
  /** After the code: ½ half the day off, + worked on a day off, * set by hand (as on the register). */
  day_marks: string
  missed_punch: boolean
  /** Half of the day off (half-day leave or holiday), else null. */
  half_off: HalfOff | null
  /** Work on a holiday or weekly off, or on leave, and its minutes (never overtime). */
  worked_on_holiday: boolean
  worked_on_leave: boolean
  off_day_minutes: number
  /** Set by an admin (attend attendance set), with their note. */
  manual: boolean
  note: string | null
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
  /**
   * attendance_days rows of `date`; rows of the day before and after may be added so a neighbouring
   * night shift keeps its own punches (without them the employee's shift on `date` is assumed).
   */
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
 * The engine's instance of `date` for one employee: its shift with margins and windows (a night
 * shift owns the next morning's punches), else the local calendar day.
 */
function instanceOf(date: string, zone: string, shift: ShiftInfo | undefined): ShiftInstance {
  return buildInstance(LocalClock.for(zone), date, shift?.rule ?? null)
}

/** The instance's span as [start, end), widened to the check-in and check-out the engine chose. */
export function punchWindow(instance: ShiftInstance, day: DayRecord | undefined): [number, number] {
  let start = instance.span.start
  let end = instance.span.end + 1
  if (day?.firstIn != null) start = Math.min(start, day.firstIn)
  if (day?.lastOut != null) end = Math.max(end, day.lastOut + 1)
  return [start, end]
}

interface Ownership {
  /** The report date's shift instance span, [start, end). */
  own: [number, number]
  /** Whether a punch of the own span counts (with windows, only inside one of them). */
  counts: (instant: number) => boolean
  /** Spans of the neighbouring dates' instances: their punches are shown under their own date. */
  previous: [number, number]
  next: [number, number]
  dayStart: number
  dayEnd: number
}

const inside = (span: [number, number], instant: number) => instant >= span[0] && instant < span[1]

/**
 * Every punch of the employee's day: the punches the engine gives to this date's shift instance
 * (a night shift's morning-after check-out included), plus the other punches of the calendar date,
 * flagged as ignored, unless a neighbouring date's instance owns them. The spans were handed over
 * as in the engine; where a check-in or check-out widens one, the earlier instance wins, so a punch
 * appears under exactly one date.
 */
function punchesOfDay(punches: readonly DayPunch[], o: Ownership): {punch: DayPunch; ignored: boolean}[] {
  const shown: {punch: DayPunch; ignored: boolean}[] = []
  for (const punch of punches) {
    if (inside(o.previous, punch.instant)) continue
    if (inside(o.own, punch.instant)) shown.push({punch, ignored: !o.counts(punch.instant)})
    else if (punch.instant >= o.dayStart && punch.instant < o.dayEnd && !inside(o.next, punch.instant)) shown.push({punch, ignored: true})
  }
  return shown.sort((a, b) => a.punch.instant - b.punch.instant || a.punch.id - b.punch.id)
}

const statusOfCalendarCode: Record<string, DailyStatus> = {H: 'holiday', WO: 'weekly_off', '-': 'pending'}

/** One line per employee on the roll that day: shift, check-in/out, worked, late/early, punches. */
export function buildDaily(input: DailyInput): DailyReport {
  const {date, calendar} = input
  const clock = LocalClock.for(calendar.zone)
  const daysOf = (of: string) => new Map(input.days.filter((d) => d.date === of).map((d) => [d.employeeId, d]))
  const dayByEmployee = daysOf(date)
  const previousDate = addDays(date, -1)
  const nextDate = addDays(date, 1)
  const previousByEmployee = daysOf(previousDate)
  const nextByEmployee = daysOf(nextDate)
  const dayStart = clock.at(date, 0)
  const dayEnd = clock.at(nextDate, 0)
  const shiftOf = (record: DayRecord | undefined, assumed: ShiftInfo | undefined) =>
    record ? (record.shiftId == null ? undefined : input.shifts.get(record.shiftId)) : assumed
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
    const previousDay = previousByEmployee.get(employee.id)
    const nextDay = nextByEmployee.get(employee.id)
    const own = instanceOf(date, calendar.zone, shift)
    const previous = instanceOf(previousDate, calendar.zone, shiftOf(previousDay, shift))
    const next = instanceOf(nextDate, calendar.zone, shiftOf(nextDay, shift))
    // Where the neighbours' spans meet, the engine's handover decides who owns a punch: so here.
    handOver([previous, own, next])
    const punches = punchesOfDay(punchesByEmployee.get(employee.id) ?? [], {
      own: punchWindow(own, day),
      counts: (instant) => countsForInstance(own, instant),
      previous: punchWindow(previous, previousDay),
      next: punchWindow(next, nextDay),
      dayStart,
      dayEnd,
    })
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
      day_marks: day ? markOf(day) : '',
      missed_punch: day?.missedPunch ?? false,
      half_off: day?.halfOff ?? null,
      worked_on_holiday: day?.workedOnHoliday ?? false,
      worked_on_leave: day?.workedOnLeave ?? false,
      off_day_minutes: day?.offDayMinutes ?? 0,
      manual: day?.manual ?? false,
      note: day?.note ?? null,
      punches: punches.map(({punch: p, ignored}) => ({
        time: clock.iso(p.instant),
        local: clock.timeWithSeconds(p.instant),
        day_offset: p.instant >= dayEnd ? 1 : p.instant < dayStart ? -1 : 0,
        direction: p.direction,
        manual: p.manual,
        device: p.deviceKey,
        ignored,
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
