import type {PgDatabase} from '../../db/pg/open.js'
import {windowCount, windowRows, type RateLimits, type WindowRow} from '../limits.js'

type Consumed = Awaited<ReturnType<RateLimits['consume']>>

const COUNT = `INSERT INTO rate_limits (key, hits, expires_at) SELECT key, 1, expires_at FROM w
  ON CONFLICT (key) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING key, hits`

const WINDOWS = 'w AS (SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]) WITH ORDINALITY AS w(key, max, expires_at, n))'

/**
 * Rate-limit counters on PostgreSQL: each operation is one statement. The consume checks for room
 * in its snapshot and counts with an upsert that adds to the row as committed by then (a
 * conflicting upsert waits for the other's commit and re-reads the row), so the counts returned are
 * exact across servers; two servers that both saw the last free slot are told apart by the count
 * (docs/architecture.md, "The store port").
 */
export function pgLimits(database: PgDatabase): RateLimits {
  const {pool} = database
  const params = (rows: WindowRow[]) => [rows.map((r) => r.key), rows.map((r) => r.max), rows.map((r) => r.resetAt)]
  const byKey = (rows: WindowRow[], hits: {key: string; hits: number | null}[]) => {
    const map = new Map(hits.map((h) => [h.key, h.hits ?? 0]))
    return rows.map((row) => windowCount(row, map.get(row.key) ?? 0))
  }
  /** Counts `requests` requests at once when every window has room for all of them, else none. */
  const consumeMany = async (rows: WindowRow[], requests: number) => {
    const {rows: result} = await pool.query<{key: string; hits: number | null; counted: boolean}>(
      `WITH ${WINDOWS},
       room AS (SELECT bool_and(coalesce(r.hits, 0) + $4::int <= w.max) AS ok FROM w LEFT JOIN rate_limits r ON r.key = w.key),
       counted AS (INSERT INTO rate_limits (key, hits, expires_at) SELECT key, $4::int, expires_at FROM w WHERE (SELECT ok FROM room) ORDER BY n
         ON CONFLICT (key) DO UPDATE SET hits = rate_limits.hits + $4::int RETURNING key, hits)
       SELECT w.key, coalesce(c.hits, r.hits, 0) AS hits, c.key IS NOT NULL AS counted
       FROM w LEFT JOIN counted c ON c.key = w.key LEFT JOIN rate_limits r ON r.key = w.key`,
      [...params(rows), requests],
    )
    return {counted: result.every((r) => r.counted), hits: result}
  }
  const consumeOne = async (rows: WindowRow[]) => {
    const {counted, hits} = await consumeMany(rows, 1)
    return {counted, windows: byKey(rows, hits)}
  }

  /**
   * The consumes of one event-loop turn for the same subject and windows (fifty requests of one
   * integration's key) are one statement: counted together when every window has room for all of
   * them, each told its own count in arrival order; near a limit, one at a time as before, so a
   * refused request never uses up a window.
   */
  const turns = new Map<string, {rows: WindowRow[]; waiting: {resolve(value: Consumed): void; reject(error: unknown): void}[]}>()
  const consumeTogether = async (rows: WindowRow[], waiting: {resolve(value: Consumed): void; reject(error: unknown): void}[]) => {
    try {
      if (waiting.length > 1) {
        const {counted, hits} = await consumeMany(rows, waiting.length)
        if (counted) {
          const final = byKey(rows, hits)
          waiting.forEach((w, i) => w.resolve({counted: true, windows: final.map((win) => ({...win, hits: win.hits - waiting.length + i + 1}))}))
          return
        }
      }
      for (const w of waiting) await consumeOne(rows).then(w.resolve, w.reject)
    } catch (error) {
      for (const w of waiting) w.reject(error)
    }
  }

  return {
    consume(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      const key = JSON.stringify(rows)
      return new Promise<Consumed>((resolve, reject) => {
        let turn = turns.get(key)
        if (!turn) {
          turns.set(key, (turn = {rows, waiting: []}))
          const waiting = turn.waiting
          setImmediate(() => {
            turns.delete(key)
            void consumeTogether(rows, waiting)
          })
        }
        turn.waiting.push({resolve, reject})
      })
    },
    async hit(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      const {rows: result} = await pool.query<{key: string; hits: number}>(`WITH ${WINDOWS} ${COUNT.replace('FROM w', 'FROM w ORDER BY n')}`, params(rows))
      return byKey(rows, result)
    },
    async peek(subject, windows, now) {
      const rows = windowRows(subject, windows, now)
      const {rows: result} = await pool.query<{key: string; hits: number}>('SELECT key, hits FROM rate_limits WHERE key = ANY($1::text[])', [rows.map((r) => r.key)])
      return byKey(rows, result)
    },
    async prune(now) {
      const {rowCount} = await pool.query('DELETE FROM rate_limits WHERE expires_at <= $1', [now])
      return rowCount ?? 0
    },
  }
}
