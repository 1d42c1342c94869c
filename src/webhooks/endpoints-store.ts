import {asc, eq, inArray} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {cachedByRevision} from '../db/revisions.js'
import {webhookAttempts, webhookDeliveries, webhooks} from '../db/schema.js'

/**
 * The endpoints' rows. Every query of webhook endpoints is here, in a few functions that take the
 * store (or the caller's transaction) explicitly, so a second store engine ports them one by one.
 */

export type WebhookRow = typeof webhooks.$inferSelect
export type NewWebhook = Omit<typeof webhooks.$inferInsert, 'id'>

export function insertEndpoint(store: Store, values: NewWebhook): WebhookRow {
  return store.db.insert(webhooks).values(values).returning().get()
}

export function findEndpoint(store: Store, id: number): WebhookRow | undefined {
  return store.db.select().from(webhooks).where(eq(webhooks.id, id)).get()
}

export function allEndpoints(store: Store): WebhookRow[] {
  return store.db.select().from(webhooks).orderBy(asc(webhooks.id)).all()
}

export function updateEndpointRow(store: Store, id: number, values: Partial<NewWebhook>): WebhookRow {
  return store.db.update(webhooks).set(values).where(eq(webhooks.id, id)).returning().get()
}

/** Disables an endpoint that is still active (a 410); false when it already was disabled. */
export function disableEndpointRow(store: Store, id: number, reason: string, now: number): boolean {
  const result = store.sqlite.prepare('UPDATE webhooks SET active = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND active = 1').run(reason, now, id)
  return result.changes === 1
}

/** Deletes an endpoint with its deliveries, their attempts, and the events no other endpoint still has. */
export function deleteEndpointRows(store: Store, id: number): {deliveries: number} {
  const deliveries = store.db.select({id: webhookDeliveries.id}).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).all()
  const ids = deliveries.map((d) => d.id)
  for (let i = 0; i < ids.length; i += 500) store.db.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids.slice(i, i + 500))).run()
  store.db.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).run()
  store.sqlite.prepare('DELETE FROM webhook_events WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = webhook_events.id)').run()
  store.db.delete(webhooks).where(eq(webhooks.id, id)).run()
  return {deliveries: ids.length}
}

export interface EndpointCounts {
  pending: number
  failed: number
  delivered: number
  lastDeliveredAt: number | null
}

export function endpointCounts(store: Store): Map<number, EndpointCounts> {
  const rows = store.sqlite
    .prepare(
      `SELECT webhook_id AS id, sum(status = 'pending') AS pending, sum(status = 'failed') AS failed, sum(status = 'delivered') AS delivered,
         max(delivered_at) AS lastDeliveredAt
       FROM webhook_deliveries GROUP BY webhook_id`,
    )
    .all() as ({id: number} & EndpointCounts)[]
  return new Map(rows.map(({id, ...counts}) => [id, counts]))
}

/**
 * Event type → the active endpoints subscribed to it. Read on every change that could queue an
 * event, so cached per connection until an endpoint changes (the `webhooks` revision, written by
 * triggers): with no endpoint at all, queueing an event costs one map lookup.
 */
export const subscriptions: (store: Store) => ReadonlyMap<string, readonly number[]> = cachedByRevision('webhooks', (store) =>
  subscriptionMap(store.db.select({id: webhooks.id, events: webhooks.events}).from(webhooks).where(eq(webhooks.active, true)).all()),
)

/** Event type → endpoint ids, from the active endpoints' rows (`events`: their JSON array of types). */
export function subscriptionMap(rows: readonly {id: number; events: string}[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  for (const row of rows) {
    for (const type of JSON.parse(row.events) as string[]) {
      let ids = map.get(type)
      if (!ids) map.set(type, (ids = []))
      ids.push(row.id)
    }
  }
  return map
}

/** Active endpoints with their in-flight cap, for the deliverer's claims. */
export function activeEndpoints(store: Store): {id: number; maxInFlight: number}[] {
  return store.db.select({id: webhooks.id, maxInFlight: webhooks.maxInFlight}).from(webhooks).where(eq(webhooks.active, true)).orderBy(asc(webhooks.id)).all()
}
