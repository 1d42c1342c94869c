import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import type {Writes} from './writes.js'
import {windowCount, windowRows, type RateLimits} from '../limits.js'

const statements = perConnection((sqlite) => ({
  hits: sqlite.prepare('SELECT hits FROM rate_limits WHERE key = ?').pluck(),
  count: sqlite
    .prepare('INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET hits = hits + 1 RETURNING hits')
    .pluck(),
  prune: sqlite.prepare('DELETE FROM rate_limits WHERE expires_at <= ?'),
}))

/**
 * Rate-limit counters on SQLite. The check-and-count of a request is a job of the group commit like
 * any write: the requests that arrived in one turn of the event loop are counted in one
 * transaction (a commit of its own per request cost more than the rest of the count), and a job
 * runs alone in its savepoint, so the check and the count see no other request between them.
 */
export function sqliteLimits(store: Store, writes: Writes): RateLimits {
  const read = (rows: ReturnType<typeof windowRows>) => rows.map((row) => windowCount(row, (statements(store).hits.get(row.key) as number | undefined) ?? 0))
  return {
    async consume(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      return writes.run(() => {
        const current = read(rows)
        if (current.some((w) => w.hits >= w.max)) return {counted: false, windows: current}
        const s = statements(store)
        return {counted: true, windows: rows.map((row) => windowCount(row, s.count.get(row.key, row.resetAt) as number))}
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
