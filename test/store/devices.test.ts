import {describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {defaultSettings} from '../../src/settings/settings.js'
import type {DevicesSection} from '../../src/store/devices.js'
import {pgDevices} from '../../src/store/pg/devices.js'
import {sqliteDevices} from '../../src/store/sqlite/devices.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: its devices section, another process's on the same store, and raw SQL. */
interface Engine {
  devices: DevicesSection
  other: DevicesSection
  all<T>(sql: string): Promise<T[]>
}

const NOW = 1_773_302_400_000
const MIN = 60_000

/** A ZKTeco terminal last seen an hour ago (offline), another one, and an endpoint for presence events. */
const SEED = `
  INSERT INTO devices (id, serial, name, presence, last_seen_at, created_at, updated_at) VALUES
    (1, 'CDQ9192960002', 'Main gate', 'offline', ${NOW - 60 * MIN}, 1, 1),
    (2, 'ZK-HQ-01', 'Staff room', NULL, NULL, 1, 1);
  INSERT INTO webhooks (id, url, events, secret, active, created_at, updated_at) VALUES
    (1, 'https://noc.example/hooks', '["device.status_changed"]', 'whsec_a', true, 1, 1)`

const CLEAR = 'DELETE FROM webhook_deliveries; DELETE FROM webhook_events; DELETE FROM webhooks; DELETE FROM device_commands; DELETE FROM refused_devices; DELETE FROM devices'

/** Polls like a terminal does (ten commands a poll) until nothing is left; returns the ids handed out. */
async function pollUntilEmpty(devices: DevicesSection, deviceId: number, at: number): Promise<number[]> {
  const taken: number[] = []
  for (;;) {
    const commands = await devices.takeCommands(deviceId, at, 10)
    if (commands.length === 0) return taken
    taken.push(...commands.map((command) => command.id))
  }
}

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function devicesContract(engine: () => Engine): void {
  it('hands each queued command to exactly one of the servers a device polls at once', async () => {
    const queued: number[] = []
    for (let i = 0; i < 60; i++) queued.push((await engine().devices.queueCommand('CDQ9192960002', `DATA QUERY USERINFO PIN=${i}`, NOW + i)).command.id)
    await engine().devices.queueCommand('ZK-HQ-01', 'REBOOT', NOW)
    // Eight pollers, four per process: a device behind a balancer whose retries reach several servers.
    const pollers = Array.from({length: 8}, (_, i) => pollUntilEmpty(i % 2 === 0 ? engine().devices : engine().other, 1, NOW + MIN))
    const handedOut = (await Promise.all(pollers)).flat()
    expect(handedOut.toSorted((a, b) => a - b)).toEqual(queued)
    const rows = await engine().all<{deviceId: number; status: string; sentAt: number | null}>(
      `SELECT device_id AS "deviceId", status, sent_at AS "sentAt" FROM device_commands ORDER BY id`,
    )
    expect(rows.filter((row) => row.deviceId === 1).every((row) => row.status === 'sent' && row.sentAt === NOW + MIN)).toBe(true)
    // Another device's command is not handed out to this one.
    expect(rows.filter((row) => row.deviceId === 2)).toEqual([{deviceId: 2, status: 'queued', sentAt: null}])
  })

  it('brings a device seen by two servers at once online once, with one event', async () => {
    await Promise.all([engine().devices.markSeen(1, NOW), engine().other.markSeen(1, NOW + 1), engine().devices.markSeen(1, NOW + 2), engine().other.markSeen(1, NOW + 3)])
    expect(await engine().devices.byId(1)).toMatchObject({presence: 'online', presenceChangedAt: expect.any(Number), lastSeenAt: NOW + 3})
    const events = await engine().all<{type: string}>('SELECT type FROM webhook_events')
    expect(events).toEqual([{type: 'device.status_changed'}])
    // Seen again within the window: only the time moves, nothing is announced.
    await engine().other.markSeen(1, NOW + MIN)
    expect(await engine().devices.byId(1)).toMatchObject({presence: 'online', lastSeenAt: NOW + MIN})
    expect(await engine().all('SELECT type FROM webhook_events')).toHaveLength(1)
  })

  it('counts a refused serial knocking on two servers at once, attempt by attempt', async () => {
    const knocks = Array.from({length: 10}, (_, i) => (i % 2 === 0 ? engine().devices : engine().other).recordRefused({serial: 'ZK0099', remoteAddress: '10.0.0.9', route: '/iclock/cdata'}, NOW + i))
    await Promise.all(knocks)
    expect(await engine().devices.refusedSince(NOW)).toMatchObject([{serial: 'ZK0099', attempts: 10, firstSeenAt: expect.any(Number)}])
  })

  it('registers a device announcing itself to two servers at once once, with one event', async () => {
    const both = await Promise.all([engine().devices.announce({serial: 'NEW-01', name: 'Lab'}, NOW), engine().other.announce({serial: 'NEW-01', name: 'Lab'}, NOW)])
    expect(both[0].id).toBe(both[1].id)
    expect(await engine().all('SELECT id FROM devices WHERE serial = \'NEW-01\'')).toHaveLength(1)
    expect(await engine().all('SELECT type FROM webhook_events')).toEqual([{type: 'device.status_changed'}])
  })
}

describe('the devices section on SQLite', () => {
  const stores = useSqliteStores(SEED)
  const devices = (s: Store) => sqliteDevices(s, new GroupCommit(s, {now: () => NOW}))
  devicesContract(() => ({devices: devices(stores.first), other: devices(stores.second), all: stores.all}))
})

describePg('the devices section on PostgreSQL', () => {
  // The seed names its ids: the sequence moves past them, as rows the app inserted would have moved it.
  const stores = usePgStores({seed: `${SEED}; SELECT setval(pg_get_serial_sequence('devices', 'id'), 100)`, clear: CLEAR})
  const settings = async () => defaultSettings()
  devicesContract(() => ({devices: pgDevices(stores.first, settings), other: pgDevices(stores.second, settings), all: stores.all}))
})
