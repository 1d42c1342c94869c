import {calendarDay, halfOf, type CalendarDay} from './calendar-day.js'
import {debounce} from './debounce.js'
import type {ShiftInstance} from './instances.js'
import {overtimeMinutes, type Interval} from './overtime.js'
import {pairTotals, pickRoles} from './roles.js'
import type {DayRecord, EmployeeCalendar, EnginePunch, HalfOff, ManualDay} from './types.js'

/** The debounce used on days without a shift: the shift default. */
const DEFAULT_DEBOUNCE_SECONDS = 60

/** What the punches (or an admin's times) say about a day, before any rule is applied. */
interface Worked {
  /** How many punches (or given times) count. */
  count: number
  checkIn: number | null
  checkOut: number | null
  /** The worked intervals: check-in to check-out, or every in/out pair. */
  intervals: Interval[]
  /** Punches without a partner (pairs mode). */
  unpaired: number
}

/** Turns one shift instance and the punches it owns (sorted) into the day's record. */
export function evaluateDay(
  instance: ShiftInstance,
  owned: readonly EnginePunch[],
  calendar: EmployeeCalendar,
  now: number,
  manual?: {day: ManualDay; checkIn: number | null; checkOut: number | null},
): DayRecord {
  const shift = instance.shift
  const punches = debounce(owned, shift?.debounceSeconds ?? DEFAULT_DEBOUNCE_SECONDS)
  const day = calendarDay(instance.date, instance, calendar)
  const {considered, checkIn, checkOut} = pickRoles(instance, punches)
  if (manual) return manualRecord(instance, day, manual, considered.length)

  let intervals: Interval[] = []
  let unpaired = 0
  if (shift?.hoursMode === 'pairs') {
    const totals = pairTotals(considered, shift)
    intervals = totals.pairs
    unpaired = totals.unpaired
  } else if (checkIn && checkOut) {
    intervals = [[checkIn.instant, checkOut.instant]]
  }
  return applyRules(instance, day, {count: considered.length, checkIn: checkIn?.instant ?? null, checkOut: checkOut?.instant ?? null, intervals, unpaired}, now)
}

/**
 * An admin's day: the status as given, the times as given (late, early and overtime measured from
 * them by the shift's rules), never pending. The punches the instance owns stay counted, and they
 * stay owned by this date, so a manual day never moves punches to its neighbours.
 */
function manualRecord(
  instance: ShiftInstance,
  day: CalendarDay,
  manual: {day: ManualDay; checkIn: number | null; checkOut: number | null},
  punchCount: number,
): DayRecord {
  const {checkIn, checkOut} = manual
  const timed = checkIn !== null && checkOut !== null
  const worked: Worked = {count: timed ? 2 : 0, checkIn, checkOut, intervals: timed ? [[checkIn, checkOut]] : [], unpaired: 0}
  const record = applyRules(instance, day, worked, Infinity)
  record.status = manual.day.status
  record.missedPunch = false
  record.punchCount = punchCount
  record.manual = true
  record.note = manual.day.note
  return record
}

/**
 * The expected hours of a working day (what late, early and overtime are measured from): the
 * shift instance's, or the half of it that is not off.
 */
export function expectedHours(instance: Pick<ShiftInstance, 'start' | 'end'>, halfOff: HalfOff | null): {start: number; end: number} {
  if (!halfOff) return {start: instance.start, end: instance.end}
  // Half of the shift's real length (a DST night included), on a whole minute.
  const middle = instance.start + Math.round((instance.end - instance.start) / 2 / 60_000) * 60_000
  return halfOf(halfOff) === 'first' ? {start: middle, end: instance.end} : {start: instance.start, end: middle}
}

function applyRules(instance: ShiftInstance, day: CalendarDay, worked: Worked, now: number): DayRecord {
  const shift = instance.shift
  const workedMinutes = Math.floor(worked.intervals.reduce((sum, [from, to]) => sum + (to - from), 0) / 60_000)
  const record: DayRecord = {
    date: instance.date,
    status: 'present',
    shiftId: shift?.id ?? null,
    firstIn: worked.checkIn,
    lastOut: worked.checkOut,
    workedMinutes,
    lateMinutes: 0,
    earlyMinutes: 0,
    overtimeMinutes: 0,
    late: false,
    earlyDeparture: false,
    missedPunch: false,
    punchCount: worked.count,
    workedOnHoliday: false,
    workedOnLeave: false,
    offDayMinutes: 0,
    halfOff: day.halfOff,
    manual: false,
    note: null,
  }
  const settled = now >= instance.closesAt
  const incomplete = worked.checkIn === null || worked.checkOut === null || worked.unpaired > 0

  if (day.off) {
    // Work on a day off is its own column, never overtime, and lateness has no meaning there.
    record.status = day.off
    if (worked.count > 0) {
      record.workedOnLeave = day.off === 'leave'
      record.workedOnHoliday = !record.workedOnLeave
      record.offDayMinutes = workedMinutes
      record.missedPunch = settled && incomplete
    }
    return record
  }

  const expected = expectedHours(instance, day.halfOff)
  if (shift?.markLate && worked.checkIn !== null && worked.checkIn > expected.start + shift.lateGraceMinutes * 60_000) {
    record.late = true
    // Whole minutes as the clock shows them: 08:25:40 is 25 minutes late, as is 08:25 on screen.
    record.lateMinutes = Math.floor((worked.checkIn - expected.start) / 60_000)
  }

  if (!settled) {
    // The shift can still take punches: the last punch so far is not a departure yet.
    record.status = 'pending'
    return record
  }

  if (worked.count === 0) {
    record.status = 'absent'
    return record
  }

  record.missedPunch = incomplete
  if (shift) {
    record.overtimeMinutes = overtimeMinutes(worked.intervals, expected, shift.overtime)
    if (shift.markEarly && worked.checkOut !== null && worked.checkOut < expected.end - shift.earlyGraceMinutes * 60_000) {
      record.earlyDeparture = true
      // 16:49:30 shows as 16:49, 11 minutes before a 17:00 end.
      record.earlyMinutes = Math.ceil((expected.end - worked.checkOut) / 60_000)
    }
    // Half a day off halves what the other half must reach.
    const share = day.halfOff ? 0.5 : 1
    if (shift.absentHours > 0 && workedMinutes < shift.absentHours * 60 * share) record.status = 'absent'
    else if (shift.halfDayHours > 0 && workedMinutes < shift.halfDayHours * 60 * share) record.status = 'half_day'
  }
  return record
}
