import type {PunchHook} from '../punches/hooks.js'
import {readSettings} from '../settings/settings.js'
import {addDays} from './engine/dates.js'
import {LocalClock} from './engine/local-clock.js'
import {recomputeDays} from './recompute.js'

/**
 * Keeps attendance current as punches arrive: recomputes, in the pipeline's transaction, every
 * (employee, date) a stored punch can belong to — its local date, the day before (a night shift
 * started then) and the day after (an early start's margin) — for the punch's employee and, after a
 * mapping change, for the employee who lost it.
 */
export const recomputeHook: PunchHook = {
  name: 'recompute-attendance',
  afterStore(context, punches) {
    if (punches.length === 0) return
    const clock = LocalClock.for(readSettings(context.store).timezone)
    const seen = new Set<string>()
    const pairs: {employeeId: number; date: string}[] = []
    const add = (employeeId: number | null | undefined, instant: number) => {
      if (employeeId === null || employeeId === undefined) return
      const date = clock.dateOf(instant)
      for (const day of [addDays(date, -1), date, addDays(date, 1)]) {
        const key = `${employeeId}|${day}`
        if (seen.has(key)) continue
        seen.add(key)
        pairs.push({employeeId, date: day})
      }
    }
    for (const punch of punches) {
      add(punch.employeeId, punch.instant)
      if (punch.previousEmployeeId !== punch.employeeId) add(punch.previousEmployeeId, punch.instant)
    }
    if (pairs.length > 0) recomputeDays(context.store, pairs, context.now)
  },
}
