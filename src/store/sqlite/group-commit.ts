import type {Store} from '../../db/open.js'
import {withRevisionsPinned} from '../../db/revisions.js'
import {PunchChanges} from './ingest/changes.js'
import type {PunchSubscriber} from '../../punches/events.js'
import {forgetResolvedEmployees} from './ingest/pipeline.js'
import type {WriteUnit, Writes} from './writes.js'

export type {WriteUnit} from './writes.js'

interface Job {
  work: (unit: WriteUnit) => unknown
  resolve(value: unknown): void
  reject(error: unknown): void
}

type Outcome = {ok: true; value: unknown; changes: PunchChanges} | {ok: false; error: unknown}

/** A subscriber failure while finishing a group: the group is retried job by job to isolate it. */
class SubscriberFailure extends Error {}

export interface GroupCommitOptions {
  /** Requests per transaction at most. */
  maxJobs: number
  /**
   * Once a transaction has run this long, it commits before taking the next request: a burst of
   * large uploads never holds the write lock long enough to time out a CLI import waiting on it.
   */
  maxMs: number
  /** "Now" of each group (the server's clock). */
  now: () => number
  /** The monotonic clock maxMs is measured on (milliseconds); injectable so tests need no timing. */
  elapsedClock: () => number
  /** Where a deferred write's failure is reported (nobody awaits it). */
  onDeferredError?: (error: unknown, what: string) => void
  /** Who hears of the group's punch changes (default: defaultPunchSubscribers). */
  subscribers?: readonly PunchSubscriber[]
}

/**
 * Group commit for every write of the server. A commit costs more than storing one punch (the WAL
 * frames of every index page it touched, the lock), and a busy site's devices push in parallel: so
 * the write work of every request whose body arrived in the same event-loop turn runs in one
 * transaction, each request in its own savepoint. A request that throws rolls back only its own
 * savepoint and gets its error; the others commit. No request is answered before the commit that
 * holds its punches, so an acknowledged punch is durable exactly as with one transaction each.
 *
 * Per group, not per request: the cache revisions are read once (withRevisionsPinned), and the
 * punch changes of every request in the group are published once to the subscribers (recompute,
 * webhook outbox), inside the same transaction and before any of them is answered
 * (docs/architecture.md, "Group commit").
 *
 * The work runs synchronously inside the flush, never across an await: the write lock is held for
 * the length of the batch, not for an event-loop turn, so a cron `attend import` waiting on the
 * busy timeout gets its turn between batches.
 */
export class GroupCommit implements Writes {
  private pending: Job[] = []
  private scheduled = false
  private readonly limits: GroupCommitOptions

  constructor(
    private readonly store: Store,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.limits = {maxJobs: 100, maxMs: 100, now: () => Date.now(), elapsedClock: () => performance.now(), ...options}
  }

  /** Runs `work` in the next group transaction; resolves with its result once that has committed. */
  run<T>(work: (unit: WriteUnit) => T): Promise<T> {
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

  /**
   * A write nobody waits for (a device's last-seen time, an API key's last use): it joins the next
   * group like any other, and a failure is reported, not thrown.
   */
  defer(work: (unit: WriteUnit) => void, what: string): void {
    this.run(work).catch((error: unknown) => this.limits.onDeferredError?.(error, what))
  }

  private flush(): void {
    this.scheduled = false
    while (this.pending.length > 0) this.commitNext()
  }

  /** Commits the next group: up to maxJobs of the pending requests, fewer if they take long. */
  private commitNext(): void {
    const batch = this.pending.splice(0, this.limits.maxJobs)
    let outcomes: Outcome[]
    try {
      outcomes = this.commit(batch, true)
    } catch (error) {
      forgetResolvedEmployees(this.store)
      if (!(error instanceof SubscriberFailure)) {
        // The transaction could not start or commit (lock not obtained within the busy timeout,
        // disk full): nothing of the group is stored, so no request may claim it was.
        for (const job of batch) job.reject(error)
        return
      }
      // A subscriber failed on the group's punches: nothing was committed. Each job runs again
      // alone, so the one whose punches it cannot take gets the error and the others commit.
      outcomes = batch.map((job) => this.commitAlone(job))
    }
    // Requests the time limit left out go first into the next group.
    this.pending.unshift(...batch.slice(outcomes.length))
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value)
      else batch[i].reject(outcome.error)
    })
  }

  private commitAlone(job: Job): Outcome {
    try {
      return this.commit([job], false)[0]
    } catch (error) {
      return {ok: false, error: error instanceof SubscriberFailure ? error.cause : error}
    }
  }

  /** One transaction: each job in its own savepoint, then the subscribers once over what they changed. */
  private commit(batch: readonly Job[], timeLimited: boolean): Outcome[] {
    const outcomes: Outcome[] = []
    const started = this.limits.elapsedClock()
    const now = this.limits.now()
    withRevisionsPinned(this.store, () =>
      this.store.transaction(() => {
        for (const job of batch) {
          if (timeLimited && outcomes.length > 0 && this.limits.elapsedClock() - started >= this.limits.maxMs) break
          const unit: WriteUnit = {changes: new PunchChanges(), now}
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failure undoes only this job.
            outcomes.push({ok: true, value: this.store.transaction(() => job.work(unit)), changes: unit.changes})
          } catch (error) {
            forgetResolvedEmployees(this.store)
            outcomes.push({ok: false, error})
          }
        }
        const changes = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.changes] : []))
        try {
          PunchChanges.publish(this.store, changes, now, this.limits.subscribers)
        } catch (error) {
          throw new SubscriberFailure('A punch subscriber failed', {cause: error})
        }
      }),
    )
    return outcomes
  }
}
