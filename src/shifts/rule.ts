import type {ShiftRule, WeekdayPlan} from '../attendance/engine/types.js'
import type {shifts} from '../db/schema.js'
import type {Weekday} from '../time/weekdays.js'
import {parseClock, parseWindow} from './parse.js'

export type ShiftRow = typeof shifts.$inferSelect

/** The stored weekly pattern (`{"fri":"08:00-12:30","sat":"off"}`) as text per weekday. */
export type StoredPattern = Partial<Record<Weekday, string>>

export function patternOfRow(row: Pick<ShiftRow, 'weekdays'>): StoredPattern | null {
  return row.weekdays ? (JSON.parse(row.weekdays) as StoredPattern) : null
}

/** A stored pattern as the engine reads it: `HH:MM-HH:MM` → minutes, `off` kept. */
export function weekdayPlans(pattern: StoredPattern | null): Partial<Record<Weekday, WeekdayPlan>> {
  const plans: Partial<Record<Weekday, WeekdayPlan>> = {}
  for (const [day, text] of Object.entries(pattern ?? {}) as [Weekday, string][]) {
    if (text === 'off') {
      plans[day] = 'off'
    } else {
      const [start, end] = text.split('-')
      plans[day] = {start: parseClock(start, `${day} start`), end: parseClock(end, `${day} end`)}
    }
  }
  return plans
}

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
    weekdays: weekdayPlans(patternOfRow(row)),
    markLate: row.markLate,
    markEarly: row.markEarly,
    overtime: {
      counts: row.overtimeCounts,
      minimumMinutes: row.overtimeMinimumMinutes,
      roundDownMinutes: row.overtimeRoundMinutes,
      dailyCapMinutes: row.overtimeCapMinutes,
    },
  }
}
