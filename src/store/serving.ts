/** What /health reports of the store. */
export interface StoreProbe {
  reachable: boolean
  /** Highest punch id: proves the punches table answers, in O(1) even with millions of rows. */
  lastPunchId: number | null
  error?: string
}

/**
 * What `attend serve` asks of the engine beyond the sections (docs/architecture.md, "The store
 * port"): the upkeep a long-running server does that a command does not, and the read /health
 * makes. SQLite tunes its connection and checkpoints the WAL on a thread of its own; PostgreSQL
 * needs neither (its server does that work) and probes through the pool.
 */
export interface StoreServing {
  /** The server is listening: tune for serving and start the background upkeep. Never throws; problems go to `onError`. */
  start(onError: (message: string) => void): Promise<void>
  /** The server has drained: stop the upkeep and leave the store self-contained. Safe to call twice. */
  stop(): Promise<void>
  /** A real read of the store, for GET /health: a missing, locked-out or unreachable store shows here. */
  probe(): Promise<StoreProbe>
}

export function unreachable(error: unknown): StoreProbe {
  return {reachable: false, lastPunchId: null, error: error instanceof Error ? error.message : String(error)}
}
