import {describe, expect, it} from 'vitest'

import {addDevice, deactivateDevice, listRefusedDevices, rotateDeviceToken, toDeviceView, updateDevice} from '../../src/devices/service.js'
import {tokenVerifies} from '../../src/devices/token.js'
import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {describeEngines} from '../helpers/engines.js'

const now = Date.UTC(2026, 2, 12, 8)
const DAY = 86_400_000

describeEngines('devices', (store) => {
  const port = () => store().port
  const devices = () => store().port.devices
  const verify = async (serial: string, token: string) => {
    const device = await devices().bySerial(serial)
    return tokenVerifies(device, token) ? device : undefined
  }

  describe('addDevice', () => {
    it('registers an active push device and returns a token stored only as its hash', async () => {
      const {device, token} = await addDevice(port(), {serial: 'CDQ9192960002', name: 'Main gate', location: 'Gate A'}, now)
      expect(device).toMatchObject({serial: 'CDQ9192960002', name: 'Main gate', location: 'Gate A', direction: 'auto', mode: 'push', status: 'active', timezone: null})
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(device.tokenHash).toMatch(/^[0-9a-f]{64}$/)
      expect(device.tokenHash).not.toContain(token)
      const stored = await store().all<Record<string, unknown>>('SELECT * FROM devices')
      expect(JSON.stringify(stored)).not.toContain(token)
      expect(toDeviceView(device)).not.toHaveProperty('tokenHash')
    })

    it('refuses a duplicate serial, and a CAMS service tag id another device has', async () => {
      await addDevice(port(), {serial: 'CDQ9192960002', name: 'Main gate', camsStgid: 'ST-4FJ2K9'}, now)
      await expect(addDevice(port(), {serial: 'CDQ9192960002', name: 'Other'}, now)).rejects.toThrow(ConflictError)
      await expect(addDevice(port(), {serial: 'CDQ9192960002', name: 'Other'}, now)).rejects.toThrow('Device serial "CDQ9192960002" is already registered as Main gate.')
      await expect(addDevice(port(), {serial: 'SN2', name: 'Other', camsStgid: 'ST-4FJ2K9'}, now)).rejects.toThrow(
        'CAMS service tag id "ST-4FJ2K9" already belongs to device CDQ9192960002 (Main gate).',
      )
      expect(await devices().list()).toHaveLength(1)
    })

    it('gives one of two servers registering the same serial at once the device, the other the conflict', async () => {
      const both = await Promise.allSettled([addDevice(port(), {serial: 'SN1', name: 'A'}, now), addDevice(port(), {serial: 'SN1', name: 'B'}, now)])
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason).toBeInstanceOf(ConflictError)
    })

    it.each([
      [{timezone: 'Mars/Olympus'}, 'Unknown device time zone "Mars/Olympus": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.'],
      [{direction: 'sideways'}, 'Invalid direction "sideways": expected auto, in, out.'],
      [{mode: 'pull'}, 'Invalid mode "pull": expected push, agent.'],
      [{serial: 'CDQ 919'}, 'Invalid device serial "CDQ 919"'],
      [{name: ' '}, 'The device name cannot be empty.'],
    ])('rejects %j before writing anything', async (bad, message) => {
      const input = {serial: 'SN1', name: 'Gate', ...bad}
      await expect(addDevice(port(), input, now)).rejects.toThrow(UsageError)
      await expect(addDevice(port(), input, now)).rejects.toThrow(message)
      expect(await devices().list()).toEqual([])
    })

    it('accepts a time zone, direction, mode and state map', async () => {
      const {device} = await addDevice(port(), {serial: 'AOXP1', name: 'Staff room', direction: 'IN', mode: 'agent', timezone: 'Asia/Kolkata', ip: '10.0.0.20', stateMap: '0=in,1=out'}, now)
      expect(device).toMatchObject({direction: 'in', mode: 'agent', timezone: 'Asia/Kolkata', ip: '10.0.0.20'})
      expect(toDeviceView(device).stateMap).toBe('0=in,1=out')
      expect(toDeviceView(await updateDevice(port(), 'AOXP1', {stateMap: '1=in'}, now + 1)).stateMap).toBe('1=in')
      expect(toDeviceView(await updateDevice(port(), 'AOXP1', {stateMap: 'none'}, now + 2)).stateMap).toBeNull()
    })
  })

  describe('device tokens', () => {
    it('verifies the current token by serial and finds the device by token alone', async () => {
      const {device, token} = await addDevice(port(), {serial: 'SN1', name: 'Gate'}, now)
      await addDevice(port(), {serial: 'SN2', name: 'Back door'}, now)
      expect((await verify('SN1', token))?.id).toBe(device.id)
      expect(await verify('SN2', token)).toBeUndefined()
      expect(await verify('SN1', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined()
      expect(await verify('SN404', token)).toBeUndefined()
      expect(await verify('SN1', '')).toBeUndefined()
      expect((await devices().byToken(token))?.serial).toBe('SN1')
      expect(await devices().byToken(token.slice(0, 8) + 'x'.repeat(35))).toBeUndefined()
      expect(await devices().byToken('short')).toBeUndefined()
    })

    it('a new token replaces the old one at once', async () => {
      const first = await addDevice(port(), {serial: 'SN1', name: 'Gate'}, now)
      const second = await rotateDeviceToken(port(), 'SN1', now + 1)
      expect(second.token).not.toBe(first.token)
      expect(await verify('SN1', first.token)).toBeUndefined()
      expect(await devices().byToken(first.token)).toBeUndefined()
      expect((await verify('SN1', second.token))?.serial).toBe('SN1')
      expect((await devices().byToken(second.token))?.serial).toBe('SN1')
      await expect(rotateDeviceToken(port(), 'SN404', now)).rejects.toThrow(NotFoundError)
    })

    it('a device registered by device_info has no token', async () => {
      await devices().announce({serial: 'SN9'}, now)
      expect(await verify('SN9', '')).toBeUndefined()
      expect(await verify('SN9', 'anything-at-all-anything-at-all-anything')).toBeUndefined()
    })
  })

  describe('updates', () => {
    it('changes only the given fields and clears the zone with none', async () => {
      await addDevice(port(), {serial: 'SN1', name: 'Gate', location: 'A', timezone: 'Asia/Kolkata'}, now)
      expect(await updateDevice(port(), 'SN1', {direction: 'out', timezone: 'none'}, now + 1)).toMatchObject({name: 'Gate', location: 'A', direction: 'out', timezone: null, updatedAt: now + 1})
      await expect(updateDevice(port(), 'SN1', {timezone: 'Nowhere/Town'}, now)).rejects.toThrow('Unknown device time zone "Nowhere/Town"')
      await expect(updateDevice(port(), 'SN1', {}, now)).rejects.toThrow(/^Nothing to update/)
      await expect(updateDevice(port(), 'SN404', {name: 'x'}, now)).rejects.toThrow('Unknown device serial "SN404": register it with attend devices add, or see attend devices list.')
    })

    it('checks agent settings against the mode the device will be in', async () => {
      await addDevice(port(), {serial: 'SN1', name: 'Gate'}, now)
      await expect(updateDevice(port(), 'SN1', {mode: 'agent'}, now)).rejects.toThrow(UsageError)
      expect(await updateDevice(port(), 'SN1', {mode: 'agent', ip: '192.168.1.201'}, now)).toMatchObject({mode: 'agent', ip: '192.168.1.201'})
    })

    it('refuses a service tag id another device has', async () => {
      await addDevice(port(), {serial: 'SN1', name: 'Gate', camsStgid: 'ST-1'}, now)
      await addDevice(port(), {serial: 'SN2', name: 'Door'}, now)
      await expect(updateDevice(port(), 'SN2', {camsStgid: 'ST-1'}, now)).rejects.toThrow('CAMS service tag id "ST-1" already belongs to device SN1 (Gate).')
      expect(await updateDevice(port(), 'SN1', {camsStgid: 'ST-1', name: 'Main gate'}, now)).toMatchObject({camsStgid: 'ST-1', name: 'Main gate'})
      expect((await devices().byStgid('ST-1'))?.serial).toBe('SN1')
    })

    it('deactivates, and a sighting records last contact and brings the device online once', async () => {
      const {device} = await addDevice(port(), {serial: 'SN1', name: 'Gate'}, now)
      expect((await deactivateDevice(port(), 'SN1', now)).status).toBe('inactive')
      await devices().markSeen(device.id, now + 5000)
      await devices().markSeen(device.id, now + 6000)
      expect(await devices().bySerial('SN1')).toMatchObject({lastSeenAt: now + 6000, presence: 'online', presenceChangedAt: now + 5000})
    })

    it('announce creates an unknown serial and never renames or moves a known one', async () => {
      const created = await devices().announce({serial: 'SN7', location: 'Lab'}, now)
      expect(created).toMatchObject({serial: 'SN7', name: 'SN7', location: 'Lab', status: 'active', mode: 'push', tokenHash: null, lastSeenAt: now})
      const again = await devices().announce({serial: 'SN7', name: 'Lab door', location: 'Roof'}, now + 1)
      expect(again).toMatchObject({id: created.id, name: 'SN7', location: 'Lab', updatedAt: now})
      // Neither can a name or location past the length policy register a device with it.
      expect(await devices().announce({serial: 'SN8', name: 'x'.repeat(201)}, now)).toMatchObject({serial: 'SN8', name: 'SN8'})
    })

    it('remembers the stamps of acknowledged uploads', async () => {
      const {device} = await addDevice(port(), {serial: 'SN1', name: 'Gate'}, now)
      await devices().recordStamp(device.id, 'attlog', '9999')
      await devices().recordStamp(device.id, 'operlog', '42')
      expect(await devices().byId(device.id)).toMatchObject({attlogStamp: '9999', operlogStamp: '42'})
    })
  })

  describe('refused and unregistered serials', () => {
    it('counts attempts per serial and lists recent unregistered ones, newest first', async () => {
      await devices().recordRefused({serial: 'ZZ1', remoteAddress: '10.0.0.9', route: '/iclock/cdata'}, now - 40 * DAY)
      await devices().recordRefused({serial: 'ZZ2', remoteAddress: '10.0.0.7', route: '/iclock/cdata'}, now - 2 * DAY)
      await devices().recordRefused({serial: 'ZZ2', remoteAddress: '10.0.0.8', route: null}, now - DAY)
      await devices().recordRefused({serial: 'ZZ3', remoteAddress: '10.0.0.5', route: '/api/cams/callback'}, now - 3 * DAY)
      await devices().recordRefused({serial: '  ', remoteAddress: '10.0.0.5'}, now)
      expect(await listRefusedDevices(port(), now)).toEqual([
        {serial: 'ZZ2', remoteAddress: '10.0.0.8', route: '/iclock/cdata', attempts: 2, firstSeenAt: now - 2 * DAY, lastSeenAt: now - DAY},
        {serial: 'ZZ3', remoteAddress: '10.0.0.5', route: '/api/cams/callback', attempts: 1, firstSeenAt: now - 3 * DAY, lastSeenAt: now - 3 * DAY},
      ])
      await addDevice(port(), {serial: 'ZZ3', name: 'Found it'}, now)
      expect((await listRefusedDevices(port(), now)).map((r) => r.serial)).toEqual(['ZZ2'])
      expect((await listRefusedDevices(port(), now, 60)).map((r) => r.serial)).toEqual(['ZZ2', 'ZZ1'])
    })

    it('lists the serials stored punches name that no device has, latest punch first', async () => {
      await addDevice(port(), {serial: 'KNOWN1', name: 'Gate'}, now)
      await store().exec(`INSERT INTO employees (id, code, name, created_at, updated_at) VALUES (1, 'E1', 'Asha', 1, 1)`)
      const punch = (id: number, key: string, source: string, instant: number) =>
        `(${id}, 1, '${key}', 'u1', ${instant}, '${source}', ${instant})`
      await store().exec(
        `INSERT INTO punches (id, employee_id, device_key, device_user_id, instant, source, received_at) VALUES ${[
          punch(1, 'OLD-TERM', 'import:csv', now - 3 * DAY),
          punch(2, 'OLD-TERM', 'import:csv', now - 2 * DAY),
          punch(3, 'NEW-TERM', 'import:dat', now - DAY),
          punch(4, 'KNOWN1', 'import:csv', now),
          punch(5, 'import:csv', 'import:csv', now),
        ].join(', ')}`,
      )
      expect(await devices().unregisteredSerials()).toEqual([
        {serial: 'NEW-TERM', source: 'import:dat', punches: 1, firstPunchAt: now - DAY, lastPunchAt: now - DAY},
        {serial: 'OLD-TERM', source: 'import:csv', punches: 2, firstPunchAt: now - 3 * DAY, lastPunchAt: now - 2 * DAY},
      ])
    })
  })
})
