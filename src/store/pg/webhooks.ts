import type pg from 'pg'

import type {PgDatabase} from '../../db/pg/open.js'
import type {DeliveryRow, DeliveryStatus} from '../../webhooks/deliveries-store.js'
import type {EndpointCounts, EndpointWithCounts, WebhookEndpoint, WebhookEndpointPatch, WebhooksSection} from '../webhooks.js'
import {inTransaction} from './transaction.js'

const ENDPOINT_COLUMNS = `id, url, description, events, secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil", active,
  disabled_reason AS "disabledReason", max_in_flight AS "maxInFlight", created_at AS "createdAt", updated_at AS "updatedAt"`

/** The patchable columns: property → column. */
const PATCH_COLUMNS: {[K in keyof WebhookEndpointPatch]-?: string} = {
  url: 'url', description: 'description', events: 'events', secret: 'secret', previousSecret: 'previous_secret',
  previousSecretUntil: 'previous_secret_until', active: 'active', disabledReason: 'disabled_reason', maxInFlight: 'max_in_flight', updatedAt: 'updated_at',
}

const COUNT_COLUMNS = `count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
  count(*) FILTER (WHERE status = 'delivered')::int AS delivered, max(delivered_at) AS "lastDeliveredAt"`

const NO_COUNTS: EndpointCounts = {pending: 0, failed: 0, delivered: 0, lastDeliveredAt: null}

function deliveryColumns(now: string): string {
  return `d.id, d.webhook_id AS "webhookId", e.event_id AS "eventId", e.type AS "eventType", d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt",
    d.last_status AS "lastStatus", d.last_error AS "lastError", d.last_attempt_at AS "lastAttemptAt", d.created_at AS "createdAt",
    d.delivered_at AS "deliveredAt", coalesce(d.lease_until > ${now}, false) AS leased`
}

async function withCounts(client: pg.ClientBase, id: number): Promise<EndpointWithCounts | undefined> {
  const {rows} = await client.query<WebhookEndpoint>(`SELECT ${ENDPOINT_COLUMNS} FROM webhooks WHERE id = $1`, [id])
  if (rows.length === 0) return undefined
  const counts = await client.query<EndpointCounts>(`SELECT ${COUNT_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1`, [id])
  return {endpoint: rows[0], counts: counts.rows[0] ?? NO_COUNTS}
}

function deliveryWhere(filter: {webhookId?: number; status?: DeliveryStatus}, params: unknown[]): string {
  const where: string[] = []
  if (filter.webhookId !== undefined) where.push(`d.webhook_id = $${params.push(filter.webhookId)}`)
  if (filter.status !== undefined) where.push(`d.status = $${params.push(filter.status)}`)
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
}

async function findDeliveryRow(client: pg.ClientBase, id: number, now: number): Promise<(DeliveryRow & {body: string; url: string}) | undefined> {
  const {rows} = await client.query<DeliveryRow & {body: string; url: string}>(
    `SELECT ${deliveryColumns('$2')}, e.body, w.url FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event JOIN webhooks w ON w.id = d.webhook_id
     WHERE d.id = $1`,
    [id, now],
  )
  return rows[0]
}

/** Webhook administration on PostgreSQL: plain SQL, each operation one transaction (or one statement). */
export function pgWebhooks(database: PgDatabase): WebhooksSection {
  const {pool} = database
  return {
    async addEndpoint(values) {
      const {rows} = await pool.query<WebhookEndpoint>(
        `INSERT INTO webhooks (url, description, events, secret, active, max_in_flight, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, coalesce($6::int, 4), $7, $8) RETURNING ${ENDPOINT_COLUMNS}`,
        [values.url, values.description, values.events, values.secret, values.active, values.maxInFlight ?? null, values.createdAt, values.updatedAt],
      )
      return rows[0]
    },

    listEndpoints: () =>
      inTransaction(pool, async (client) => {
        // One snapshot for both reads, so the counts are of the endpoints listed.
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
        const endpoints = await client.query<WebhookEndpoint>(`SELECT ${ENDPOINT_COLUMNS} FROM webhooks ORDER BY id`)
        const counts = await client.query<EndpointCounts & {id: number}>(`SELECT webhook_id AS id, ${COUNT_COLUMNS} FROM webhook_deliveries GROUP BY webhook_id`)
        const byId = new Map(counts.rows.map(({id, ...c}) => [id, c]))
        return endpoints.rows.map((endpoint) => ({endpoint, counts: byId.get(endpoint.id) ?? NO_COUNTS}))
      }),

    findEndpoint: (id) => inTransaction(pool, (client) => withCounts(client, id)),

    updateEndpoint: (id, patch) =>
      inTransaction(pool, async (client) => {
        const params: unknown[] = [id]
        const sets = Object.entries(patch)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${PATCH_COLUMNS[key as keyof WebhookEndpointPatch]} = $${params.push(value)}`)
        const updated = await client.query(`UPDATE webhooks SET ${sets.join(', ')} WHERE id = $1`, params)
        return updated.rowCount === 1 ? withCounts(client, id) : undefined
      }),

    rotateSecret: (id, secret, previousUntil, now) =>
      inTransaction(pool, async (client) => {
        // previous_secret takes the value the row has when the update runs: two rotations queue on the row.
        const updated = await client.query('UPDATE webhooks SET previous_secret = secret, secret = $2, previous_secret_until = $3, updated_at = $4 WHERE id = $1', [
          id, secret, previousUntil, now,
        ])
        return updated.rowCount === 1 ? withCounts(client, id) : undefined
      }),

    removeEndpoint: (id) =>
      inTransaction(pool, async (client) => {
        const locked = await client.query('SELECT 1 FROM webhooks WHERE id = $1 FOR UPDATE', [id])
        if (locked.rowCount === 0) return undefined
        const removed = (await withCounts(client, id))!
        await client.query('DELETE FROM webhook_attempts a USING webhook_deliveries d WHERE a.delivery_id = d.id AND d.webhook_id = $1', [id])
        const deliveries = await client.query<{event: number}>('DELETE FROM webhook_deliveries WHERE webhook_id = $1 RETURNING event', [id])
        await client.query(
          'DELETE FROM webhook_events e WHERE e.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = e.id)',
          [[...new Set(deliveries.rows.map((row) => row.event))]],
        )
        await client.query('DELETE FROM webhooks WHERE id = $1', [id])
        return {removed, deliveries: deliveries.rowCount ?? 0}
      }),

    listDeliveries: (filter, now) =>
      inTransaction(pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
        const countParams: unknown[] = []
        const total = await client.query<{total: number}>(`SELECT count(*)::int AS total FROM webhook_deliveries d ${deliveryWhere(filter, countParams)}`, countParams)
        const params: unknown[] = [now]
        const where = deliveryWhere(filter, params)
        const {rows} = await client.query<DeliveryRow & {url: string}>(
          `SELECT ${deliveryColumns('$1')}, w.url FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event JOIN webhooks w ON w.id = d.webhook_id
           ${where} ORDER BY d.id DESC LIMIT $${params.push(filter.limit ?? null)} OFFSET $${params.push(filter.offset ?? 0)}`,
          params,
        )
        return {total: total.rows[0].total, rows}
      }),

    findDelivery: (id, now) =>
      inTransaction(pool, async (client) => {
        const row = await findDeliveryRow(client, id, now)
        if (!row) return undefined
        const attempts = await client.query(
          `SELECT attempt, attempted_at AS "attemptedAt", status_code AS "statusCode", duration_ms AS "durationMs", error, response
           FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`,
          [id],
        )
        return {...row, attemptLog: attempts.rows}
      }),

    redeliver: (id, now) =>
      inTransaction(pool, async (client) => {
        // The row lock waits for a claim or an attempt being recorded: the lease seen next is current.
        const current = await client.query<{leaseUntil: number | null}>('SELECT lease_until AS "leaseUntil" FROM webhook_deliveries WHERE id = $1 FOR UPDATE', [id])
        if (current.rows.length === 0) return 'missing' as const
        const leaseUntil = current.rows[0].leaseUntil
        if (leaseUntil !== null && leaseUntil > now) return 'in_flight' as const
        await client.query(
          `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, delivered_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1`,
          [id, now],
        )
        const row = (await findDeliveryRow(client, id, now))!
        const {body: _body, ...view} = row
        return view
      }),

    requeueFailed: (webhookId, since, now) =>
      inTransaction(pool, async (client) => {
        const endpoint = await client.query('SELECT 1 FROM webhooks WHERE id = $1', [webhookId])
        if (endpoint.rowCount === 0) return undefined
        const updated = await client.query(
          `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, lease_owner = NULL, lease_until = NULL
           WHERE webhook_id = $1 AND status = 'failed' AND created_at >= $2`,
          [webhookId, since, now],
        )
        return updated.rowCount ?? 0
      }),

    queueClaimedEvent: (event, webhookId, owner, now, leaseMs) =>
      inTransaction(pool, async (client) => {
        const inserted = await client.query<{id: number}>('INSERT INTO webhook_events (event_id, type, created_at, body) VALUES ($1, $2, $3, $4) RETURNING id', [
          event.id, event.type, event.createdAt, event.body,
        ])
        const delivery = await client.query<{id: number}>(
          `INSERT INTO webhook_deliveries (webhook_id, event, status, attempts, next_attempt_at, created_at, lease_owner, lease_until)
           VALUES ($1, $2, 'pending', 0, $3, $3, $4, $5) RETURNING id`,
          [webhookId, inserted.rows[0].id, now, owner, now + leaseMs],
        )
        return delivery.rows[0].id
      }),
  }
}
