import type {Store} from '../../../db/open.js'
import {perConnection} from '../../../db/prepared.js'
import {subscriptions} from '../webhook-subscriptions.js'
import {buildEvent, type OutgoingEvent, type WebhookEvent} from '../../../webhooks/events.js'

/**
 * The outbox (docs/architecture.md, "Webhooks"): changes become rows here in the transaction that
 * makes them — no event for a change that rolled back, none lost when the process dies after the
 * commit. One event row (the exact body) and one delivery row per subscribed endpoint; a change
 * nobody subscribes to writes nothing.
 */

const statements = perConnection((sqlite) => ({
  event: sqlite.prepare('INSERT INTO webhook_events (event_id, type, created_at, body) VALUES (?, ?, ?, ?)'),
  delivery: sqlite.prepare(
    `INSERT INTO webhook_deliveries (webhook_id, event, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)`,
  ),
}))

/** Whether any active endpoint subscribes to `type`: callers skip building payloads otherwise. */
export function wantsEvent(store: Store, type: string): boolean {
  return subscriptions(store).has(type)
}

/**
 * Queues each event for every active endpoint subscribed to its type, in the caller's transaction
 * (or its own). Returns the number of deliveries queued.
 */
export function queueEvents(store: Store, events: readonly OutgoingEvent[], now: number): number {
  if (events.length === 0) return 0
  const subscribed = subscriptions(store)
  if (subscribed.size === 0) return 0
  const queue = (): number => {
    let queued = 0
    for (const event of events) {
      const endpoints = subscribed.get(event.type)
      if (!endpoints) continue
      insertEvent(store, buildEvent(event), endpoints, now)
      queued += endpoints.length
    }
    return queued
  }
  const queued = store.sqlite.inTransaction ? queue() : store.transaction(queue)
  if (queued > 0) notifyQueued(store)
  return queued
}

/** Writes one event and a pending delivery of it for each endpoint; returns the event's row id. */
export function insertEvent(store: Store, event: WebhookEvent, endpointIds: readonly number[], now: number): number {
  const s = statements(store)
  const row = Number(s.event.run(event.id, event.type, event.createdAt, event.body).lastInsertRowid)
  for (const id of endpointIds) s.delivery.run(id, row, now, now)
  return row
}

// Listeners per connection: the server's deliverer wakes as soon as a group commit has queued
// something instead of waiting for its next poll. Called inside the transaction, so a listener only
// schedules work (setImmediate runs after the group has committed, or found nothing if it rolled back).
const listeners = new WeakMap<Store['sqlite'], Set<() => void>>()

export function onQueued(store: Store, listener: () => void): () => void {
  let set = listeners.get(store.sqlite)
  if (!set) listeners.set(store.sqlite, (set = new Set()))
  set.add(listener)
  return () => set.delete(listener)
}

function notifyQueued(store: Store): void {
  const set = listeners.get(store.sqlite)
  if (set) for (const listener of set) listener()
}
