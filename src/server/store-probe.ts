import type Database from 'better-sqlite3'

import type {Store} from '../db/open.js'

interface ProbeStatements {
  lastPunch: Database.Statement<[], {last: number | null}>
  receivedAt: Database.Statement<[number], {receivedAt: number}>
}

// Prepared once per connection: preparing costs more than running these one-row reads.
const prepared = new WeakMap<Database.Database, ProbeStatements>()

function statements(store: Store): ProbeStatements {
  let st = prepared.get(store.sqlite)
  if (!st) {
    st = {
      lastPunch: store.sqlite.prepare('SELECT max(id) AS last FROM punches'),
      receivedAt: store.sqlite.prepare('SELECT received_at AS receivedAt FROM punches WHERE id = ?'),
    }
    prepared.set(store.sqlite, st)
  }
  return st
}

export interface StoreProbe {
  reachable: boolean
  /** Highest punch id: proves the punches table answers, in O(1) even with millions of rows. */
  lastPunchId: number | null
  error?: string
}

/** A real read of the store for /health: a missing, locked-out or damaged file shows here. */
export function probeStore(store: Store): StoreProbe {
  try {
    const row = statements(store).lastPunch.get()
    return {reachable: true, lastPunchId: row?.last ?? null}
  } catch (error) {
    return {reachable: false, lastPunchId: null, error: error instanceof Error ? error.message : String(error)}
  }
}

/** When a stored punch was received (v1 answers a repeated POST with the original created_at). */
export function punchReceivedAt(store: Store, punchId: number): number | undefined {
  return statements(store).receivedAt.get(punchId)?.receivedAt
}

/**
 * Folds the WAL back into the database file and truncates it, so a stopped server leaves one
 * self-contained file (backups by copying it are then complete).
 */
export function checkpointStore(store: Store): void {
  if (store.sqlite.open && store.path !== ':memory:') store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
}
