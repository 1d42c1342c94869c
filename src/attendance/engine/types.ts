import type {AttendanceStatus} from '../../db/schema.js'
import type {Weekday} from '../../time/weekdays.js'

/** Minutes after local midnight, 0 … 1439. */
export type MinuteOfDay = number

/** An explicit window such as the seed's check-in window `07:00-09:30`, in local wall-clock minutes. */
export interface TimeWindow {
  start: MinuteOfDay
  end: MinuteOfDay
}

/** A shift as the engine needs it: every rule of DESIGN §5, already validated. */
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
}

export interface EnginePunch {
  /** UTC epoch ms. */
  instant: number
  /** What the punch itself says (check_in / check_out …), null when unknown. */
  direction: 'in' | 'out' | null
  /** A device of direction in/out forces the role of every punch it captures. */
  deviceDirection: 'auto' | 'in' | 'out'
}

export interface LeaveSpan {
  from: string
  to: string
  type: string | null
}

/** One employee's calendar: what makes a date a non-working day, and when they were employed. */
export interface EmployeeCalendar {
  holidays: ReadonlySet<string>
  siteWeekOff: readonly Weekday[]
  leaves: readonly LeaveSpan[]
  joinedOn: string | null
  leftOn: string | null
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
  /** The resolved shift on a date (assignment → department → default), or null for none. */
  shiftOn: (date: string) => ShiftRule | null
  calendar: EmployeeCalendar
}

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
}
