import {asc, eq, inArray} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {webhookAttempts, webhookDeliveries, webhooks} from '../../db/schema.js'
import type {EndpointCounts, NewWebhookEndpoint, WebhookEndpoint, WebhookEndpointPatch} from '../webhooks.js'
import type {WebhookEvent} from '../../webhooks/events.js'
import {insertEvent} from './webhooks/outbox.js'
import {attemptUpdate, type AttemptRecord, type AttemptRow, type Claim, type DeliveryRow, type DeliveryStatus} from '../../webhooks/deliveries-store.js'

/**
 * The webhook tables on SQLite: endpoints, and the deliveries' claiming, attempts, listing,
 * re-queueing and pruning. Each function is a short piece of work in the caller's transaction; the
 * adapters (`webhook-queue.ts`, `webhooks.ts`) run them through the group commit.
 */

export function insertEndpoint(store: Store, values: NewWebhookEndpoint): WebhookEndpoint {
  return store.db.insert(webhooks).values(values).returning().get()
}

export function findEndpoint(store: Store, id: number): WebhookEndpoint | undefined {
  return store.db.select().from(webhooks).where(eq(webhooks.id, id)).get()
}

export function allEndpoints(store: Store): WebhookEndpoint[] {
  return store.db.select().from(webhooks).orderBy(asc(webhooks.id)).all()
}

export function updateEndpointRow(store: Store, id: number, values: WebhookEndpointPatch): WebhookEndpoint | undefined {
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

/** Active endpoints with their in-flight cap, for the deliverer's claims. */
export function activeEndpoints(store: Store): {id: number; maxInFlight: number}[] {
  return store.db.select({id: webhooks.id, maxInFlight: webhooks.maxInFlight}).from(webhooks).where(eq(webhooks.active, true)).orderBy(asc(webhooks.id)).all()
}

const statements = perConnection((sqlite) => ({
  inFlight: sqlite.prepare('SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND lease_until > ?').pluck(),
  // Rows whose lease ran out (their deliverer died mid-attempt) are due again: at least once.
  claim: sqlite.prepare(
    `UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @until
     WHERE id IN (
       SELECT id FROM webhook_deliveries
       WHERE webhook_id = @endpoint AND status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
       ORDER BY next_attempt_at, id LIMIT @limit)
     RETURNING id, event, attempts, next_attempt_at AS nextAttemptAt`,
  ),
  endpoint: sqlite.prepare(
    'SELECT url, secret, previous_secret AS previousSecret, previous_secret_until AS previousSecretUntil, active, max_in_flight AS maxInFlight FROM webhooks WHERE id = ?',
  ),
  event: sqlite.prepare('SELECT event_id AS eventId, type, body FROM webhook_events WHERE id = ?'),
  attemptLog: sqlite.prepare(
    `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error, response)
     VALUES (@deliveryId, @attempt, @attemptedAt, @statusCode, @durationMs, @error, @response)`,
  ),
  // Only while the lease is still ours: a deliverer that lost it (it stalled past the lease and
  // another took the row over) must not overwrite the newer attempt's outcome.
  finish: sqlite.prepare(
    `UPDATE webhook_deliveries SET status = @status, attempts = @attempt, next_attempt_at = @nextAttemptAt, last_status = @statusCode,
       last_error = @error, last_attempt_at = @attemptedAt, delivered_at = @deliveredAt, lease_owner = NULL, lease_until = NULL
     WHERE id = @deliveryId AND lease_owner = @owner`,
  ),
  due: sqlite
    .prepare(
      `SELECT 1 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE w.active = 1 AND d.status = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now) LIMIT 1`,
    )
    .pluck(),
}))

/**
 * Takes up to `limit` due deliveries of one endpoint for `owner` until `now + leaseMs`, never more
 * than the endpoint's in-flight cap counting every deliverer's unexpired leases. One statement takes
 * the rows, so two deliverers never hold the same one: in SQLite the write lock serializes claims;
 * the PostgreSQL port selects the ids `FOR UPDATE SKIP LOCKED` and locks the endpoint row first so
 * the in-flight count cannot be raced.
 */
export function claimDue(store: Store, claim: {endpointId: number; owner: string; now: number; leaseMs: number; limit: number}): Claim {
  const s = statements(store)
  const endpoint = s.endpoint.get(claim.endpointId) as
    | {url: string; secret: string; previousSecret: string | null; previousSecretUntil: number | null; active: number; maxInFlight: number}
    | undefined
  if (!endpoint || !endpoint.active) return {claimed: [], capped: false}
  const free = Math.min(claim.limit, endpoint.maxInFlight - (s.inFlight.get(claim.endpointId, claim.now) as number))
  if (free <= 0) return {claimed: [], capped: true}
  const rows = s.claim.all({owner: claim.owner, until: claim.now + claim.leaseMs, endpoint: claim.endpointId, now: claim.now, limit: free}) as {
    id: number
    event: number
    attempts: number
    nextAttemptAt: number
  }[]
  // RETURNING gives the rows in table order, not the subquery's: oldest due first, as promised.
  rows.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
  const claimed = rows.map((row) => {
    const event = s.event.get(row.event) as {eventId: string; type: string; body: string}
    return {
      id: row.id, webhookId: claim.endpointId, eventId: event.eventId, eventType: event.type, body: event.body, attempt: row.attempts + 1,
      url: endpoint.url, secret: endpoint.secret, previousSecret: endpoint.previousSecret, previousSecretUntil: endpoint.previousSecretUntil,
    }
  })
  return {claimed, capped: false}
}

/** Whether anything is due for an active endpoint (a read, so an idle deliverer writes nothing). */
export function hasDueDeliveries(store: Store, now: number): boolean {
  return statements(store).due.get({now}) !== undefined
}



/**
 * Logs the attempt and moves the delivery on: delivered, due again later, or failed; a 410
 * disables the endpoint with the reason. Returns whether this attempt disabled it.
 */
export function recordAttempt(store: Store, record: AttemptRecord, now: number): {disabled: boolean} {
  const s = statements(store)
  s.attemptLog.run({
    deliveryId: record.deliveryId, attempt: record.attempt, attemptedAt: record.attemptedAt, statusCode: record.statusCode,
    durationMs: record.durationMs, error: record.error, response: record.response,
  })
  const {disableReason, ...update} = attemptUpdate(record, now)
  s.finish.run({deliveryId: record.deliveryId, owner: record.owner, ...update})
  if (disableReason) return {disabled: disableEndpointRow(store, record.webhookId, disableReason, now)}
  return {disabled: false}
}


const DELIVERY_COLUMNS = `d.id, d.webhook_id AS webhookId, e.event_id AS eventId, e.type AS eventType, d.status, d.attempts,
  d.next_attempt_at AS nextAttemptAt, d.last_status AS lastStatus, d.last_error AS lastError, d.last_attempt_at AS lastAttemptAt,
  d.created_at AS createdAt, d.delivered_at AS deliveredAt, (d.lease_until IS NOT NULL AND d.lease_until > @now) AS leased`

type RawDeliveryRow = Omit<DeliveryRow, 'leased'> & {leased: number}

function toDeliveryRow(row: RawDeliveryRow): DeliveryRow {
  return {...row, leased: row.leased === 1}
}

/** Deliveries newest first, one page of them (`limit` -1: all), and how many match in all. */
export function selectDeliveries(
  store: Store,
  filter: {webhookId?: number; status?: DeliveryStatus; limit: number; offset?: number; now: number},
): DeliveryRow[] {
  const rows = store.sqlite
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event
       ${deliveryWhere(filter)} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({webhookId: filter.webhookId, status: filter.status, limit: filter.limit, offset: filter.offset ?? 0, now: filter.now}) as RawDeliveryRow[]
  return rows.map(toDeliveryRow)
}

export function countDeliveries(store: Store, filter: {webhookId?: number; status?: DeliveryStatus}): number {
  const row = store.sqlite
    .prepare(`SELECT count(*) AS total FROM webhook_deliveries d ${deliveryWhere(filter)}`)
    .get({webhookId: filter.webhookId, status: filter.status}) as {total: number}
  return row.total
}

function deliveryWhere(filter: {webhookId?: number; status?: DeliveryStatus}): string {
  const where: string[] = []
  if (filter.webhookId !== undefined) where.push('d.webhook_id = @webhookId')
  if (filter.status !== undefined) where.push('d.status = @status')
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
}

export function findDelivery(store: Store, id: number, now: number): (DeliveryRow & {body: string}) | undefined {
  const row = store.sqlite
    .prepare(`SELECT ${DELIVERY_COLUMNS}, e.body FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event WHERE d.id = @id`)
    .get({id, now}) as (RawDeliveryRow & {body: string}) | undefined
  return row && {...toDeliveryRow(row), body: row.body}
}

export function selectAttempts(store: Store, deliveryId: number): AttemptRow[] {
  return store.sqlite
    .prepare(
      `SELECT attempt, attempted_at AS attemptedAt, status_code AS statusCode, duration_ms AS durationMs, error, response
       FROM webhook_attempts WHERE delivery_id = ? ORDER BY id`,
    )
    .all(deliveryId) as AttemptRow[]
}

/**
 * Due again now, with a fresh schedule (the same event, so the same id and body). Not while an
 * attempt is in flight: that one's outcome is still to be recorded.
 */
export function requeueDelivery(store: Store, id: number, now: number): boolean {
  return (
    store.sqlite
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, delivered_at = NULL, lease_owner = NULL, lease_until = NULL
         WHERE id = @id AND (lease_until IS NULL OR lease_until <= @now)`,
      )
      .run({id, now}).changes === 1
  )
}

/** Failed deliveries of an endpoint created since `since` → due again now, each with a fresh schedule. */
export function requeueFailed(store: Store, webhookId: number, since: number, now: number): number {
  return store.sqlite
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL, lease_until = NULL
       WHERE webhook_id = @webhookId AND status = 'failed' AND created_at >= @since`,
    )
    .run({webhookId, since, now}).changes
}

/**
 * Deletes up to `limit` deliveries delivered before `before`, their attempts, and the events left
 * without a delivery. Returns how many deliveries went; callers repeat while it returns `limit`,
 * each batch a short transaction.
 */
export function pruneDelivered(store: Store, before: number, limit: number): number {
  // A delivered row's next_attempt_at is when it was delivered: the due index finds them per endpoint.
  const ids = store.sqlite
    .prepare(
      `SELECT d.id, d.event FROM webhooks w JOIN webhook_deliveries d ON d.webhook_id = w.id AND d.status = 'delivered' AND d.next_attempt_at < ? LIMIT ?`,
    )
    .all(before, limit) as {id: number; event: number}[]
  if (ids.length === 0) return 0
  const attempts = store.sqlite.prepare('DELETE FROM webhook_attempts WHERE delivery_id = ?')
  const delivery = store.sqlite.prepare('DELETE FROM webhook_deliveries WHERE id = ?')
  const orphan = store.sqlite.prepare('DELETE FROM webhook_events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE event = ?)')
  for (const {id} of ids) {
    attempts.run(id)
    delivery.run(id)
  }
  for (const event of new Set(ids.map((row) => row.event))) orphan.run(event, event)
  return ids.length
}

/** An event for one endpoint alone, claimed at once by `owner` (`attend webhooks test`). */
export function insertClaimedEvent(store: Store, event: WebhookEvent, webhookId: number, owner: string, now: number, leaseMs: number): number {
  const eventRow = insertEvent(store, event, [webhookId], now)
  const row = store.sqlite.prepare('SELECT id FROM webhook_deliveries WHERE event = ?').get(eventRow) as {id: number}
  store.sqlite.prepare('UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?').run(owner, now + leaseMs, row.id)
  return row.id
}
