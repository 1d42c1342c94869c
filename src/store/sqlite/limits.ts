import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {windowCount, windowRows, type RateLimits} from '../limits.js'

const statements = perConnection((sqlite) => ({
  hits: sqlite.prepare('SELECT hits FROM rate_limits WHERE key = ?').pluck(),
  count: sqlite
    .prepare('INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET hits = hits + 1 RETURNING hits')
    .pluck(),
  prune: sqlite.prepare('DELETE FROM rate_limits WHERE expires_at <= ?'),
}))

/**
 * Rate-limit counters on SQLite. Unlike the other sections' writes these do not wait for the group
 * commit: a request is admitted or refused before its work starts, and a group round (a turn of the
 * event loop, then the whole group's work) in front of every request would double its latency. The
 * check-and-count is instead its own short immediate transaction, run synchronously between groups
 * (no group is ever open across an await); in WAL mode with synchronous=NORMAL its commit writes
 * the WAL without syncing, so it costs microseconds.
 */
export function sqliteLimits(store: Store): RateLimits {
  const read = (rows: ReturnType<typeof windowRows>) => rows.map((row) => windowCount(row, (statements(store).hits.get(row.key) as number | undefined) ?? 0))
  return {
    async consume(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      return store.transaction(() => {
        const current = read(rows)
        if (current.some((w) => w.hits >= w.max)) return {counted: false, windows: current}
        const s = statements(store)
        return {counted: true, windows: rows.map((row) => windowCount(row, s.count.get(row.key, row.resetAt) as number))}
      })
    },
    async hit(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      return store.transaction(() => rows.map((row) => windowCount(row, statements(store).count.get(row.key, row.resetAt) as number)))
    },
    peek: async (subject, windows, now) => read(windowRows(subject, windows, now)),
    prune: async (now) => store.transaction(() => statements(store).prune.run(now).changes),
  }
}
