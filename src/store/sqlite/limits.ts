import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import type {Writes} from './writes.js'
import {windowCount, windowRows, type RateLimits, type WindowRow} from '../limits.js'

const statements = perConnection((sqlite) => ({
  hits: sqlite.prepare('SELECT hits FROM rate_limits WHERE key = ?').pluck(),
  count: sqlite
    .prepare('INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET hits = hits + 1 RETURNING hits')
    .pluck(),
  add: sqlite.prepare('INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hits = hits + excluded.hits'),
  prune: sqlite.prepare('DELETE FROM rate_limits WHERE expires_at <= ?'),
}))

/** A request's check-and-count waiting for the group commit's next transaction. */
interface PendingConsume {
  rows: WindowRow[]
  resolve(result: Consumed): void
  reject(error: unknown): void
}

type Consumed = Awaited<ReturnType<RateLimits['consume']>>

/**
 * Rate-limit counters on SQLite, shared by every process on the file. Far from a limit (more than
 * `exactWithin` left in every window) a request's count is decided at once against the committed
 * count plus what this process admitted and has not written yet, and written with the next group
 * commit — the one the request's own writes join — so counting costs the request no transaction of
 * its own (a job of its own per request cost a tenth of `attend serve`'s throughput, bench/serve.js);
 * the server answers only once that count is committed (Consumption.written). Near a limit the
 * requests of one event-loop turn are one job of the group commit: each counter is read once, the
 * requests are allotted their slots in arrival order in memory and each counter is written once
 * with what they added; the transaction is IMMEDIATE, so the counts are exact whatever other
 * process counts the same key (docs/architecture.md, "The store port").
 */
export function sqliteLimits(store: Store, writes: Writes): RateLimits {
  const read = (rows: ReturnType<typeof windowRows>) => rows.map((row) => windowCount(row, (statements(store).hits.get(row.key) as number | undefined) ?? 0))
  let batch: PendingConsume[] | undefined

  const consumeAll = (pending: readonly PendingConsume[]): Consumed[] => {
    const s = statements(store)
    const hits = new Map<string, number>()
    const added = new Map<string, {resetAt: number; count: number}>()
    const hitsOf = (row: WindowRow) => {
      let current = hits.get(row.key)
      if (current === undefined) hits.set(row.key, (current = ((s.hits.get(row.key) as number | undefined) ?? 0) + (unwritten.get(row.key) ?? 0)))
      return current
    }
    const results = pending.map(({rows}): Consumed => {
      const current = rows.map((row) => windowCount(row, hitsOf(row)))
      if (current.some((w) => w.hits >= w.max)) return {counted: false, windows: current}
      for (const row of rows) {
        hits.set(row.key, hitsOf(row) + 1)
        const entry = added.get(row.key)
        if (entry) entry.count++
        else added.set(row.key, {resetAt: row.resetAt, count: 1})
      }
      return {counted: true, windows: rows.map((row) => windowCount(row, hitsOf(row)))}
    })
    for (const [key, {resetAt, count}] of added) s.add.run(key, count, resetAt)
    return results
  }

  /** Counts admitted in memory whose write has not committed yet, by row key. */
  const unwritten = new Map<string, number>()
  let writeBehind: {counts: Map<string, {resetAt: number; count: number}>; written: Promise<unknown>} | undefined

  /** Queues `rows`' counts for the next group's transaction; resolves once committed. */
  const writeLater = (rows: readonly WindowRow[]): Promise<unknown> => {
    if (!writeBehind) {
      const counts = new Map<string, {resetAt: number; count: number}>()
      const settle = () => {
        for (const [key, {count}] of counts) {
          const left = (unwritten.get(key) ?? 0) - count
          if (left > 0) unwritten.set(key, left)
          else unwritten.delete(key)
        }
      }
      let settled = false
      const written = writes.run(() => {
        writeBehind = undefined
        const s = statements(store)
        for (const [key, {resetAt, count}] of counts) s.add.run(key, count, resetAt)
        // In the rows from here on: a check later in this transaction must not count them twice.
        settle()
        settled = true
      })
      writeBehind = {counts, written}
      // A count that could not be written is forgotten (its request is answered anyway): lenient,
      // never stuck; a write refused before it ran leaves the next request a fresh batch.
      written.catch(() => {
        if (writeBehind?.written === written) writeBehind = undefined
        if (!settled) settle()
      })
    }
    for (const row of rows) {
      unwritten.set(row.key, (unwritten.get(row.key) ?? 0) + 1)
      const entry = writeBehind.counts.get(row.key)
      if (entry) entry.count++
      else writeBehind.counts.set(row.key, {resetAt: row.resetAt, count: 1})
    }
    return writeBehind.written
  }

  return {
    consume(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      // Far from every limit the count is decided here, against what is committed plus what this
      // process has admitted and not yet written, and written with the next group (the one the
      // request's own writes join): the request does not wait a transaction for its count. Near a
      // limit, check and count are one job of the group commit's IMMEDIATE transaction, exact
      // whatever other process counts too.
      const s = statements(store)
      const current = rows.map((row) => windowCount(row, ((s.hits.get(row.key) as number | undefined) ?? 0) + (unwritten.get(row.key) ?? 0)))
      if (current.every((w) => w.max - w.hits > exactWithin(w.max))) {
        const written = writeLater(rows)
        return Promise.resolve({counted: true, windows: current.map((w) => ({...w, hits: w.hits + 1})), written})
      }
      return new Promise<Consumed>((resolve, reject) => {
        if (!batch) {
          const pending: PendingConsume[] = (batch = [])
          writes
            .run(() => {
              // Requests arriving from here on wait for the next transaction.
              batch = undefined
              return consumeAll(pending)
            })
            .then(
              (results) => results.forEach((result, i) => pending[i].resolve(result)),
              (error: unknown) => {
                // Refused before the job ran (a closed store): the next request starts a new batch.
                if (batch === pending) batch = undefined
                pending.forEach((p) => p.reject(error))
              },
            )
        }
        batch.push({rows, resolve, reject})
      })
    },
    async hit(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      return writes.run(() => rows.map((row) => windowCount(row, statements(store).count.get(row.key, row.resetAt) as number)))
    },
    peek: async (subject, windows, now) => read(windowRows(subject, windows, now)),
    prune: (now) => writes.run(() => statements(store).prune.run(now).changes),
  }
}

/**
 * How close to its max a window is counted exactly (one job per turn, see sqliteLimits): a tenth of
 * the max, at least 100 requests — more than one server admits in one event-loop turn, so another
 * process counting the same key at the same moment cannot carry it past the max unseen.
 */
function exactWithin(max: number): number {
  return Math.max(100, Math.ceil(max / 10))
}
