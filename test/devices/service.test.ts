import fs from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {markDeviceSeen} from '../../src/devices/presence-store.js'
import {
  addDevice,
  createDevice,
  deactivateDevice,
  findDeviceBySerial,
  listDevices,
  listRefusedDevices,
  recordRefusedDevice,
  registerDevice,
  rotateDeviceToken,
  toDeviceView,
  updateDevice,
} from '../../src/devices/service.js'
import {findDeviceByToken, verifyDeviceToken} from '../../src/devices/token.js'
import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {testStore} from '../helpers/store.js'

const now = Date.UTC(2026, 2, 12, 8)
const DAY = 86_400_000

let store: ReturnType<typeof testStore>
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

describe('createDevice', () => {
  it('registers an active push device and returns a token stored only as its hash', () => {
    const {device, token} = createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate', location: 'Gate A'}, now)
    expect(device).toMatchObject({serial: 'CDQ9192960002', name: 'Main gate', location: 'Gate A', direction: 'auto', mode: 'push', status: 'active', timezone: null})
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(device.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(device.tokenHash).not.toContain(token)
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    expect(fs.readFileSync(store.path).includes(Buffer.from(token))).toBe(false)
    expect(toDeviceView(device)).not.toHaveProperty('tokenHash')
  })

  it('refuses a duplicate serial', () => {
    createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, now)
    expect(() => createDevice(store, {serial: 'CDQ9192960002', name: 'Other'}, now)).toThrow(ConflictError)
    expect(() => createDevice(store, {serial: 'CDQ9192960002', name: 'Other'}, now)).toThrow('Device serial "CDQ9192960002" is already registered as Main gate.')
    expect(listDevices(store)).toHaveLength(1)
  })

  it.each([
    [{timezone: 'Mars/Olympus'}, 'Unknown device time zone "Mars/Olympus": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.'],
    [{direction: 'sideways'}, 'Invalid direction "sideways": expected auto, in, out.'],
    [{mode: 'pull'}, 'Invalid mode "pull": expected push, agent.'],
    [{serial: 'CDQ 919'}, 'Invalid device serial "CDQ 919"'],
    [{name: ' '}, 'The device name cannot be empty.'],
  ])('rejects %j before opening the store', (bad, message) => {
    let opened = false
    const input = {serial: 'SN1', name: 'Gate', ...bad}
    expect(() => addDevice(() => ((opened = true), store), input, now)).toThrow(UsageError)
    expect(() => addDevice(() => ((opened = true), store), input, now)).toThrow(message)
    expect(opened).toBe(false)
  })

  it('accepts a time zone, direction and mode', () => {
    const {device} = createDevice(store, {serial: 'AOXP1', name: 'Staff room', direction: 'IN', mode: 'agent', timezone: 'Asia/Kolkata'}, now)
    expect(device).toMatchObject({direction: 'in', mode: 'agent', timezone: 'Asia/Kolkata'})
  })
})

describe('device tokens', () => {
  it('verifies the current token by serial and finds the device by token alone', () => {
    const {device, token} = createDevice(store, {serial: 'SN1', name: 'Gate'}, now)
    createDevice(store, {serial: 'SN2', name: 'Back door'}, now)
    expect(verifyDeviceToken(store, 'SN1', token)?.id).toBe(device.id)
    expect(verifyDeviceToken(store, 'SN2', token)).toBeUndefined()
    expect(verifyDeviceToken(store, 'SN1', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined()
    expect(verifyDeviceToken(store, 'SN404', token)).toBeUndefined()
    expect(verifyDeviceToken(store, 'SN1', '')).toBeUndefined()
    expect(findDeviceByToken(store, token)?.serial).toBe('SN1')
    expect(findDeviceByToken(store, token.slice(0, 8) + 'x'.repeat(35))).toBeUndefined()
    expect(findDeviceByToken(store, 'short')).toBeUndefined()
  })

  it('a new token replaces the old one at once', () => {
    const first = createDevice(store, {serial: 'SN1', name: 'Gate'}, now)
    const second = rotateDeviceToken(() => store, 'SN1', now + 1)
    expect(second.token).not.toBe(first.token)
    expect(verifyDeviceToken(store, 'SN1', first.token)).toBeUndefined()
    expect(findDeviceByToken(store, first.token)).toBeUndefined()
    expect(verifyDeviceToken(store, 'SN1', second.token)?.serial).toBe('SN1')
    expect(() => rotateDeviceToken(() => store, 'SN404', now)).toThrow(NotFoundError)
  })

  it('a device registered by device_info has no token', () => {
    registerDevice(store, {serial: 'SN9'}, now)
    expect(verifyDeviceToken(store, 'SN9', '')).toBeUndefined()
    expect(verifyDeviceToken(store, 'SN9', 'anything-at-all-anything-at-all-anything')).toBeUndefined()
  })
})

describe('updates', () => {
  it('changes only the given fields and clears the zone with none', () => {
    createDevice(store, {serial: 'SN1', name: 'Gate', location: 'A', timezone: 'Asia/Kolkata'}, now)
    expect(updateDevice(() => store, 'SN1', {direction: 'out', timezone: 'none'}, now + 1)).toMatchObject({name: 'Gate', location: 'A', direction: 'out', timezone: null, updatedAt: now + 1})
    expect(() => updateDevice(() => store, 'SN1', {timezone: 'Nowhere/Town'}, now)).toThrow('Unknown device time zone "Nowhere/Town"')
    expect(() => updateDevice(() => store, 'SN1', {}, now)).toThrow(/^Nothing to update/)
    expect(() => updateDevice(() => store, 'SN404', {name: 'x'}, now)).toThrow('Unknown device serial "SN404": see attend devices list.')
  })

  it('deactivates, and markDeviceSeen records last contact', () => {
    const {device} = createDevice(store, {serial: 'SN1', name: 'Gate'}, now)
    expect(deactivateDevice(() => store, 'SN1', now).status).toBe('inactive')
    markDeviceSeen(store, device.id, now + 5000)
    expect(findDeviceBySerial(store, 'SN1')?.lastSeenAt).toBe(now + 5000)
  })

  it('registerDevice creates an unknown serial and never renames or moves a known one', () => {
    const created = registerDevice(store, {serial: 'SN7', location: 'Lab'}, now)
    expect(created).toMatchObject({serial: 'SN7', name: 'SN7', location: 'Lab', status: 'active', mode: 'push', tokenHash: null, lastSeenAt: now})
    const again = registerDevice(store, {serial: 'SN7', name: 'Lab door', location: 'Roof'}, now + 1)
    expect(again).toMatchObject({id: created.id, name: 'SN7', location: 'Lab', updatedAt: now})
    // Neither can a name or location past the length policy register a device with it.
    expect(registerDevice(store, {serial: 'SN8', name: 'x'.repeat(201)}, now)).toMatchObject({serial: 'SN8', name: 'SN8'})
  })
})

describe('refused devices', () => {
  it('counts attempts per serial and lists recent unregistered ones, newest first', () => {
    recordRefusedDevice(store, {serial: 'ZZ1', remoteAddress: '10.0.0.9', route: '/iclock/cdata'}, now - 40 * DAY)
    recordRefusedDevice(store, {serial: 'ZZ2', remoteAddress: '10.0.0.7', route: '/iclock/cdata'}, now - 2 * DAY)
    recordRefusedDevice(store, {serial: 'ZZ2', remoteAddress: '10.0.0.8', route: null}, now - DAY)
    recordRefusedDevice(store, {serial: 'ZZ3', remoteAddress: '10.0.0.5', route: '/api/cams/callback'}, now - 3 * DAY)
    expect(listRefusedDevices(store, now)).toEqual([
      {serial: 'ZZ2', remoteAddress: '10.0.0.8', route: '/iclock/cdata', attempts: 2, firstSeenAt: now - 2 * DAY, lastSeenAt: now - DAY},
      {serial: 'ZZ3', remoteAddress: '10.0.0.5', route: '/api/cams/callback', attempts: 1, firstSeenAt: now - 3 * DAY, lastSeenAt: now - 3 * DAY},
    ])
    createDevice(store, {serial: 'ZZ3', name: 'Found it'}, now)
    expect(listRefusedDevices(store, now).map((r) => r.serial)).toEqual(['ZZ2'])
    expect(listRefusedDevices(store, now, 60).map((r) => r.serial)).toEqual(['ZZ2', 'ZZ1'])
  })
})
