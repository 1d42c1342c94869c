import {afterEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {SliceWriter} from '../../src/store/sqlite/import-slices.js'
import type {CanonicalPunch} from '../../src/punches/types.js'
import {testStore} from '../helpers/store.js'

const stores: Array<{cleanup: () => void}> = []
afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))

const punch = (i: number): CanonicalPunch => ({deviceUserId: String(i % 7), time: {kind: 'instant', ms: Date.UTC(2026, 2, 1) + i * 60_000}, timeText: String(i), line: i + 1})

// After every punch below: a punch past the future margin would be rejected.
const AFTER = Date.UTC(2026, 5, 1)

describe('SliceWriter: an import writes in short transactions', () => {
  it('lets another connection write between two slices: the lock is never held across an await', async () => {
    const store = testStore()
    stores.push(store)
    // Another process, impatient: it fails at once instead of waiting for the lock.
    const other = openStore(store.path, {busyTimeoutMs: 0})
    stores.push({cleanup: () => other.close()})
    const writes: string[] = []
    const tryWrite = () => {
      try {
        other.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('probe', '1', 0) ON CONFLICT (key) DO UPDATE SET value = value + 1`).run()
        writes.push('ok')
      } catch (error) {
        writes.push((error as {code?: string}).code ?? String(error))
      }
    }
    // The other process tries at every turn of the event loop while the import writes.
    let writing = true
    const probe = () => {
      tryWrite()
      if (writing) setImmediate(probe)
    }
    setImmediate(probe)
    // A budget of 0 ms: every 1 000-punch chunk is its own transaction.
    const result = await new SliceWriter(store, [], 0).write(Array.from({length: 5000}, (_, i) => punch(i)), {source: 'import:attlog', now: AFTER})
    writing = false
    expect(result).toMatchObject({stored: 5000, duplicates: 0, rejected: 0})
    expect(result.outcomes).toHaveLength(5000)
    expect(writes.filter((w) => w === 'ok').length).toBeGreaterThanOrEqual(4)
    expect(writes.filter((w) => w !== 'ok')).toEqual([])
  })

  it('keeps outcomes in input order across slices, rejected ones included', async () => {
    const store = testStore()
    stores.push(store)
    const punches = Array.from({length: 2500}, (_, i) => (i === 1800 ? {...punch(i), deviceUserId: ' '} : punch(i)))
    const result = await new SliceWriter(store, [], 0).write([...punches, punch(0)], {source: 'import:attlog', now: AFTER})
    expect(result).toMatchObject({stored: 2499, duplicates: 1, rejected: 1})
    expect(result.outcomes[1800]).toEqual({status: 'rejected', reason: 'Missing device user id.'})
    expect(result.outcomes[2500].status).toBe('duplicate')
  })

  it('with countOnly, names the rejected punches by their index in the whole batch, not in their chunk', async () => {
    const store = testStore()
    stores.push(store)
    const bad = new Set([5, 1800, 2400])
    const punches = Array.from({length: 2500}, (_, i) => (bad.has(i) ? {...punch(i), deviceUserId: ' '} : punch(i)))
    const result = await new SliceWriter(store, [], 0).write([...punches, punch(0)], {source: 'import:attlog', now: AFTER, countOnly: true})
    expect(result).toMatchObject({stored: 2497, duplicates: 1, rejected: 3})
    expect(result.outcomes).toEqual([])
    expect(result.rejections).toEqual([...bad].map((index) => ({index, reason: 'Missing device user id.'})))
  })
})
