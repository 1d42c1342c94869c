import type pg from 'pg'

import {buildEvent, type OutgoingEvent} from '../../webhooks/events.js'
import {subscriptionMap} from '../../webhooks/endpoints-store.js'
import {transactionOf} from './transaction.js'

/**
 * The webhook outbox on PostgreSQL, for adapters whose changes queue events: in the caller's
 * transaction (`client`), one `webhook_events` row per event with its exact body and one pending
 * delivery per active endpoint subscribed to its type, as on SQLite (docs/architecture.md,
 * "Webhooks"). Returns the number of deliveries queued.
 */
export async function queueEvents(client: pg.ClientBase, events: readonly OutgoingEvent[], now: number): Promise<number> {
  if (events.length === 0) return 0
  const subscribed = await subscriptionsIn(client)
  let queued = 0
  for (const event of events) {
    const endpoints = subscribed.get(event.type)
    if (!endpoints) continue
    const built = buildEvent(event)
    const inserted = await client.query<{id: number}>('INSERT INTO webhook_events (event_id, type, created_at, body) VALUES ($1, $2, $3, $4) RETURNING id', [
      built.id,
      built.type,
      built.createdAt,
      built.body,
    ])
    await client.query(
      `INSERT INTO webhook_deliveries (webhook_id, event, status, attempts, next_attempt_at, created_at)
       SELECT endpoint, $2, 'pending', 0, $3, $3 FROM unnest($1::bigint[]) AS endpoint`,
      [endpoints, inserted.rows[0].id, now],
    )
    queued += endpoints.length
  }
  return queued
}

const subscriptionsByTransaction = new WeakMap<object, Promise<Map<string, number[]>>>()

/**
 * Who is subscribed to what, read once per transaction: an ingest queues `attendance.created` and
 * then the days' `attendance_day.updated` in the same one, and the endpoints cannot change under
 * it in a way its events should follow (an endpoint added meanwhile starts with the next).
 */
function subscriptionsIn(client: pg.ClientBase): Promise<Map<string, number[]>> {
  const read = () => client.query<{id: number; events: string}>('SELECT id, events FROM webhooks WHERE active').then(({rows}) => subscriptionMap(rows))
  const transaction = transactionOf(client)
  if (!transaction) return read()
  let subscribed = subscriptionsByTransaction.get(transaction)
  if (!subscribed) subscriptionsByTransaction.set(transaction, (subscribed = read()))
  return subscribed
}
