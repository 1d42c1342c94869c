import type Database from 'better-sqlite3'

import type {Store} from './open.js'

/** What a revision covers; see storeRevisions in schema.ts for the tables behind each. */
export type RevisionScope = 'site' | 'api_keys' | 'people' | 'webhooks'

const statements = new WeakMap<Database.Database, Database.Statement<[RevisionScope], number>>()

/** Revisions read once per pinned span (see withRevisionsPinned), per connection. */
const pinned = new WeakMap<Database.Database, Map<RevisionScope, number>>()

/**
 * Runs `fn` with every revision read at most once: the server's group commit runs a whole group of
 * requests under one pin, so the caches behind the site context are checked once per group instead
 * of once per request. The group's own jobs never write the tables behind a revision (they store
 * punches, device users, options, commands), so nothing the pin hides can change inside it; the
 * next group reads afresh. Nested calls share the outer pin.
 */
export function withRevisionsPinned<T>(store: Store, fn: () => T): T {
  if (pinned.has(store.sqlite)) return fn()
  pinned.set(store.sqlite, new Map())
  try {
    return fn()
  } finally {
    pinned.delete(store.sqlite)
  }
}

/** The scope's current revision: changes whenever one of its tables is written, by any connection. */
export function storeRevision(store: Store, scope: RevisionScope): number {
  const pin = pinned.get(store.sqlite)
  if (pin) {
    const known = pin.get(scope)
    if (known !== undefined) return known
    const revision = readRevision(store, scope)
    pin.set(scope, revision)
    return revision
  }
  return readRevision(store, scope)
}

function readRevision(store: Store, scope: RevisionScope): number {
  let statement = statements.get(store.sqlite)
  if (!statement) {
    statement = store.sqlite.prepare('SELECT revision FROM store_revisions WHERE scope = ?').pluck() as Database.Statement<[RevisionScope], number>
    statements.set(store.sqlite, statement)
  }
  // A missing row (a store someone edited by hand) reads as "always changed": never a stale cache.
  return statement.get(scope) ?? Number.NaN
}

/**
 * Memoizes `load` per connection until the scope's tables change. The value is shared between
 * callers, so it must be treated as read-only.
 */
export function cachedByRevision<T>(scope: RevisionScope, load: (store: Store) => T): (store: Store) => T {
  const cache = new WeakMap<Database.Database, {revision: number; value: T}>()
  return (store) => {
    const revision = storeRevision(store, scope)
    const hit = cache.get(store.sqlite)
    // NaN never equals itself, so a store without the row reloads every time.
    if (hit && hit.revision === revision) return hit.value
    const value = load(store)
    cache.set(store.sqlite, {revision, value})
    return value
  }
}
