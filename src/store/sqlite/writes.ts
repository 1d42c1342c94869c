import type {PunchChanges} from './ingest/changes.js'

/** What a write job gets from the transaction it runs in. */
export interface WriteUnit {
  /**
   * Where the job's pipeline calls put what they change (`ingestPunches(…, {changes})`): the punch
   * subscribers (attendance recompute, webhook outbox) run once for the whole transaction.
   */
  readonly changes: PunchChanges
  /** "Now" of the transaction: the recompute's pending/absent cut-off for every punch in it. */
  readonly now: number
}

/**
 * Where a long-running process sends its store writes: the server's group commit
 * (src/store/sqlite/group-commit.ts). Agent pulls and the webhook deliverer write through it, so in
 * `attend serve` they share the request's transactions instead of taking the write lock on their
 * own between them; the CLI gives them a group commit of their own.
 */
export interface Writes {
  /** Runs `work` in the next transaction; resolves with its result once that has committed. */
  run<T>(work: (unit: WriteUnit) => T): Promise<T>
  /** A write nobody waits for; a failure is reported, not thrown. */
  defer(work: (unit: WriteUnit) => void, what: string): void
}
