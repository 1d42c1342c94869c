import {eq} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {cachedByRevision} from '../../db/revisions.js'
import {webhooks} from '../../db/schema.js'
import {subscriptionMap} from '../../webhooks/endpoints-store.js'

/**
 * Event type → the active endpoints subscribed to it, on SQLite. Read on every change that could
 * queue an event, so cached per connection until an endpoint changes (the `webhooks` revision,
 * written by triggers): with no endpoint at all, queueing an event costs one map lookup.
 */
export const subscriptions: (store: Store) => ReadonlyMap<string, readonly number[]> = cachedByRevision('webhooks', (store) =>
  subscriptionMap(store.db.select({id: webhooks.id, events: webhooks.events}).from(webhooks).where(eq(webhooks.active, true)).all()),
)
