import type {PgDatabase} from '../../db/pg/open.js'
import {attemptUpdate, type ClaimedDelivery} from '../../webhooks/deliveries-store.js'
import type {WebhookQueue} from '../webhook-queue.js'
import {inTransaction} from './transaction.js'

interface EndpointRow {
  url: string
  secret: string
  previousSecret: string | null
  previousSecretUntil: number | null
  active: boolean
  maxInFlight: number
}

/**
 * The webhook queue on PostgreSQL, where deliverers of several servers claim from one table at
 * once (docs/architecture.md, "The store port"). A claim is one transaction: the endpoint's row is
 * locked first (`FOR NO KEY UPDATE`, which the foreign-key checks of new deliveries do not wait
 * for), so two claimers of one endpoint count its in-flight leases one after the other and the cap
 * holds; the due rows are then taken `FOR UPDATE SKIP LOCKED`, so a row another transaction is
 * recording or re-queueing is passed over rather than waited on.
 */
export function pgWebhookQueue(database: PgDatabase): WebhookQueue {
  const {pool} = database
  return {
    async activeEndpoints() {
      const {rows} = await pool.query<{id: number; maxInFlight: number}>(
        'SELECT id, max_in_flight AS "maxInFlight" FROM webhooks WHERE active ORDER BY id',
      )
      return rows
    },

    async hasDue(now) {
      const {rows} = await pool.query(
        `SELECT 1 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE w.active AND d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1) LIMIT 1`,
        [now],
      )
      return rows.length > 0
    },

    claimDue: (request) =>
      inTransaction(pool, async (client) => {
        const endpoints = await client.query<EndpointRow>(
          `SELECT url, secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil", active, max_in_flight AS "maxInFlight"
           FROM webhooks WHERE id = $1 FOR NO KEY UPDATE`,
          [request.endpointId],
        )
        const endpoint = endpoints.rows[0]
        if (!endpoint || !endpoint.active) return {claimed: [], capped: false}
        const held = await client.query<{n: number}>('SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1 AND lease_until > $2', [
          request.endpointId,
          request.now,
        ])
        const free = Math.min(request.limit, endpoint.maxInFlight - held.rows[0].n)
        if (free <= 0) return {claimed: [], capped: true}
        const {rows} = await client.query<{id: number; attempts: number; nextAttemptAt: number; eventId: string; type: string; body: string}>(
          `WITH due AS (
             SELECT id FROM webhook_deliveries
             WHERE webhook_id = $1 AND status = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
             ORDER BY next_attempt_at, id LIMIT $3
             FOR UPDATE SKIP LOCKED)
           UPDATE webhook_deliveries d SET lease_owner = $4, lease_until = $5
           FROM due, webhook_events e
           WHERE d.id = due.id AND e.id = d.event
           RETURNING d.id, d.attempts, d.next_attempt_at AS "nextAttemptAt", e.event_id AS "eventId", e.type, e.body`,
          [request.endpointId, request.now, free, request.owner, request.now + request.leaseMs],
        )
        // RETURNING keeps no order: oldest due first, as on SQLite.
        rows.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
        const claimed: ClaimedDelivery[] = rows.map((row) => ({
          id: row.id, webhookId: request.endpointId, eventId: row.eventId, eventType: row.type, body: row.body, attempt: row.attempts + 1,
          url: endpoint.url, secret: endpoint.secret, previousSecret: endpoint.previousSecret, previousSecretUntil: endpoint.previousSecretUntil,
        }))
        return {claimed, capped: false}
      }),

    recordAttempt: (record, now) =>
      inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error, response) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [record.deliveryId, record.attempt, record.attemptedAt, record.statusCode, record.durationMs, record.error, record.response],
        )
        const update = attemptUpdate(record, now)
        // Only while the lease is still ours: a holder that stalled past it must not overwrite the
        // outcome of the attempt that took the row over.
        await client.query(
          `UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, last_status = $4, last_error = $5, last_attempt_at = $6,
             delivered_at = $7, lease_owner = NULL, lease_until = NULL
           WHERE id = $8 AND lease_owner = $9`,
          [update.status, update.attempt, update.nextAttemptAt, update.statusCode, update.error, update.attemptedAt, update.deliveredAt, record.deliveryId, record.owner],
        )
        if (!update.disableReason) return {disabled: false}
        const disabled = await client.query('UPDATE webhooks SET active = false, disabled_reason = $1, updated_at = $2 WHERE id = $3 AND active', [
          update.disableReason,
          now,
          record.webhookId,
        ])
        return {disabled: disabled.rowCount === 1}
      }),

    pruneDelivered: (before, limit) =>
      inTransaction(pool, async (client) => {
        // A delivered row's next_attempt_at is when it was delivered: the due index finds them per
        // endpoint. Rows another pruner holds are left to it.
        const {rows} = await client.query<{id: number; event: number}>(
          `SELECT d.id, d.event FROM webhooks w JOIN webhook_deliveries d ON d.webhook_id = w.id AND d.status = 'delivered' AND d.next_attempt_at < $1
           LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
          [before, limit],
        )
        if (rows.length === 0) return 0
        const ids = rows.map((row) => row.id)
        await client.query('DELETE FROM webhook_attempts WHERE delivery_id = ANY($1::bigint[])', [ids])
        await client.query('DELETE FROM webhook_deliveries WHERE id = ANY($1::bigint[])', [ids])
        await client.query(
          'DELETE FROM webhook_events e WHERE e.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = e.id)',
          [[...new Set(rows.map((row) => row.event))]],
        )
        return rows.length
      }),
  }
}
