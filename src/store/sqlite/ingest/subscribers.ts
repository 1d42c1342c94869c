import {recomputeSubscriber} from '../attendance/hook.js'
import {attendanceCreatedSubscriber} from '../webhooks/punch-events.js'
import type {PunchSubscriber} from '../../../punches/events.js'

/**
 * The subscribers every punch change reaches unless the caller passes its own list: the webhook
 * outbox (stored punches → `attendance.created`, queued first so a receiver hears of the punch
 * before the day it changed) and the attendance recompute (every kind). Every source — import,
 * HTTP, agent pulls, manual entry, mapping changes — gets the same follow-up work in the same
 * transaction. A new consumer of punch changes is one line here.
 */
export function defaultPunchSubscribers(): PunchSubscriber[] {
  return [attendanceCreatedSubscriber, recomputeSubscriber]
}
