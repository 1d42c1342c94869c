import type {AttendanceStatus} from '../../db/schema.js'
import {weekdayOfDate} from '../../time/calendar.js'
import type {ShiftInstance} from './instances.js'
import type {DayHalf, EmployeeCalendar, HalfOff} from './types.js'

/** What the calendar makes of a date before any punch is looked at. */
export interface CalendarDay {
  /** holiday, weekly_off or leave for a day off; null for a working day. */
  off: Extract<AttendanceStatus, 'holiday' | 'weekly_off' | 'leave'> | null
  /** On a working day, the half that is off (half-day leave or holiday), else null. */
  halfOff: HalfOff | null
}

const WORKING: CalendarDay = {off: null, halfOff: null}

/**
 * Holiday, weekly off or leave — in that order — else a working day, possibly with half of it off.
 * A shift's weekly pattern decides its weekdays before the shift's or the site's week off: a
 * weekday the pattern gives hours to is a working day even when the site rests on it. Half a day
 * of leave and half a holiday on the other half leave nothing to work: the day is leave.
 */
export function calendarDay(date: string, instance: ShiftInstance, calendar: EmployeeCalendar): CalendarDay {
  if (calendar.holidays.has(date)) return {off: 'holiday', halfOff: null}
  if (instance.rest) return {off: 'weekly_off', halfOff: null}
  const weekday = weekdayOfDate(date)
  const plan = instance.shift?.weekdays[weekday]
  if (plan === 'off') return {off: 'weekly_off', halfOff: null}
  if (plan === undefined && (instance.shift?.weekOff ?? calendar.siteWeekOff).includes(weekday)) return {off: 'weekly_off', halfOff: null}

  let leaveHalves: DayHalf[] | null = null
  for (const leave of calendar.leaves) {
    if (leave.from > date || date > leave.to) continue
    if (leave.half === null) return {off: 'leave', halfOff: null}
    ;(leaveHalves ??= []).push(leave.half)
  }
  const holidayHalf = calendar.halfHolidays.get(date)
  if (!leaveHalves && !holidayHalf) return WORKING
  const halves = new Set<DayHalf>(leaveHalves ?? [])
  if (holidayHalf) halves.add(holidayHalf)
  if (halves.size === 2) return {off: 'leave', halfOff: null}
  if (holidayHalf) return {off: null, halfOff: holidayHalf === 'first' ? 'holiday_first_half' : 'holiday_second_half'}
  return {off: null, halfOff: leaveHalves![0] === 'first' ? 'leave_first_half' : 'leave_second_half'}
}

/** Which half a half-day-off marker takes away. */
export function halfOf(halfOff: HalfOff): DayHalf {
  return halfOff.endsWith('first_half') ? 'first' : 'second'
}
