import type {AttendStore} from '../store/port.js'
import {parseDateRange} from '../time/date-input.js'
import {parseTarget, type AssignInput, type AssignResult} from './view.js'

export type {AssignInput, AssignResult} from './view.js'

/**
 * Assigns a shift to one employee or a whole department, optionally for a date range, and
 * recomputes the days it affects. The target and dates are checked before the store is opened.
 */
export async function assignShift(store: AttendStore, name: string, input: AssignInput, now: number): Promise<AssignResult> {
  parseTarget(input)
  parseDateRange(input.from, input.to)
  return store.schedules.assignShift(name, input, now)
}
