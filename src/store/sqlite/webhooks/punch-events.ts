import type {PunchSubscriber} from '../../../punches/events.js'
import {queueEvents, wantsEvent} from './outbox.js'
import {attendanceCreated} from '../../../webhooks/payloads.js'

/**
 * Stored punches → `attendance.created`, one event per punch, in the transaction that stored them
 * (once per group on the server). Removed and reassigned punches are not new attendance: the days
 * they change are announced by the recompute as `attendance_day.updated`.
 */
export const attendanceCreatedSubscriber: PunchSubscriber = {
  name: 'webhook-outbox',
  kinds: ['stored'],
  handle(context, changes) {
    if (!context.webhooks || !wantsEvent(context.store, 'attendance.created')) return
    queueEvents(context.store, changes.stored.map((punch) => attendanceCreated(punch, context.now)), context.now)
  },
}
