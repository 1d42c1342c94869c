import {addDays, datesBetween} from '../../time/calendar.js'
import {evaluateDay} from './day.js'
import {handOver} from './handover.js'
import {assignPunches, buildInstance, type ShiftInstance} from './instances.js'
import {LocalClock} from '../../time/local-clock.js'
import type {DayRecord, EngineInput, ManualDay} from './types.js'

export type {
  DayHalf, DayRecord, DayTimes, EmployeeCalendar, EngineInput, EnginePunch, HalfOff, LeaveSpan, ManualDay, ManualStatus,
  OvertimeRule, PlannedShift, ShiftRule, TimeWindow, WeekdayPlan,
} from './types.js'
export {LocalClock} from '../../time/local-clock.js'
export {buildInstance, timesOn, type ShiftInstance} from './instances.js'
export {handOver} from './handover.js'
export {expectedHours} from './day.js'
export {countsForInstance} from './roles.js'
export {addDays, datesBetween, isValidDate, weekdayOfDate} from '../../time/calendar.js'

/**
 * The attendance engine (docs/architecture.md, "The engine"): one employee's punches, shifts,
 * calendar and manual days in, one record per attendance date out. Pure: no store, no clock — `now`
 * and the zone come from the caller. Pass a shared `clock` when computing many employees in one
 * zone, so zone math is done once per date.
 */
export function computeAttendance(input: EngineInput, clock: LocalClock = LocalClock.for(input.zone)): DayRecord[] {
  const {calendar} = input
  // The neighbouring dates' instances compete for punches near the range's edges (night shifts,
  // margins), so they are built too but produce no records.
  const instances: ShiftInstance[] = []
  for (const date of datesBetween(addDays(input.from, -1), addDays(input.to, 1))) {
    instances.push(buildInstance(clock, date, input.shiftOn(date)))
  }
  handOver(instances)
  const sorted = [...input.punches].sort((a, b) => a.instant - b.instant)
  const owned = assignPunches(instances, sorted)

  const records: DayRecord[] = []
  for (let i = 1; i < instances.length - 1; i++) {
    const {date} = instances[i]
    if (calendar.joinedOn && date < calendar.joinedOn) continue
    if (calendar.leftOn && date > calendar.leftOn) continue
    const manual = input.manualDays?.get(date)
    records.push(evaluateDay(instances[i], owned[i], calendar, input.now, manual && manualTimes(clock, date, manual)))
  }
  return records
}

/** An admin's wall-clock times on the attendance date as instants; a check-out at or before the check-in is the next day's. */
function manualTimes(clock: LocalClock, date: string, day: ManualDay): {day: ManualDay; checkIn: number | null; checkOut: number | null} {
  if (day.checkIn === null || day.checkOut === null) return {day, checkIn: null, checkOut: null}
  return {day, checkIn: clock.at(date, day.checkIn), checkOut: clock.at(day.checkOut <= day.checkIn ? addDays(date, 1) : date, day.checkOut)}
}
