import {describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import type {AgentPulls} from '../../src/store/agent-pulls.js'
import {pgAgentPulls} from '../../src/store/pg/agent-pulls.js'
import {sqliteAgentPulls} from '../../src/store/sqlite/agent-pulls.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: its agent section, another process's on the same store, and a raw read. */
interface Engine {
  pulls: AgentPulls
  other: AgentPulls
  all<T>(sql: string): Promise<T[]>
}

const NOW = 1_773_302_400_000
const TTL = 120_000

const DEVICES = `INSERT INTO devices (id, serial, name, mode, created_at, updated_at) VALUES (1, 'CDQ9192960002', 'Main gate', 'agent', 1, 1), (2, 'ZK-HQ-01', 'Staff room', 'agent', 1, 1)`

const pullRow = async (engine: Engine, deviceId = 1) =>
  (
    await engine.all<Record<string, unknown>>(
      `SELECT lease_owner AS "leaseOwner", lease_until AS "leaseUntil", last_pull_at AS "lastPullAt", last_error AS "lastError",
         last_success_at AS "lastSuccessAt", records_read AS "recordsRead", records_new AS "recordsNew", duplicates, rejected, users, duration_ms AS "durationMs"
       FROM device_pulls WHERE device_id = ${deviceId}`,
    )
  )[0]

const COUNTS = {recordsRead: 120, recordsNew: 100, duplicates: 20, rejected: 0, users: 14, durationMs: 2300}

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function agentPullsContract(engine: () => Engine): void {
  it('gives a device to the first owner that asks; others learn until when it is taken', async () => {
    expect(await engine().pulls.acquireLease(1, 'serve-1', NOW, TTL)).toEqual({ok: true})
    expect(await engine().other.acquireLease(1, 'serve-2', NOW + 5, TTL)).toEqual({ok: false, until: NOW + TTL})
    // Another device is free; the holder may ask again, which extends its lease.
    expect(await engine().other.acquireLease(2, 'serve-2', NOW + 5, TTL)).toEqual({ok: true})
    expect(await engine().pulls.acquireLease(1, 'serve-1', NOW + 10, TTL)).toEqual({ok: true})
    expect(await pullRow(engine())).toMatchObject({leaseOwner: 'serve-1', leaseUntil: NOW + 10 + TTL, lastPullAt: null})
  })

  it('hands a lease over once it has run out, not before: its holder died', async () => {
    await engine().pulls.acquireLease(1, 'dead', NOW, TTL)
    expect(await engine().other.acquireLease(1, 'serve-2', NOW + TTL, TTL)).toEqual({ok: false, until: NOW + TTL})
    expect(await engine().other.acquireLease(1, 'serve-2', NOW + TTL + 1, TTL)).toEqual({ok: true})
    // The old holder finds out when it renews, and cannot release what is no longer its own.
    expect(await engine().pulls.renewLease(1, 'dead', NOW + TTL + 2, TTL)).toBe(false)
    await engine().pulls.releaseLease(1, 'dead')
    expect(await pullRow(engine())).toMatchObject({leaseOwner: 'serve-2', leaseUntil: NOW + 2 * TTL + 1})
  })

  it('renews and releases for the holder only', async () => {
    await engine().pulls.acquireLease(1, 'serve-1', NOW, TTL)
    expect(await engine().pulls.renewLease(1, 'serve-1', NOW + 30_000, TTL)).toBe(true)
    expect(await pullRow(engine())).toMatchObject({leaseUntil: NOW + 30_000 + TTL})
    expect(await engine().other.renewLease(1, 'serve-2', NOW + 30_000, TTL)).toBe(false)
    await engine().other.releaseLease(1, 'serve-2')
    expect(await pullRow(engine())).toMatchObject({leaseOwner: 'serve-1'})
    await engine().pulls.releaseLease(1, 'serve-1')
    expect(await pullRow(engine())).toMatchObject({leaseOwner: null, leaseUntil: null})
    expect(await engine().other.acquireLease(1, 'serve-2', NOW + 30_001, TTL)).toEqual({ok: true})
  })

  it('keeps each pull’s outcome; a failure keeps the counts and time of the last pull that worked', async () => {
    await engine().pulls.recordPull(1, {at: NOW, error: null, counts: COUNTS})
    expect(await pullRow(engine())).toEqual({leaseOwner: null, leaseUntil: null, lastPullAt: NOW, lastError: null, lastSuccessAt: NOW, ...COUNTS})
    await engine().pulls.recordPull(1, {at: NOW + 60_000, error: 'no answer on 10.0.0.20:4370 over TCP', counts: {...COUNTS, recordsRead: 0}})
    expect(await pullRow(engine())).toEqual({
      leaseOwner: null, leaseUntil: null, lastPullAt: NOW + 60_000, lastError: 'no answer on 10.0.0.20:4370 over TCP', lastSuccessAt: NOW, ...COUNTS,
    })
    await engine().pulls.recordPull(1, {at: NOW + 120_000, error: null})
    expect(await pullRow(engine())).toMatchObject({lastPullAt: NOW + 120_000, lastError: null, lastSuccessAt: NOW + 120_000, recordsRead: 120})
  })

  it('records an outcome without touching the lease of the pull in progress', async () => {
    await engine().pulls.acquireLease(1, 'serve-1', NOW, TTL)
    await engine().pulls.recordPull(1, {at: NOW + 1, error: null, counts: COUNTS})
    expect(await pullRow(engine())).toMatchObject({leaseOwner: 'serve-1', leaseUntil: NOW + TTL, lastSuccessAt: NOW + 1})
  })

  it('gives a free device to exactly one of many processes asking at once', async () => {
    for (let round = 0; round < 5; round++) {
      const at = NOW + round * 10 * TTL
      const asks = Array.from({length: 12}, (_, i) => (i % 2 === 0 ? engine().pulls : engine().other).acquireLease(1, `poller-${round}-${i}`, at, TTL))
      const answers = await Promise.all(asks)
      expect(answers.filter((a) => a.ok)).toHaveLength(1)
      expect(answers.filter((a) => !a.ok)).toEqual(Array(11).fill({ok: false, until: at + TTL}))
    }
  })
}

describe('agent pulls on SQLite', () => {
  const stores = useSqliteStores(DEVICES)
  const pulls = (s: Store) => sqliteAgentPulls(s, new GroupCommit(s, {now: () => NOW}))
  agentPullsContract(() => ({pulls: pulls(stores.first), other: pulls(stores.second), all: stores.all}))
})

describePg('agent pulls on PostgreSQL', () => {
  const stores = usePgStores({seed: DEVICES, clear: 'DELETE FROM device_pulls; DELETE FROM devices'})
  agentPullsContract(() => ({pulls: pgAgentPulls(stores.first), other: pgAgentPulls(stores.second), all: stores.all}))
})
