import type {SiteContext} from '../../../attendance/site.js'
import type {Store} from '../../../db/open.js'
import {queueEvents, wantsEvent} from './outbox.js'
import {attendanceDayUpdated, type DayChange} from '../../../webhooks/payloads.js'

export type {DayChange} from '../../../webhooks/payloads.js'

/** Whether a recompute should collect the days it changes (some endpoint wants them). */
export function wantsDayChanges(store: Store): boolean {
  return wantsEvent(store, 'attendance_day.updated')
}

/** The days a recompute inserted, changed or removed → `attendance_day.updated`, in its transaction. */
export function queueDayChanges(store: Store, changes: readonly DayChange[], site: SiteContext, now: number): void {
  const shiftName = (id: number) => site.rules.get(id)?.name ?? null
  queueEvents(store, changes.map((change) => attendanceDayUpdated(change, shiftName, now)), now)
}
