import type {Store} from '../../db/open.js'
import type {Writes} from './writes.js'
import {onQueued} from './webhooks/outbox.js'
import {activeEndpoints, claimDue, hasDueDeliveries, pruneDelivered, recordAttempt} from './webhook-rows.js'
import type {WebhookQueue} from '../webhook-queue.js'

/**
 * The webhook queue on SQLite: the synchronous repository functions, the writes sent through
 * `writes` (the server's group commit, or the CLI's own), so a deliverer never takes the write lock
 * between the requests' transactions. Reads run at once on the connection.
 */
export function sqliteWebhookQueue(store: Store, writes: Writes): WebhookQueue {
  return {
    activeEndpoints: async () => activeEndpoints(store),
    hasDue: async (now) => hasDueDeliveries(store, now),
    claimDue: (request) => writes.run(() => claimDue(store, request)),
    recordAttempt: (record, now) => writes.run(() => recordAttempt(store, record, now)),
    pruneDelivered: (before, limit) => writes.run(() => pruneDelivered(store, before, limit)),
    onQueued: (listener) => onQueued(store, listener),
  }
}
