import {describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import type {DevicePresence} from '../../src/store/device-presence.js'
import {pgDevicePresence} from '../../src/store/pg/device-presence.js'
import {sqliteDevicePresence} from '../../src/store/sqlite/device-presence.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: its presence section, another process's on the same store, and raw SQL. */
interface Engine {
  presence: DevicePresence
  other: DevicePresence
  exec(sql: string): Promise<void>
  all<T>(sql: string): Promise<T[]>
}

const NOW = 1_773_302_400_000
const MIN = 60_000
const WINDOW = 5 * MIN

/** Two online devices past the window, one within it, one offline, one never seen; endpoints for and not for presence. */
const SEED = `
  INSERT INTO devices (id, serial, name, presence, last_seen_at, created_at, updated_at) VALUES
    (1, 'CDQ9192960002', 'Main gate', 'online', ${NOW - 10 * MIN}, 1, 1),
    (2, 'ZK-HQ-01', 'Staff room', 'online', ${NOW - MIN}, 1, 1),
    (3, 'ZK-YARD', 'Yard', 'offline', ${NOW - 60 * MIN}, 1, 1),
    (4, 'ZK-STORE', 'Store', NULL, NULL, 1, 1),
    (5, 'ZK-BACK', 'Back gate', 'online', ${NOW - 6 * MIN}, 1, 1);
  INSERT INTO webhooks (id, url, events, secret, active, created_at, updated_at) VALUES
    (1, 'https://noc.example/hooks', '["device.status_changed"]', 'whsec_a', true, 1, 1),
    (2, 'https://payroll.example/hooks', '["attendance.created"]', 'whsec_b', true, 1, 1),
    (3, 'https://old.example/hooks', '["device.status_changed"]', 'whsec_c', false, 1, 1)`

const CLEAR = 'DELETE FROM webhook_deliveries; DELETE FROM webhook_events; DELETE FROM webhooks; DELETE FROM devices'

const devices = (engine: Engine) =>
  engine.all<{id: number; presence: string | null; changedAt: number | null; lastSeenAt: number | null}>(
    `SELECT id, presence, presence_changed_at AS "changedAt", last_seen_at AS "lastSeenAt" FROM devices ORDER BY id`,
  )

const events = (engine: Engine) =>
  engine.all<{id: number; type: string; body: string; createdAt: number}>(`SELECT id, type, body, created_at AS "createdAt" FROM webhook_events ORDER BY id`)

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function devicePresenceContract(engine: () => Engine): void {
  it('turns the devices not seen within the window offline and announces each once, to the endpoints that subscribe', async () => {
    expect(await engine().presence.sweep(NOW, WINDOW)).toBe(2)
    expect(await devices(engine())).toEqual([
      {id: 1, presence: 'offline', changedAt: NOW - 5 * MIN, lastSeenAt: NOW - 10 * MIN},
      {id: 2, presence: 'online', changedAt: null, lastSeenAt: NOW - MIN},
      {id: 3, presence: 'offline', changedAt: null, lastSeenAt: NOW - 60 * MIN},
      {id: 4, presence: null, changedAt: null, lastSeenAt: null},
      {id: 5, presence: 'offline', changedAt: NOW - MIN, lastSeenAt: NOW - 6 * MIN},
    ])
    const queued = await events(engine())
    expect(queued.map((e) => [e.type, e.createdAt])).toEqual([
      ['device.status_changed', NOW - 5 * MIN],
      ['device.status_changed', NOW - MIN],
    ])
    const first = JSON.parse(queued[0].body) as {type: string; data: Record<string, unknown>}
    expect(first).toMatchObject({type: 'device.status_changed', data: {presence: 'offline', previous_attributes: {presence: 'online'}}})
    expect(JSON.stringify(first.data)).toContain('CDQ9192960002')
    const deliveries = await engine().all<{webhookId: number; event: number; status: string; nextAttemptAt: number}>(
      `SELECT webhook_id AS "webhookId", event, status, next_attempt_at AS "nextAttemptAt" FROM webhook_deliveries ORDER BY id`,
    )
    expect(deliveries).toEqual(queued.map((e) => ({webhookId: 1, event: e.id, status: 'pending', nextAttemptAt: NOW})))
    // Nothing more to announce.
    expect(await engine().presence.sweep(NOW + 1000, WINDOW)).toBe(0)
    expect(await events(engine())).toHaveLength(2)
  })

  it('changes presence without queueing anything when no active endpoint subscribes', async () => {
    await engine().exec(`UPDATE webhooks SET active = false`)
    expect(await engine().presence.sweep(NOW, WINDOW)).toBe(2)
    expect(await events(engine())).toEqual([])
  })

  it('announces each transition once when several processes check at once', async () => {
    const sweeps = Array.from({length: 6}, (_, i) => (i % 2 === 0 ? engine().presence : engine().other).sweep(NOW, WINDOW))
    const changed = await Promise.all(sweeps)
    expect(changed.reduce((a, b) => a + b, 0)).toBe(2)
    expect(await events(engine())).toHaveLength(2)
  })
}

describe('device presence on SQLite', () => {
  const stores = useSqliteStores(SEED)
  const presence = (s: Store) => sqliteDevicePresence(s, new GroupCommit(s, {now: () => NOW}))
  devicePresenceContract(() => ({
    presence: presence(stores.first), other: presence(stores.second), all: stores.all,
    exec: async (sql) => void stores.first.sqlite.exec(sql),
  }))
})

describePg('device presence on PostgreSQL', () => {
  const stores = usePgStores({seed: SEED, clear: CLEAR})
  devicePresenceContract(() => ({
    presence: pgDevicePresence(stores.first), other: pgDevicePresence(stores.second), all: stores.all,
    exec: async (sql) => void (await stores.first.pool.query(sql)),
  }))
})
