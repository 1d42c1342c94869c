import type {Store} from '../../db/open.js'
import type {Writes} from './writes.js'
import type {EndpointWithCounts, WebhooksSection} from '../webhooks.js'
import {
  allEndpoints,
  countDeliveries,
  deleteEndpointRows,
  endpointCounts,
  findDelivery,
  findEndpoint,
  insertClaimedEvent,
  insertEndpoint,
  requeueDelivery,
  requeueFailed,
  selectAttempts,
  selectDeliveries,
  updateEndpointRow,
} from './webhook-rows.js'

const NO_COUNTS = {pending: 0, failed: 0, delivered: 0, lastDeliveredAt: null}

function withCounts(store: Store, id: number): EndpointWithCounts | undefined {
  const endpoint = findEndpoint(store, id)
  return endpoint && {endpoint, counts: endpointCounts(store).get(id) ?? NO_COUNTS}
}

/**
 * Webhook administration on SQLite: the row functions of `webhook-rows.ts`, each write one job of
 * `writes` (the process's group commit), reads at once on the connection.
 */
export function sqliteWebhooks(store: Store, writes: Writes): WebhooksSection {
  const urlOf = (id: number) => findEndpoint(store, id)?.url ?? ''
  return {
    addEndpoint: (values) => writes.run(() => insertEndpoint(store, values)),

    async listEndpoints() {
      const counts = endpointCounts(store)
      return allEndpoints(store).map((endpoint) => ({endpoint, counts: counts.get(endpoint.id) ?? NO_COUNTS}))
    },

    findEndpoint: async (id) => withCounts(store, id),

    updateEndpoint: (id, patch) => writes.run(() => (updateEndpointRow(store, id, patch) ? withCounts(store, id) : undefined)),

    rotateSecret: (id, secret, previousUntil, now) =>
      writes.run(() => {
        const current = findEndpoint(store, id)
        if (!current) return undefined
        updateEndpointRow(store, id, {secret, previousSecret: current.secret, previousSecretUntil: previousUntil, updatedAt: now})
        return withCounts(store, id)
      }),

    removeEndpoint: (id) =>
      writes.run(() => {
        const removed = withCounts(store, id)
        return removed && {removed, ...deleteEndpointRows(store, id)}
      }),

    async listDeliveries(filter, now) {
      const urls = new Map(allEndpoints(store).map((row) => [row.id, row.url]))
      const total = countDeliveries(store, filter)
      const rows = selectDeliveries(store, {...filter, limit: filter.limit ?? -1, now})
      return {total, rows: rows.map((row) => ({...row, url: urls.get(row.webhookId) ?? ''}))}
    },

    async findDelivery(id, now) {
      const row = findDelivery(store, id, now)
      return row && {...row, url: urlOf(row.webhookId), attemptLog: selectAttempts(store, id)}
    },

    redeliver: (id, now) =>
      writes.run(() => {
        if (!findDelivery(store, id, now)) return 'missing' as const
        if (!requeueDelivery(store, id, now)) return 'in_flight' as const
        const row = findDelivery(store, id, now)!
        return {...row, url: urlOf(row.webhookId)}
      }),

    requeueFailed: (webhookId, since, now) => writes.run(() => (findEndpoint(store, webhookId) ? requeueFailed(store, webhookId, since, now) : undefined)),

    queueClaimedEvent: (event, webhookId, owner, now, leaseMs) => writes.run(() => insertClaimedEvent(store, event, webhookId, owner, now, leaseMs)),
  }
}
