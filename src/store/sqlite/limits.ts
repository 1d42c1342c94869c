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
 * Rate-limit counters on SQLite. The check-and-count of a request is a write like any other, done in
 * the group commit's transaction (a commit of its own per request cost more than the rest of the
 * count). The requests that arrive in one turn of the event loop are checked together in one job:
 * each counter is read once, the requests are allotted their slots in arrival order in memory, and
 * each counter is written once with what the group added. The transaction is IMMEDIATE (it holds
 * the write lock from its start), so no other process counts between the read and the write: the
 * counts each request gets back are exact, as one upsert per request would give, at a fraction of
 * the cost under load (fifty requests for one API key are one read and one write).
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
      if (current === undefined) hits.set(row.key, (current = (s.hits.get(row.key) as number | undefined) ?? 0))
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

  return {
    consume(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
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
