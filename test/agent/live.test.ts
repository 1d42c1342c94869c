import {describe, expect, it} from 'vitest'

import {liveCapture, type LiveEvent} from '../../src/agent/live.js'
import type {Device} from '../../src/devices/service.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {addMapping} from '../helpers/directory.js'
import type {ZkEmulator} from './emulator/zk-emulator.js'
import {punches} from './fixtures.js'
import {NOW, until, useAgentStore, useEmulators} from './helpers.js'

const emulator = useEmulators()
const site = useAgentStore()
const register = (e: ZkEmulator, extra: Record<string, unknown> = {}): Device => site.register(e, extra)

const stored = () => (site.store.sqlite.prepare('SELECT device_user_id AS user, local_time AS time FROM punches ORDER BY id').all() as {user: string; time: string}[]).map((p) => `${p.user} ${p.time}`)

describe.each(['tcp', 'udp'] as const)('attend pull --live over %s', (protocol) => {
  it('catches up, then stores each punch as it happens and acknowledges it', async () => {
    const e = await emulator({records: punches(3)})
    const device = register(e, {protocol})
    const employee = createEmployee(site.store, {code: 'EMP002', name: 'Brian Otieno'}, NOW)
    addMapping(site.store, {deviceUserId: '1002', employeeCode: employee.code}, NOW)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(site.port, [device], {now: () => NOW, timeoutMs: 500, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => events.length > 0)
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
    const running = liveCapture(site.port, [device], {now: () => NOW, timeoutMs: 300, backoffMs: 100, maxBackoffMs: 400, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)

    // Down for a while: attempts fail and back off, then the device is back with a punch made meanwhile.
    await e.restart(700)
    e.records.push({userId: '1003', time: '2026-03-12 08:30:00'})
    await until(() => events.filter((x) => x.kind === 'connected').length === 2)
    const disconnects = events.filter((x) => x.kind === 'disconnected') as Extract<LiveEvent, {kind: 'disconnected'}>[]
    expect(disconnects[0].reason).toMatch(/closed the connection$/)
    expect(disconnects.map((d) => d.retryInMs).slice(0, 3)).toEqual([100, 200, 400])
    // A device that answered before gets the plain reason, not the advice for devices that never do.
    expect(disconnects[1].reason).toMatch(/^no answer on 127\.0\.0\.1:\d+ over TCP .*\)$/)
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
    const running = liveCapture(site.port, [device], {now: () => NOW, timeoutMs: 200, keepAliveMs: 150, backoffMs: 5000, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => e.eventSessions === 1)
    e.goSilent()
    await until(() => events.some((x) => x.kind === 'disconnected'))
    expect(events.find((x) => x.kind === 'disconnected')).toMatchObject({reason: expect.stringMatching(/^no answer to CMD_GET_TIME \(201\)/), retryInMs: 5000})
    stop.abort()
    await running
  })

  it('does not miss a punch that arrives with the answer to the registration', async () => {
    const e = await emulator({punchOnRegister: {userId: '1003', time: '2026-03-12 08:40:00'}})
    const device = register(e)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(site.port, [device], {now: () => NOW, timeoutMs: 300, signal: stop.signal, onEvent: (event) => events.push(event)})
    await until(() => events.some((x) => x.kind === 'punch'))
    expect(stored()).toEqual(['1003 2026-03-12 08:40:00'])
    stop.abort()
    await running
  })

  it('rejects an event with an impossible date and goes on', async () => {
    const e = await emulator()
    const device = register(e)
    const events: LiveEvent[] = []
    const stop = new AbortController()
    const running = liveCapture(site.port, [device], {now: () => NOW, timeoutMs: 300, signal: stop.signal, onEvent: (event) => events.push(event)})
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
