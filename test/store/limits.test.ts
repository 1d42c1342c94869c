import {describe, expect, it} from 'vitest'

import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import type {RateLimits} from '../../src/store/limits.js'
import {pgLimits} from '../../src/store/pg/limits.js'
import {sqliteLimits} from '../../src/store/sqlite/limits.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: its counters, another process's on the same store, and a raw read. */
interface Engine {
  limits: RateLimits
  other: RateLimits
  all<T>(sql: string): Promise<T[]>
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
// 10:15 UTC: the hour's window runs from 10:00, the day's from midnight.
const NOW = Date.UTC(2026, 2, 12, 10, 15)
const HOUR_START = Date.UTC(2026, 2, 12, 10)
const DAY_START = Date.UTC(2026, 2, 12)

const hits = (windows: {hits: number}[]) => windows.map((w) => w.hits)

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function limitsContract(engine: () => Engine): void {
  it('counts in fixed windows, every window of a subject at once, and says when each starts over', async () => {
    const windows = [{windowMs: DAY, max: 5}, {windowMs: HOUR, max: 2}]
    const first = await engine().limits.consume('key:1', windows, NOW)
    // Shortest window first, whatever order the limits came in.
    expect(first).toEqual({counted: true, windows: [{windowMs: HOUR, max: 2, hits: 1, resetAt: HOUR_START + HOUR}, {windowMs: DAY, max: 5, hits: 1, resetAt: DAY_START + DAY}]})
    expect(hits((await engine().other.consume('key:1', windows, NOW + 1)).windows)).toEqual([2, 2])
    // The hour is full: refused, and the day's count is not used up by the refusal.
    expect(await engine().limits.consume('key:1', windows, NOW + 2)).toMatchObject({counted: false, windows: [{hits: 2}, {hits: 2}]})
    expect(hits(await engine().other.peek('key:1', windows, NOW + 3))).toEqual([2, 2])
    // Another subject counts on its own; the next hour starts over, the day goes on.
    expect(hits((await engine().limits.consume('key:2', windows, NOW)).windows)).toEqual([1, 1])
    expect(hits((await engine().limits.consume('key:1', windows, HOUR_START + HOUR)).windows)).toEqual([1, 3])
  })

  it('counts the requests of one turn together: exact counts in arrival order; near the limit, one by one, a refusal using nothing up', async () => {
    // One set of counters, as a server has (requests of one turn share a statement or a job).
    const {limits, other} = engine()
    const windows = [{windowMs: HOUR, max: 3}, {windowMs: DAY, max: 10}]
    const together = await Promise.all(Array.from({length: 2}, () => limits.consume('key:8', windows, NOW)))
    expect(together.map((r) => [r.counted, ...hits(r.windows)])).toEqual([[true, 1, 1], [true, 2, 2]])
    // Five more at once: one fits the hour, so they are counted one at a time; the day had two.
    const results = await Promise.all(Array.from({length: 5}, (_, i) => limits.consume('key:8', windows, NOW + i)))
    expect(results.map((r) => r.counted)).toEqual([true, false, false, false, false])
    expect(results.map((r) => hits(r.windows))).toEqual([[3, 3], [3, 3], [3, 3], [3, 3], [3, 3]])
    expect(hits(await other.peek('key:8', windows, NOW + 9))).toEqual([3, 3])
  })

  it('counts two limits over the same length once, holding the smaller', async () => {
    const result = await engine().limits.consume('device:7', [{windowMs: HOUR, max: 100}, {windowMs: HOUR, max: 1}], NOW)
    expect(result).toEqual({counted: true, windows: [{windowMs: HOUR, max: 1, hits: 1, resetAt: HOUR_START + HOUR}]})
    expect((await engine().limits.consume('device:7', [{windowMs: HOUR, max: 100}, {windowMs: HOUR, max: 1}], NOW)).counted).toBe(false)
  })

  it('hits count whether or not there is room (failed sign-ins), and peeks count nothing', async () => {
    const window = [{windowMs: 60_000, max: 2}]
    for (let i = 1; i <= 3; i++) expect(hits(await engine().limits.hit('auth-failures:10.0.0.9', window, NOW))).toEqual([i])
    expect(hits(await engine().other.peek('auth-failures:10.0.0.9', window, NOW))).toEqual([3])
    expect(hits(await engine().other.peek('auth-failures:10.0.0.8', window, NOW))).toEqual([0])
  })

  it('prunes the windows that have ended, and only those', async () => {
    await engine().limits.hit('a', [{windowMs: 60_000, max: 1}, {windowMs: HOUR, max: 1}], NOW)
    expect(await engine().other.prune(NOW + 59_999)).toBe(0)
    expect(await engine().other.prune(NOW + 60_000)).toBe(1)
    expect(await engine().all<{key: string}>('SELECT key FROM rate_limits')).toEqual([{key: `a@${HOUR}:${HOUR_START}`}])
    expect(await engine().limits.prune(HOUR_START + HOUR)).toBe(1)
    expect(await engine().all('SELECT key FROM rate_limits')).toEqual([])
  })

  it('holds one limit across two processes counting at once: the requests admitted add up to the max', async () => {
    const windows = [{windowMs: HOUR, max: 25}, {windowMs: DAY, max: 1000}]
    const attempts = Array.from({length: 80}, (_, i) => (i % 2 === 0 ? engine().limits : engine().other).consume('key:shared', windows, NOW))
    const results = await Promise.all(attempts)
    // Admitted: counted and within every max (one that raced past the last slot is refused by its count).
    const admitted = results.filter((r) => r.counted && r.windows.every((w) => w.hits <= w.max))
    expect(admitted).toHaveLength(25)
    // Every count handed out once: 1 … n, no two requests told the same count.
    const counts = results.filter((r) => r.counted).map((r) => r.windows[0].hits).sort((a, b) => a - b)
    expect(counts).toEqual(Array.from({length: counts.length}, (_, i) => i + 1))
    expect(hits(await engine().limits.peek('key:shared', windows, NOW))).toEqual([counts.length, counts.length])
  })
}

describe('rate-limit counters (SQLite)', () => {
  const stores = useSqliteStores()
  limitsContract(() => ({limits: sqliteLimits(stores.first, new GroupCommit(stores.first)), other: sqliteLimits(stores.second, new GroupCommit(stores.second)), all: stores.all}))
})

describe('rate-limit counters (SQLite): far from a limit, counted at once and written with the next group', () => {
  const stores = useSqliteStores()

  it('decides at once, writes behind, and counts exactly in the transaction once near the limit', async () => {
    const limits = sqliteLimits(stores.first, new GroupCommit(stores.first))
    const other = sqliteLimits(stores.second, new GroupCommit(stores.second))
    const windows = [{windowMs: HOUR, max: 150}]
    const first = await Promise.all([1, 2, 3].map(() => limits.consume('key:far', windows, NOW)))
    expect(first.map((r) => [r.counted, ...hits(r.windows)])).toEqual([[true, 1], [true, 2], [true, 3]])
    // Decided, not yet written: another process sees nothing until the group commits.
    expect(first.every((r) => r.written !== undefined)).toBe(true)
    expect(hits(await other.peek('key:far', windows, NOW))).toEqual([0])
    await Promise.all(first.map((r) => r.written))
    expect(hits(await other.peek('key:far', windows, NOW))).toEqual([3])
    // Up to 100 left (a tenth of the max, at least 100), counts are exact jobs of the transaction.
    const rest: Awaited<ReturnType<typeof limits.consume>>[] = []
    for (let i = 0; i < 150; i++) rest.push(await limits.consume('key:far', windows, NOW))
    expect(rest.map((r) => r.windows[0].hits)).toEqual([...Array.from({length: 147}, (_, i) => i + 4), 150, 150, 150])
    expect(rest.map((r) => r.counted)).toEqual([...Array.from({length: 147}, () => true), false, false, false])
    expect(rest.findIndex((r) => r.written === undefined)).toBe(47)
    await Promise.all(rest.map((r) => r.written))
    expect(hits(await other.peek('key:far', windows, NOW))).toEqual([150])
  })
})

describePg('rate-limit counters (PostgreSQL)', () => {
  const stores = usePgStores({clear: 'TRUNCATE rate_limits'})
  limitsContract(() => ({limits: pgLimits(stores.first), other: pgLimits(stores.second), all: stores.all}))
})
