import type {ShiftRule} from '../attendance/engine/types.js'
import type {shifts} from '../db/schema.js'
import type {Weekday} from '../time/weekdays.js'
import {parseClock, parseWindow} from './parse.js'

export type ShiftRow = typeof shifts.$inferSelect

/** A stored shift as the engine reads it (stored values were validated on the way in). */
export function shiftRuleFromRow(row: ShiftRow): ShiftRule {
  return {
    id: row.id,
    name: row.name,
    start: parseClock(row.start, 'start'),
    end: parseClock(row.end, 'end'),
    lateGraceMinutes: row.lateGraceMinutes,
    earlyGraceMinutes: row.earlyGraceMinutes,
    halfDayHours: row.halfDayHours,
    absentHours: row.absentHours,
    beforeMinutes: row.beforeMinutes,
    afterMinutes: row.afterMinutes,
    checkInWindow: row.checkInWindow ? parseWindow(row.checkInWindow, 'check-in window') : null,
    checkOutWindow: row.checkOutWindow ? parseWindow(row.checkOutWindow, 'check-out window') : null,
    hoursMode: row.hoursMode,
    directionMode: row.directionMode,
    debounceSeconds: row.debounceSeconds,
    weekOff: row.weekOff ? (JSON.parse(row.weekOff) as Weekday[]) : null,
  }
}
