import type {RevisionScope} from '../db/revisions.js'

/**
 * The store revisions through the port (docs/architecture.md, "The store port"): each scope's
 * revision changes whenever one of its tables is written, by any process on the store, so a cache
 * kept against it is dropped by another server's writes as well as by this one's.
 */
export interface StoreRevisions {
  /** The scope's revision now; NaN when the store has no row for it (never equal, never stale). */
  current(scope: RevisionScope): Promise<number>
}

/**
 * Memoizes `load` until the scope's revision moves. The revision is read before loading: a write
 * that lands between the two leaves a newer value under the older revision, which the next call
 * sees as changed and loads again, so a cached value is never older than its revision. The value
 * is shared between callers and must be treated as read-only.
 */
export function cachedByRevision<T>(revisions: StoreRevisions, scope: RevisionScope, load: () => Promise<T>): () => Promise<T> {
  let hit: {revision: number; value: T} | undefined
  return async () => {
    const revision = await revisions.current(scope)
    if (hit && hit.revision === revision) return hit.value
    const value = await load()
    hit = {revision, value}
    return value
  }
}
