import {addDays, datesBetween} from '../../time/calendar.js'
import {evaluateDay} from './day.js'
import {assignPunches, buildInstance, type ShiftInstance} from './instances.js'
import {LocalClock} from '../../time/local-clock.js'
import type {DayRecord, EngineInput} from './types.js'

export type {DayRecord, EmployeeCalendar, EngineInput, EnginePunch, LeaveSpan, ShiftRule, TimeWindow} from './types.js'
export {LocalClock} from '../../time/local-clock.js'
export {buildInstance, type ShiftInstance} from './instances.js'
export {countsForInstance} from './roles.js'
export {addDays, datesBetween, isValidDate, weekdayOfDate} from '../../time/calendar.js'

/**
 * The attendance engine (DESIGN §5): one employee's punches, shifts and calendar in, one record per
 * attendance date out. Pure: no store, no clock — `now` and the zone come from the caller. Pass a
 * shared `clock` when computing many employees in one zone, so zone math is done once per date.
 */
export function computeAttendance(input: EngineInput, clock: LocalClock = LocalClock.for(input.zone)): DayRecord[] {
  const {calendar} = input
  // The neighbouring dates' instances compete for punches near the range's edges (night shifts,
  // margins), so they are built too but produce no records.
  const instances: ShiftInstance[] = []
  for (const date of datesBetween(addDays(input.from, -1), addDays(input.to, 1))) {
    instances.push(buildInstance(clock, date, input.shiftOn(date)))
  }
  const sorted = [...input.punches].sort((a, b) => a.instant - b.instant)
  const owned = assignPunches(instances, sorted)

  const records: DayRecord[] = []
  for (let i = 1; i < instances.length - 1; i++) {
    const {date} = instances[i]
    if (calendar.joinedOn && date < calendar.joinedOn) continue
    if (calendar.leftOn && date > calendar.leftOn) continue
    records.push(evaluateDay(instances[i], owned[i], calendar, input.now))
  }
  return records
}
