import type {AttendanceStatus, halfOffKinds} from '../../db/schema.js'
import type {Weekday} from '../../time/weekdays.js'

/** Minutes after local midnight, 0 … 1439. */
export type MinuteOfDay = number

/** An explicit window such as a check-in window `07:00-09:30`, in local wall-clock minutes. */
export interface TimeWindow {
  start: MinuteOfDay
  end: MinuteOfDay
}

/** A shift's hours on one weekday of a weekly pattern; end ≤ start crosses midnight. */
export interface DayTimes {
  start: MinuteOfDay
  end: MinuteOfDay
}

/** One weekday of a weekly pattern: other hours than the shift's, or a day off. */
export type WeekdayPlan = DayTimes | 'off'

/**
 * How overtime is counted (docs/architecture.md, "Overtime"): the raw minutes outside the expected
 * hours, then the minimum, then rounding down, then the daily cap.
 */
export interface OvertimeRule {
  /** `after-end`: only work after the expected end; `also-before-start`: work before the start too. */
  counts: 'after-end' | 'also-before-start'
  /** Raw overtime below this is none at all (0 = any minute counts). */
  minimumMinutes: number
  /** Rounded down to a multiple of this (0 or 1 = whole minutes). */
  roundDownMinutes: number
  /** At most this much per day; null = no cap. */
  dailyCapMinutes: number | null
}

/** A shift as the engine needs it: every rule of the engine, already validated. */
export interface ShiftRule {
  id: number | null
  name: string
  start: MinuteOfDay
  /** end ≤ start: the shift crosses midnight and belongs to the date it starts. */
  end: MinuteOfDay
  lateGraceMinutes: number
  earlyGraceMinutes: number
  /** 0 = off. */
  halfDayHours: number
  /** 0 = off. */
  absentHours: number
  beforeMinutes: number
  afterMinutes: number
  checkInWindow: TimeWindow | null
  checkOutWindow: TimeWindow | null
  hoursMode: 'first-last' | 'pairs'
  directionMode: 'auto' | 'punch'
  debounceSeconds: number
  /** null = the site's weekly off days. */
  weekOff: readonly Weekday[] | null
  /** Weekly pattern: the weekdays whose hours differ, or that are off; it wins over `weekOff`. */
  weekdays: Readonly<Partial<Record<Weekday, WeekdayPlan>>>
  /** Whether a check-in after start + grace is marked late at all (grace and "do not mark" differ). */
  markLate: boolean
  /** Whether a check-out before end − grace is marked as an early departure at all. */
  markEarly: boolean
  overtime: OvertimeRule
}

/**
 * What an employee is scheduled for on a date: a shift, no shift at all (the bare site day), or a
 * rest day of a rotating roster (a day off, with the bare site day's span).
 */
export type PlannedShift = ShiftRule | 'rest' | null

export interface EnginePunch {
  /** UTC epoch ms. */
  instant: number
  /** What the punch itself says (check_in / check_out …), null when unknown. */
  direction: 'in' | 'out' | null
  /** A device of direction in/out forces the role of every punch it captures. */
  deviceDirection: 'auto' | 'in' | 'out'
}

/** Which half of a working day is off: the first (the morning of a day shift) or the second. */
export type DayHalf = 'first' | 'second'

export interface LeaveSpan {
  from: string
  to: string
  type: string | null
  /** null = whole days; a half-day leave covers one date. */
  half: DayHalf | null
}

/** One employee's calendar: what makes a date a non-working day, and when they were employed. */
export interface EmployeeCalendar {
  holidays: ReadonlySet<string>
  /** Holidays of half a day: the date → the half that is off. Not in `holidays`. */
  halfHolidays: ReadonlyMap<string, DayHalf>
  siteWeekOff: readonly Weekday[]
  leaves: readonly LeaveSpan[]
  joinedOn: string | null
  leftOn: string | null
}

/** The statuses an admin may set by hand: every status but pending. */
export type ManualStatus = Exclude<AttendanceStatus, 'pending'>

/**
 * An admin's decision for one date (`attend attendance set`): recompute takes it as given and never
 * replaces it with what the punches say.
 */
export interface ManualDay {
  status: ManualStatus
  /** Local wall-clock check-in and check-out; both or neither. A check-out ≤ check-in is the next day. */
  checkIn: MinuteOfDay | null
  checkOut: MinuteOfDay | null
  note: string | null
}

export interface EngineInput {
  /** IANA zone of the site: attendance dates and shift times are local to it. */
  zone: string
  /** "Now" (UTC ms): days whose shift window has not closed yet are pending, not absent. */
  now: number
  /** Inclusive range of attendance dates to produce, `YYYY-MM-DD`. */
  from: string
  to: string
  /** The employee's punches around the range (a day each side is enough); any order. */
  punches: readonly EnginePunch[]
  /** What the employee is scheduled for on a date (assignment or roster → department → default). */
  shiftOn: (date: string) => PlannedShift
  calendar: EmployeeCalendar
  /** Manual days by date; absent = none. */
  manualDays?: ReadonlyMap<string, ManualDay>
}

/** The half of a working day that is off, and why: a half-day leave or a half-day holiday. */
export type HalfOff = (typeof halfOffKinds)[number]

/** One attendance day, field for field the attendance_days columns the engine decides. */
export interface DayRecord {
  date: string
  status: AttendanceStatus
  shiftId: number | null
  firstIn: number | null
  lastOut: number | null
  workedMinutes: number
  lateMinutes: number
  earlyMinutes: number
  overtimeMinutes: number
  late: boolean
  earlyDeparture: boolean
  missedPunch: boolean
  punchCount: number
  /** Punches on a holiday or weekly off day (a roster's rest day included). */
  workedOnHoliday: boolean
  /** Punches on a day of full leave. */
  workedOnLeave: boolean
  /** Minutes worked on a holiday, weekly off or leave day: their own column, never overtime. */
  offDayMinutes: number
  /** Half of the day off (half-day leave or holiday): thresholds and expected hours are halved. */
  halfOff: HalfOff | null
  /** Set by an admin (`attend attendance set`), not computed from punches. */
  manual: boolean
  note: string | null
}
