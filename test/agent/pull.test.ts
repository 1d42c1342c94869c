import {describe, expect, it} from 'vitest'

import {acquireLease, lastPull} from '../../src/store/sqlite/agent/pull-store.js'
import {LEASE_MS, leaseFor} from '../../src/agent/lease.js'
import {devicesToPull, pullDevice, pullDevices, type PullOptions} from '../../src/agent/pull.js'
import {listDeviceUsers} from '../../src/store/sqlite/directory/device-users.js'
import {createDevice, findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {type Device} from '../../src/devices/service.js'
import {listUnmapped} from '../../src/store/sqlite/directory/mappings.js'
import type {ZkEmulator} from './emulator/zk-emulator.js'
import {numericStaff, punches} from './fixtures.js'
import {NOW, useAgentStore, useEmulators} from './helpers.js'

const options: PullOptions = {now: () => NOW, timeoutMs: 500}
const emulator = useEmulators()
const site = useAgentStore()
const register = (e: ZkEmulator, extra: Record<string, unknown> = {}, serial?: string): Device => site.register(e, extra, serial)

const storedPunches = () =>
  site.store.sqlite.prepare('SELECT device_user_id AS user, local_time AS time, instant, raw_status AS status, raw_verify AS verify, direction, source FROM punches ORDER BY id').all() as {
    user: string
    time: string
    instant: number
    status: string
    verify: string
    direction: string | null
    source: string
  }[]

describe('attend pull (service)', () => {
  it('stores exactly the device\'s records, and a second pull stores none', async () => {
    const records = punches(2500)
    const e = await emulator({records})
    const device = register(e)
    const first = await pullDevice(site.port, device, options)
    expect(first).toMatchObject({ok: true, error: null, protocol: 'tcp', recordsRead: 2500, recordsNew: 2500, duplicates: 0, rejected: 0, users: 4, layout: {records: 40, users: 72}, cleared: null})
    const rows = storedPunches()
    expect(rows.map((r) => `${r.user} ${r.time}`)).toEqual(records.map((r) => `${r.userId} ${r.time}`))
    expect(rows[0]).toMatchObject({status: '0', verify: '15', source: 'agent', direction: null})
    const second = await pullDevice(site.port, device, options)
    expect(second).toMatchObject({ok: true, recordsRead: 2500, recordsNew: 0, duplicates: 2500})
    expect(storedPunches()).toHaveLength(2500)
    // Read with the device disabled, and enabled again afterwards.
    expect(e.readsWhileEnabled).toBe(0)
    expect(e.enabled).toBe(true)
  })

  it('reads device wall clock in the device zone, else the site zone', async () => {
    const e = await emulator({records: [{userId: '1001', time: '2026-03-12 08:05:00'}]})
    register(e)
    await pullDevice(site.port, findDeviceBySerial(site.store, 'CDQ9192960002')!, options)
    expect(storedPunches()[0].instant).toBe(Date.parse('2026-03-12T08:05:00+03:00'))

    const other = await emulator({serial: 'AOXP182960456', records: [{userId: '1001', time: '2026-03-12 08:05:00'}]})
    const device = register(other, {timezone: 'Asia/Kolkata'}, 'AOXP182960456')
    await pullDevice(site.port, device, options)
    expect(storedPunches()[1].instant).toBe(Date.parse('2026-03-12T08:05:00+05:30'))
  })

  it('applies the device direction and state map as for push punches', async () => {
    const e = await emulator({records: [{userId: '1001', time: '2026-03-12 08:05:00', state: 0}, {userId: '1001', time: '2026-03-12 17:00:00', state: 1}]})
    await pullDevice(site.port, register(e, {stateMap: '0=in,1=out'}), options)
    expect(storedPunches().map((p) => p.direction)).toEqual(['in', 'out'])
  })

  it('keeps device users with their names for attend map', async () => {
    const e = await emulator({records: punches(8)})
    const device = register(e)
    await pullDevice(site.port, device, options)
    expect(listDeviceUsers(site.store).map((u) => [u.deviceUserId, u.name, u.card])).toEqual([
      ['1001', 'Asha Kamau', '1234567'],
      ['1002', 'Brian Otieno', null],
      ['1003', 'Zoë Müller', null],
      ['20260000123456', 'Daniel Kimani Mwangi', null],
    ])
    expect(listUnmapped(site.store).find((u) => u.deviceUserId === '20260000123456')).toMatchObject({name: 'Daniel Kimani Mwangi', punches: 2})
  })

  it('resolves the uids of 8-byte records to user ids', async () => {
    const e = await emulator({users: numericStaff, userLayout: 28, recordLayout: 8, records: punches(6, numericStaff)})
    const result = await pullDevice(site.port, register(e), options)
    expect(result.layout).toEqual({records: 8, users: 28})
    expect(storedPunches().map((p) => p.user)).toEqual(['1001', '1002', '1003', '1001', '1002', '1003'])
  })

  it('stores punches without names when the user table is in an unknown layout', async () => {
    const e = await emulator({records: punches(8), userPadding: 3})
    const result = await pullDevice(site.port, register(e), options)
    expect(result).toMatchObject({ok: true, recordsNew: 8, users: 0, layout: {records: 40, users: null}})
    expect(result.warnings).toEqual([
      'users not read (punches are stored without their names): the user table holds 300 bytes for 4 records, which is not a known record size (28, 72 bytes)',
    ])
    expect(storedPunches().map((p) => p.user).slice(0, 4)).toEqual(['1001', '1002', '1003', '20260000123456'])
  })

  it('stores nothing from 8-byte records when the user table cannot be read', async () => {
    const e = await emulator({users: numericStaff, recordLayout: 8, userPadding: 3, records: punches(6, numericStaff)})
    const result = await pullDevice(site.port, register(e), options)
    expect(result.error).toBe('its 8-byte records name users by slot, and its user table could not be read, so the records cannot be told apart: nothing stored')
    expect(storedPunches()).toEqual([])
  })

  it('stores nothing when the device reports another serial, and names both', async () => {
    const e = await emulator({serial: 'AOXP182960456', records: punches(5)})
    const result = await pullDevice(site.port, register(e), options)
    expect(result.ok).toBe(false)
    expect(result.error).toBe(
      `the device at 127.0.0.1:${e.port} reports serial AOXP182960456, not CDQ9192960002: nothing stored (has the address moved to another terminal? register that one, or correct --ip)`,
    )
    expect(storedPunches()).toEqual([])
    expect(listDeviceUsers(site.store)).toEqual([])
    expect(e.log.map((l) => l.command)).not.toContain('CMD_PREPARE_BUFFER')
  })

  it('rejects a record with an impossible date, stores the rest, and does not clear', async () => {
    const e = await emulator({records: [{userId: '1001', time: '2026-02-28 08:00:00'}, {userId: '1002', time: '2026-02-30 08:00:00'}, {userId: '1003', time: '2026-03-01 08:00:00'}]})
    const result = await pullDevice(site.port, register(e), {...options, clearAfter: true})
    expect(result).toMatchObject({ok: true, recordsRead: 3, recordsNew: 2, rejected: 1, cleared: false, clearNote: 'not cleared: 1 record was rejected and would be lost'})
    expect(result.rejectedRecords).toEqual([{index: 2, reason: 'record 2 (user 1002): impossible date 2026-02-30 08:00:00: February 2026 has 28 days on the device clock'}])
    expect(e.records).toHaveLength(3)
  })

  it('clears the device log only after its records are stored', async () => {
    const e = await emulator({records: punches(3000)})
    const order: string[] = []
    e.on('command', (command: number) => {
      if (command === 15) order.push(`clear with ${storedPunches().length} punches stored`)
    })
    const result = await pullDevice(site.port, register(e), {...options, clearAfter: true})
    expect(result).toMatchObject({ok: true, recordsNew: 3000, cleared: true, clearNote: null})
    expect(order).toEqual(['clear with 3000 punches stored'])
    expect(e.records).toEqual([])
    expect(e.enabled).toBe(true)
  })

  it.each([
    ['a wrong comm key', {commKey: 4321}, {commKey: '1234'}, 'the device refused the comm key: set the key from the device\'s Comm menu with attend devices update CDQ9192960002 --comm-key N'],
    ['a missing comm key', {commKey: 4321}, {}, 'the device requires a comm key and none is set: set the key from the device\'s Comm menu with attend devices update CDQ9192960002 --comm-key N'],
  ])('fails clearly on %s', async (_name, device, registered, message) => {
    const e = await emulator({...device, records: punches(3)})
    const result = await pullDevice(site.port, register(e, registered), options)
    expect(result).toMatchObject({ok: false, error: message, recordsNew: 0})
  })

  it('pulls with the right comm key', async () => {
    const e = await emulator({commKey: 4321, records: punches(3)})
    expect(await pullDevice(site.port, register(e, {commKey: '4321'}), options)).toMatchObject({ok: true, recordsNew: 3})
  })

  it('stores nothing from a device that stops answering mid-transfer, and says where', async () => {
    const e = await emulator({records: punches(5000), silentAfterChunks: 1})
    const result = await pullDevice(site.port, register(e), options)
    expect(result.ok).toBe(false)
    expect(result.error).toBe(
      `the device stopped answering during the transfer: chunk 2 of 4 (from byte 65472 of 200004): no answer to CMD_READ_BUFFER (1504) from 127.0.0.1:${e.port} within 0.5 s`,
    )
    expect(storedPunches()).toEqual([])
    expect(e.log.at(-1)?.command).toBe('CMD_EXIT')
    expect(e.log.map((l) => l.command)).toContain('CMD_ENABLEDEVICE')
  })

  it('names an unreachable device, says what to do, and pulls the others', async () => {
    const good = await emulator({serial: 'AOXP182960456', records: punches(4)})
    const dead = await emulator({tcp: false})
    dead.goSilent()
    register(good, {}, 'AOXP182960456')
    register(dead, {protocol: 'tcp'})
    const summary = await pullDevices(site.port, await devicesToPull(site.port), options)
    expect(summary).toMatchObject({ok: 1, failed: 1, recordsNew: 4})
    const failed = summary.devices.find((d) => !d.ok)!
    expect(failed.serial).toBe('CDQ9192960002')
    expect(failed.error).toBe(
      `no TCP connection to 127.0.0.1:${dead.port}: connection refused (nothing listens on that port). If the address is right, the device may not speak the pull protocol on this port: many newer models only push (ADMS). Then register it in push mode (attend devices update CDQ9192960002 --mode push) and point its Cloud Server / ADMS setting at attend serve.`,
    )
  })

  it('uses UDP when TCP is refused, with protocol auto', async () => {
    const e = await emulator({tcp: false, records: punches(2000)})
    expect(await pullDevice(site.port, register(e), options)).toMatchObject({ok: true, protocol: 'udp', recordsNew: 2000})
  })

  it('keeps the outcome of each pull and marks the device seen', async () => {
    const e = await emulator({records: punches(10)})
    const device = register(e)
    await pullDevice(site.port, device, options)
    expect(lastPull(site.store, device.id)).toMatchObject({lastPullAt: NOW, lastSuccessAt: NOW, lastError: null, recordsRead: 10, recordsNew: 10, users: 4, leaseOwner: null})
    expect(findDeviceBySerial(site.store, 'CDQ9192960002')!.lastSeenAt).toBe(NOW)

    e.goSilent()
    const later = NOW + 60_000
    await pullDevice(site.port, device, {...options, now: () => later})
    expect(lastPull(site.store, device.id)).toMatchObject({lastPullAt: later, lastSuccessAt: NOW, recordsNew: 10})
    expect(lastPull(site.store, device.id)!.lastError).toMatch(/^no answer on 127\.0\.0\.1:\d+ over TCP/)
  })

  it('leaves a device alone while another process holds it', async () => {
    const e = await emulator({records: punches(3)})
    const device = register(e)
    expect(acquireLease(site.store, device.id, 'serve-1', NOW)).toEqual({ok: true})
    const result = await pullDevice(site.port, device, options)
    expect(result.error).toBe(`another attend process is reading it (attend pull or attend serve --pull-every); its turn ends by ${new Date(NOW + LEASE_MS).toISOString()}`)
    expect(e.log).toEqual([])
    // A lease that ran out (its process died) is taken over.
    expect(await pullDevice(site.port, device, {...options, now: () => NOW + LEASE_MS + 1})).toMatchObject({ok: true, recordsNew: 3})
  })

  it('holds a device long enough for the longest wait of one request', () => {
    expect(leaseFor(undefined)).toBe(LEASE_MS)
    expect(leaseFor(10_000)).toBe(LEASE_MS)
    // --timeout 60: a UDP request may wait 4 × 60 s; the lease outlasts two such waits.
    expect(leaseFor(60_000)).toBe(480_000)
  })

  it('chooses the devices to pull', async () => {
    const e = await emulator()
    register(e)
    createDevice(site.store, {serial: 'PUSH1', name: 'Push gate'}, NOW)
    createDevice(site.store, {serial: 'OLD1', name: 'Old', mode: 'agent', ip: '10.0.0.9'}, NOW)
    site.store.sqlite.prepare(`UPDATE devices SET status = 'inactive' WHERE serial = 'OLD1'`).run()
    expect((await devicesToPull(site.port)).map((d) => d.serial)).toEqual(['CDQ9192960002'])
    await expect(devicesToPull(site.port, 'PUSH1')).rejects.toThrow('Device PUSH1 is in push mode: it sends its punches to attend serve.')
    await expect(devicesToPull(site.port, 'OLD1')).rejects.toThrow('Device OLD1 is inactive: reactivate it with attend devices update OLD1 --status active.')
    await expect(devicesToPull(site.port, 'NOPE')).rejects.toThrow('Unknown device serial "NOPE"')
    site.store.sqlite.prepare(`UPDATE devices SET mode = 'push'`).run()
    await expect(devicesToPull(site.port)).rejects.toThrow('No active agent-mode devices to pull')
  })

  it('refuses an agent device with no address', async () => {
    const {device} = createDevice(site.store, {serial: 'NOIP1', name: 'No address', mode: 'agent'}, NOW)
    expect((await pullDevice(site.port, device, options)).error).toBe('no address is set: attend devices update NOIP1 --ip 192.168.1.201 (the device\'s IP on the LAN)')
  })
})
