import {randomUUID} from 'node:crypto'

import {UsageError} from '../errors.js'
import {v1Time} from '../formats/v1-attendance.js'

/**
 * The events an endpoint can subscribe to, with what each means. Seed 001 names user.created,
 * user.updated, attendance.created and device.status_changed; attendance_day.updated is what
 * payroll consumes (a day's figures after a recompute changed them).
 */
export const webhookEventTypes = {
  'attendance.created': 'A punch was stored, from any source (devices, the HTTP APIs, imports, agent pulls, manual entry).',
  'attendance_day.updated': "A recompute changed an employee's day: status, check-in or check-out, late, early departure, worked minutes …",
  'user.created': 'An employee was added (attend employees add or import, POST /v1/users).',
  'user.updated': 'An employee was changed or deactivated.',
  'device.status_changed': 'A device was activated or deactivated by an admin, or came online or went offline.',
} as const

export type WebhookEventType = keyof typeof webhookEventTypes

/** The event `attend webhooks test` sends: to the one endpoint, whatever it subscribes to. */
export const PING_EVENT = 'webhook.ping'

export const allEventTypes = Object.keys(webhookEventTypes) as WebhookEventType[]

export function isEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(webhookEventTypes, value)
}

/** `--events attendance.created,user.created` (or `all`) → the types, validated. */
export function parseEventTypes(value: string): WebhookEventType[] {
  const names = value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
  if (names.length === 1 && (names[0] === 'all' || names[0] === '*')) return [...allEventTypes]
  if (names.length === 0) throw new UsageError(`Name at least one event for --events: ${allEventTypes.join(', ')} (or all).`, 'invalid_events')
  const unknown = names.find((name) => !isEventType(name))
  if (unknown) throw new UsageError(`Unknown event "${unknown.slice(0, 80)}" in --events: expected ${allEventTypes.join(', ')} (or all).`, 'invalid_events')
  return allEventTypes.filter((type) => names.includes(type))
}

/** `evt_` and 32 random hex digits: unique without coordination between processes or servers. */
export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`
}

/** An event as written to the outbox: the body is built once and sent byte for byte on every retry. */
export interface WebhookEvent {
  id: string
  type: string
  /** When the change happened (UTC ms). */
  createdAt: number
  /** `{"id","type","created_at","data"}`, seed 001's shape. */
  body: string
}

/** A change that becomes an event for every endpoint subscribed to its type. */
export interface OutgoingEvent {
  type: WebhookEventType | typeof PING_EVENT
  createdAt: number
  data: object
}

export function buildEvent(event: OutgoingEvent, id = newEventId()): WebhookEvent {
  // Whole seconds, as seed 001 writes it (`2023-01-15T09:00:05Z`); the data keeps its own precision.
  const body = JSON.stringify({id, type: event.type, created_at: v1Time(Math.floor(event.createdAt / 1000) * 1000), data: event.data})
  return {id, type: event.type, createdAt: event.createdAt, body}
}
