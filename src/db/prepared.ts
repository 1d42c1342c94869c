import type Database from 'better-sqlite3'

import type {Store} from './open.js'

/**
 * Statements prepared once per connection and kept with it: the hot paths (ingest, presence, the
 * outbox, claims) run a few statements each time, and preparing them costs more than running them.
 */
export function perConnection<T>(prepare: (sqlite: Database.Database) => T): (store: Store) => T {
  const prepared = new WeakMap<Database.Database, T>()
  return (store) => {
    let statements = prepared.get(store.sqlite)
    if (!statements) {
      statements = prepare(store.sqlite)
      prepared.set(store.sqlite, statements)
    }
    return statements
  }
}
