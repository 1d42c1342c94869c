import type {Store} from '../db/open.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's store writes go through here (see GroupCommit). */
    writes: GroupCommit
  }
}

interface Job {
  work: () => unknown
  resolve(value: unknown): void
  reject(error: unknown): void
}

type Outcome = {ok: true; value: unknown} | {ok: false; error: unknown}

/**
 * Group commit for the server's writes. A commit costs more than storing one punch (the WAL frames
 * of every index page it touched, the lock), and a busy site's devices push in parallel: so the
 * write work of every request whose body arrived in the same event-loop turn runs in one
 * transaction, each request in its own savepoint. A request that throws rolls back only its own
 * savepoint and gets its error; the others commit. No request is answered before the commit that
 * holds its punches, so an acknowledged punch is durable exactly as with one transaction each.
 *
 * The work runs synchronously inside the flush, never across an await: the write lock is held for
 * the length of the batch, not for an event-loop turn, so a cron `attend import` waiting on the
 * busy timeout gets its turn between batches.
 */
export class GroupCommit {
  private pending: Job[] = []
  private scheduled = false

  constructor(
    private readonly store: Store,
    private readonly limits: {
      /** Requests per transaction at most. */
      maxJobs: number
      /**
       * Once a transaction has run this long, it commits before taking the next request: a burst of
       * large uploads never holds the write lock long enough to time out a CLI import waiting on it.
       */
      maxMs: number
    } = {maxJobs: 100, maxMs: 100},
  ) {}

  /** Runs `work` in the next group transaction; resolves with its result once that has committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({work, resolve: resolve as (value: unknown) => void, reject})
      if (!this.scheduled) {
        this.scheduled = true
        // setImmediate, not a microtask: it runs after the poll phase has delivered every request
        // that arrived in this turn, which is what makes a group.
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    while (this.pending.length > 0) this.commitNext()
  }

  /** Commits the next group: up to maxJobs of the pending requests, fewer if they take long. */
  private commitNext(): void {
    const batch = this.pending.splice(0, this.limits.maxJobs)
    const outcomes: Outcome[] = []
    const started = performance.now()
    try {
      this.store.transaction(() => {
        for (const job of batch) {
          if (outcomes.length > 0 && performance.now() - started >= this.limits.maxMs) break
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failure undoes only this job.
            outcomes.push({ok: true, value: this.store.transaction(job.work)})
          } catch (error) {
            outcomes.push({ok: false, error})
          }
        }
      })
    } catch (error) {
      // The transaction could not start or commit (lock not obtained within the busy timeout, disk
      // full): nothing of the group is stored, so no request may claim it was.
      for (const job of batch) job.reject(error)
      return
    }
    // Requests the time limit left out go first into the next group.
    this.pending.unshift(...batch.slice(outcomes.length))
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value)
      else batch[i].reject(outcome.error)
    })
  }
}
