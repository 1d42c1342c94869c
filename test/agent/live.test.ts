import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {liveCapture, type LiveEvent} from '../../src/agent/live.js'
import {createDevice, type Device} from '../../src/devices/service.js'
import {createEmployee} from '../../src/employees/service.js'
import {addMapping} from '../../src/mappings/service.js'
import {testStore} from '../helpers/store.js'
import {ZkEmulator, type EmulatorOptions} from './emulator/zk-emulator.js'
import {punches, staff} from './fixtures.js'

const NOW = Date.UTC(2026, 2, 12, 9, 0, 0)

let store: ReturnType<typeof testStore>
const emulators: ZkEmulator[] = []
beforeEach(() => {
  store = testStore({timezone: 'Africa/Nairobi'})
})
afterEach(async () => {
  store.cleanup()
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

async function emulator(options: Partial<EmulatorOptions> = {}): Promise<ZkEmulator> {
  const e = await ZkEmulator.start({serial: 'CDQ9192960002', users: staff, ...options})
  emulators.push(e)
  return e
}

const register = (e: ZkEmulator, extra: Record<string, unknown> = {}): Device =>
  createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate', mode: 'agent', ip: e.host, port: e.port, ...extra}, NOW).device

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const stored = () => (store.sqlite.prepare('SELECT device_user_id AS user, local_time AS time FROM punches ORDER BY id').all() as {user: string; time: string}[]).map((p) => `${p.user} ${p.time}`)

describe.each(['tcp', 'udp'] as const)('attend pull --live over %s', (protocol) => {
  it('catches up, then stores each punch as it happens and acknowledges it', async () => {
    const e = await emulator({records: punches(3)})
    const device = register(e, {protocol})
    const employee = createEmployee(store, {code: 'EMP002', name: 'Brian Otieno'}, NOW)
    addMapping(() => store, {deviceUserId: '1002', employeeCode: employee.code}, NOW)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(store, [device], {now: () => NOW, timeoutMs: 500, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)
    expect(events[0]).toMatchObject({kind: 'connected', serial: 'CDQ9192960002', protocol, caughtUp: {recordsRead: 3, recordsNew: 3}})

    e.punch({userId: '1002', time: '2026-03-12 08:05:09', state: 0, verify: 15})
    e.punch({userId: '20260000123456', time: '2026-03-12 08:06:00', state: 1})
    await until(() => events.filter((x) => x.kind === 'punch').length === 2)
    expect(events.filter((x) => x.kind === 'punch')).toEqual([
      {kind: 'punch', serial: 'CDQ9192960002', userId: '1002', name: 'Brian Otieno', time: '2026-03-12 08:05:09', state: 0, verify: 15, status: 'stored', employee: {code: 'EMP002', name: 'Brian Otieno'}},
      {kind: 'punch', serial: 'CDQ9192960002', userId: '20260000123456', name: 'Daniel Kimani Mwangi', time: '2026-03-12 08:06:00', state: 1, verify: 1, status: 'stored', employee: null},
    ])
    expect(stored().slice(3)).toEqual(['1002 2026-03-12 08:05:09', '20260000123456 2026-03-12 08:06:00'])
    await until(() => e.acks === 2)

    stop.abort()
    expect(await running).toEqual([{serial: 'CDQ9192960002', punches: 2, stored: 2, duplicates: 0, rejected: 0, reconnects: 0}])
    expect(e.log.slice(-2).map((l) => l.command)).toEqual(['CMD_REG_EVENT', 'CMD_EXIT'])
  })
})

describe('attend pull --live recovery', () => {
  it('reconnects with backoff after a device restart and catches up on what it missed', async () => {
    const e = await emulator({records: punches(2)})
    const device = register(e)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(store, [device], {now: () => NOW, timeoutMs: 300, backoffMs: 100, maxBackoffMs: 400, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)

    // Down for a while: attempts fail and back off, then the device is back with a punch made meanwhile.
    await e.restart(700)
    e.records.push({userId: '1003', time: '2026-03-12 08:30:00'})
    await until(() => events.filter((x) => x.kind === 'connected').length === 2)
    const disconnects = events.filter((x) => x.kind === 'disconnected') as Extract<LiveEvent, {kind: 'disconnected'}>[]
    expect(disconnects[0].reason).toMatch(/closed the connection$/)
    expect(disconnects.map((d) => d.retryInMs).slice(0, 3)).toEqual([100, 200, 400])
    expect(events.filter((x) => x.kind === 'connected').at(-1)).toMatchObject({caughtUp: {recordsRead: 3, recordsNew: 1, duplicates: 2}})

    await until(() => e.eventSessions === 1)
    e.punch({userId: '1001', time: '2026-03-12 08:31:00'})
    await until(() => stored().includes('1001 2026-03-12 08:31:00'))
    stop.abort()
    const [summary] = await running
    expect(summary.reconnects).toBeGreaterThanOrEqual(2)
    expect(stored()).toHaveLength(4)
  })

  it('notices a device that went quiet without closing, through the keep-alive', async () => {
    const e = await emulator()
    const device = register(e)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(store, [device], {now: () => NOW, timeoutMs: 200, keepAliveMs: 150, backoffMs: 5000, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)
    e.goSilent()
    await until(() => events.some((x) => x.kind === 'disconnected'))
    expect(events.find((x) => x.kind === 'disconnected')).toMatchObject({reason: expect.stringMatching(/^no answer to CMD_GET_TIME \(201\)/), retryInMs: 5000})
    stop.abort()
    await running
  })

  it('rejects an event with an impossible date and goes on', async () => {
    const e = await emulator()
    const device = register(e)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(store, [device], {now: () => NOW, timeoutMs: 300, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)
    e.punch({userId: '1001', time: '2026-02-30 08:00:00'})
    e.punch({userId: '1001', time: '2026-03-02 08:00:00'})
    await until(() => events.filter((x) => x.kind === 'punch' || x.kind === 'rejected').length === 2)
    expect(events.find((x) => x.kind === 'rejected')).toEqual({
      kind: 'rejected',
      serial: 'CDQ9192960002',
      reason: 'attendance event of user 1001: impossible date 2026-02-30 08:00:00: February 2026 has 28 days on the device clock',
    })
    stop.abort()
    await running
  })
})
