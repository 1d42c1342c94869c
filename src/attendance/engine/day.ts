import type {AttendanceStatus} from '../../db/schema.js'
import {weekdayOfDate} from '../../time/calendar.js'
import {debounce} from './debounce.js'
import type {ShiftInstance} from './instances.js'
import {pairTotals, pickRoles} from './roles.js'
import type {DayRecord, EmployeeCalendar, EnginePunch} from './types.js'

/** The debounce used on days without a shift: the shift default. */
const DEFAULT_DEBOUNCE_SECONDS = 60

/** Holiday, weekly off or leave — in that order, as DESIGN §5 lists them — else null. */
export function offDayStatus(date: string, instance: ShiftInstance, calendar: EmployeeCalendar): AttendanceStatus | null {
  if (calendar.holidays.has(date)) return 'holiday'
  const weekOff = instance.shift?.weekOff ?? calendar.siteWeekOff
  if (weekOff.includes(weekdayOfDate(date))) return 'weekly_off'
  if (calendar.leaves.some((leave) => leave.from <= date && date <= leave.to)) return 'leave'
  return null
}

/** Turns one shift instance and the punches it owns (sorted) into the day's record. */
export function evaluateDay(instance: ShiftInstance, owned: readonly EnginePunch[], calendar: EmployeeCalendar, now: number): DayRecord {
  const shift = instance.shift
  const punches = debounce(owned, shift?.debounceSeconds ?? DEFAULT_DEBOUNCE_SECONDS)
  const {considered, checkIn, checkOut} = pickRoles(instance, punches)

  let workedMs = 0
  let unpaired = 0
  if (shift?.hoursMode === 'pairs') {
    ;({workedMs, unpaired} = pairTotals(considered, shift))
  } else if (checkIn && checkOut) {
    workedMs = checkOut.instant - checkIn.instant
  }
  const workedMinutes = Math.floor(workedMs / 60_000)
  const shiftMinutes = Math.round((instance.end - instance.start) / 60_000)

  const record: DayRecord = {
    date: instance.date,
    status: 'present',
    shiftId: shift?.id ?? null,
    firstIn: checkIn?.instant ?? null,
    lastOut: checkOut?.instant ?? null,
    workedMinutes,
    lateMinutes: 0,
    earlyMinutes: 0,
    overtimeMinutes: 0,
    late: false,
    earlyDeparture: false,
    missedPunch: false,
    punchCount: considered.length,
  }

  const offDay = offDayStatus(instance.date, instance, calendar)
  if (offDay) {
    // Work on a day off is all extra time; lateness has no meaning there.
    record.status = offDay
    record.overtimeMinutes = workedMinutes
    return record
  }

  if (shift && checkIn && checkIn.instant > instance.start + shift.lateGraceMinutes * 60_000) {
    record.late = true
    // Whole minutes as the clock shows them: 08:25:40 is 25 minutes late, as is 08:25 on screen.
    record.lateMinutes = Math.floor((checkIn.instant - instance.start) / 60_000)
  }

  if (now < instance.closesAt) {
    // The shift can still take punches: the last punch so far is not a departure yet.
    record.status = 'pending'
    return record
  }

  if (considered.length === 0) {
    record.status = 'absent'
    return record
  }

  record.missedPunch = !checkIn || !checkOut || unpaired > 0
  if (shift) {
    record.overtimeMinutes = Math.max(0, workedMinutes - shiftMinutes)
    if (checkOut && checkOut.instant < instance.end - shift.earlyGraceMinutes * 60_000) {
      record.earlyDeparture = true
      // 16:49:30 shows as 16:49, 11 minutes before a 17:00 end.
      record.earlyMinutes = Math.ceil((instance.end - checkOut.instant) / 60_000)
    }
    if (shift.absentHours > 0 && workedMinutes < shift.absentHours * 60) record.status = 'absent'
    else if (shift.halfDayHours > 0 && workedMinutes < shift.halfDayHours * 60) record.status = 'half_day'
  }
  return record
}
