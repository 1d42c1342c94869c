import type {Store} from '../../db/open.js'
import type {PunchSubscriber} from '../../punches/events.js'
import {ingestPunchesInTransaction, newIngestCache} from './ingest/pipeline.js'
import type {CanonicalPunch, IngestOptions, IngestResult} from '../../punches/types.js'

/** Work per write transaction at most: what `attend serve` may have to wait for the lock. */
export const SLICE_MS = 100
/** Punches per pipeline call inside a slice: the unit the time budget is checked against. */
const CHUNK = 1000

export const emptyResult = (): IngestResult => ({outcomes: [], stored: 0, duplicates: 0, rejected: 0, unmapped: 0})

/**
 * An import's writes, in transactions of at most SLICE_MS of work each (docs/architecture.md,
 * "Import"). A transaction is synchronous from BEGIN to COMMIT and never spans an await, so the
 * write lock is never held while the file is read; between two slices the event loop turns, which
 * is also where a concurrent `attend serve` finds the lock free (its busy handler retries while the
 * import reads and parses the next lines). Chunks run as savepoints through the one pipeline, so a
 * chunk that fails rolls back alone, as before.
 */
export class SliceWriter {
  constructor(
    private readonly store: Store,
    private readonly subscribers?: readonly PunchSubscriber[],
    private readonly budgetMs = SLICE_MS,
  ) {}

  /**
   * Stores `punches`; outcomes come back in input order. `inSlice` runs inside each transaction with
   * the totals so far (the import records its progress there, so a killed run leaves real counts).
   */
  async write(punches: readonly CanonicalPunch[], options: IngestOptions, inSlice?: (sofar: IngestResult) => void): Promise<IngestResult> {
    const total = emptyResult()
    // One batch resolves each device and person once, whatever the number of slices.
    const sliceOptions: IngestOptions = {...options, cache: options.cache ?? newIngestCache()}
    let next = 0
    while (next < punches.length) {
      if (next > 0) await new Promise((resolve) => setImmediate(resolve))
      this.store.transaction(() => {
        const started = performance.now()
        let chunkMs = 0
        do {
          const chunkStarted = performance.now()
          const part = punches.slice(next, next + CHUNK)
          add(total, ingestPunchesInTransaction(this.store, part, sliceOptions, this.subscribers), next)
          next += part.length
          chunkMs = performance.now() - chunkStarted
          // Stop before a chunk that would take the slice past its budget.
        } while (next < punches.length && performance.now() - started + chunkMs <= this.budgetMs)
        inSlice?.(total)
      })
    }
    return total
  }
}

/** Adds a call's result to the totals; `offset` is where the call's punches start in the batch. */
export function add(into: IngestResult, result: IngestResult, offset = 0): void {
  for (const outcome of result.outcomes) into.outcomes.push(outcome)
  if (result.rejections) {
    into.rejections ??= []
    for (const {index, reason} of result.rejections) into.rejections.push({index: index + offset, reason})
  }
  into.stored += result.stored
  into.duplicates += result.duplicates
  into.rejected += result.rejected
  into.unmapped += result.unmapped
}
