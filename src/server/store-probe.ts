import type Database from 'better-sqlite3'

import type {Store} from '../db/open.js'

// Prepared once per connection: preparing costs more than running this one-row read.
const prepared = new WeakMap<Database.Database, Database.Statement<[number], {receivedAt: number}>>()

/** When a stored punch was received (v1 answers a repeated POST with the original created_at). */
export function punchReceivedAt(store: Store, punchId: number): number | undefined {
  let statement = prepared.get(store.sqlite)
  if (!statement) prepared.set(store.sqlite, (statement = store.sqlite.prepare('SELECT received_at AS receivedAt FROM punches WHERE id = ?')))
  return statement.get(punchId)?.receivedAt
}
