import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {recordRefusedDevice, findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {tokenVerifies} from '../../src/devices/token.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {withStoreAt} from '../helpers/store.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const now = Date.parse('2026-03-12T09:00:00Z')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())

const withStore = <T>(fn: (store: Store) => T): T => withStoreAt(db, fn)

/** The device with this serial if `token` is its current token. */
const verifyDeviceToken = (store: Store, serial: string, token: string) => {
  const device = findDeviceBySerial(store, serial)
  return tokenVerifies(device, token) ? device : undefined
}

describe('attend devices', () => {
  let firstToken = ''
  beforeAll(async () => {
    withStore((store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, now))
    const result = await runAttend(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--location', 'Gate A'], {env})
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe('Registered CDQ9192960002 (Main gate): push mode, direction auto.')
    expect(lines[1]).toBe('Device token (shown once; only its hash is stored):')
    firstToken = lines[2].trim()
    expect(firstToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('stores only the hash of the printed token', () => {
    withStore((store) => {
      expect(verifyDeviceToken(store, 'CDQ9192960002', firstToken)?.name).toBe('Main gate')
      const row = store.sqlite.prepare('SELECT * FROM devices').get()
      expect(JSON.stringify(row)).not.toContain(firstToken)
    })
  })

  it('issues a new token that replaces the old one', async () => {
    const {token, device} = await runJson<{token: string; device: {serial: string; hasToken: boolean}}>(['devices', 'token', 'CDQ9192960002'], {env})
    expect(device).toMatchObject({serial: 'CDQ9192960002', hasToken: true})
    expect(device).not.toHaveProperty('tokenHash')
    withStore((store) => {
      expect(verifyDeviceToken(store, 'CDQ9192960002', firstToken)).toBeUndefined()
      expect(verifyDeviceToken(store, 'CDQ9192960002', token)).toBeDefined()
    })
  })

  it('lists devices and recently refused serials', async () => {
    withStore((store) => {
      recordRefusedDevice(store, {serial: 'ZK0099', remoteAddress: '192.168.1.50', route: '/iclock/cdata'}, now - 3_600_000)
      recordRefusedDevice(store, {serial: 'ZK0099', remoteAddress: '192.168.1.50', route: '/iclock/cdata'}, now - 600_000)
    })
    const updated = await runAttend(['devices', 'update', 'CDQ9192960002', '--direction', 'in', '--timezone', 'Asia/Kolkata'], {env})
    expect(updated.stdout).toBe('Updated CDQ9192960002 (Main gate): active, push mode, direction in, zone Asia/Kolkata.\n')
    withStore((store) => store.sqlite.prepare(`UPDATE devices SET last_seen_at = ? WHERE serial = 'CDQ9192960002'`).run(now - 200_000))
    const table = await runAttend(['devices', 'list'], {env})
    const lines = table.stdout.split('\n')
    // Online while seen within device-offline-after (5 minutes); last seen as relative time.
    expect(lines[0]).toMatch(/^Serial\s+Name\s+Location\s+Mode\s+Direction\s+Status\s+Zone\s+Token\s+Presence\s+Last seen$/)
    expect(lines[1]).toMatch(/^CDQ9192960002\s+Main gate\s+Gate A\s+push\s+in\s+active\s+Asia\/Kolkata\s+\S{8}…\s+online\s+3 min ago$/)
    const later = await runAttend(['devices', 'list'], {env: {...env, ATTEND_NOW: '2026-03-12T11:00:00Z'}})
    expect(later.stdout.split('\n')[1]).toMatch(/\s+offline\s+2 h ago$/)
    expect(lines[3]).toBe('Refused (unregistered) serials, last 30 days — add them with attend devices add:')
    expect(lines[4]).toMatch(/First seen \(Africa\/Nairobi\)\s+Last seen \(Africa\/Nairobi\)$/)
    expect(lines[5]).toMatch(/^ZK0099\s+192\.168\.1\.50\s+\/iclock\/cdata\s+2\s+2026-03-12 11:00\s+2026-03-12 11:50$/)
    const json = await runJson<{devices: unknown[]; refused: {serial: string; attempts: number}[]}>(['devices', 'list'], {env})
    expect(json.devices).toMatchObject([{serial: 'CDQ9192960002', presence: 'online', lastSeenAt: now - 200_000}])
    expect(json.refused).toMatchObject([{serial: 'ZK0099', attempts: 2}])
  })

  it('deactivates a device', async () => {
    const result = await runAttend(['devices', 'deactivate', 'CDQ9192960002'], {env})
    expect(result.stdout).toBe('Deactivated CDQ9192960002 (Main gate): attend serve now refuses it.\n')
    const shown = await runAttend(['devices', 'show', 'CDQ9192960002'], {env})
    expect(shown.stdout).toContain('Status:     inactive\n')
    expect(shown.stdout).toContain('Time zone:  Asia/Kolkata\n')
  })

  it('keeps a CAMS service tag id and an allow-list, shows them, and refuses bad ones with exit 2', async () => {
    const added = await runAttend(['devices', 'add', '--serial', 'ZHM1140012', '--name', 'Gate (CAMS)', '--cams-stgid', 'ST-4FJ2K9', '--allow-from', '203.0.113.0/28'], {env})
    expect(added.exitCode).toBe(0)
    const updated = await runAttend(['devices', 'update', 'ZHM1140012', '--allow-from', '203.0.113.0/28, 10.0.0.7'], {env})
    expect(updated.stdout).toBe('Updated ZHM1140012 (Gate (CAMS)): active, push mode, direction auto, zone site, CAMS stgid ST-4FJ2K9, allowed from 203.0.113.0/28, 10.0.0.7.\n')
    const shown = await runAttend(['devices', 'show', 'ZHM1140012'], {env})
    expect(shown.stdout).toContain('CAMS stgid: ST-4FJ2K9\n')
    expect(shown.stdout).toContain('Allow from: 203.0.113.0/28, 10.0.0.7\n')
    const json = await runJson<{camsStgid: string; allowFrom: string}>(['devices', 'show', 'ZHM1140012'], {env})
    expect(json).toMatchObject({camsStgid: 'ST-4FJ2K9', allowFrom: '203.0.113.0/28, 10.0.0.7'})

    const bad = await runAttend(['devices', 'update', 'ZHM1140012', '--allow-from', '10.0.0.0/40'], {env})
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toMatch(/^Error: Invalid --allow-from entry "10\.0\.0\.0\/40"/)
    const taken = await runAttend(['devices', 'update', 'CDQ9192960002', '--cams-stgid', 'ST-4FJ2K9'], {env})
    expect(taken.exitCode).toBe(1)
    expect(errorText(taken.stderr)).toBe('Error: CAMS service tag id "ST-4FJ2K9" already belongs to device ZHM1140012 (Gate (CAMS)).')
    const cleared = await runJson<{camsStgid: string | null; allowFrom: string | null}>(['devices', 'update', 'ZHM1140012', '--cams-stgid', 'none', '--allow-from', 'none'], {env})
    expect(cleared).toMatchObject({camsStgid: null, allowFrom: null})
  })

  it('refuses a device name longer than 200 characters', async () => {
    const result = await runAttend(['devices', 'add', '--serial', 'LONG1', '--name', 'n'.repeat(201)], {env})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('is longer than 200 characters')
  })

  it('lists the serials imported punches name that no device is registered under, until one is registered', async () => {
    const fixture = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/punches-export.csv')
    expect((await runAttend(['import', fixture], {env})).exitCode).toBe(0)
    const listed = await runAttend(['devices', 'list'], {env})
    const lines = listed.stdout.split('\n')
    const at = lines.indexOf('Unregistered serials with stored punches (imported, or sent before registration) — add them with attend devices add:')
    expect(at).toBeGreaterThan(0)
    expect(lines[at + 1]).toMatch(/^Serial\s+Source\s+Punches\s+First punch \(Africa\/Nairobi\)\s+Last punch \(Africa\/Nairobi\)$/)
    expect(lines[at + 2]).toMatch(/^ZK-HQ-02\s+import:csv\s+1\s+2026-03-13 07:55\s+2026-03-13 07:55$/)
    expect(lines[at + 3]).toMatch(/^ZK-HQ-01\s+import:csv\s+4\s+2026-03-12 08:02\s+2026-03-12 17:31$/)

    expect((await runAttend(['devices', 'add', '--serial', 'ZK-HQ-01', '--name', 'HQ'], {env})).exitCode).toBe(0)
    const json = await runJson<{unregistered: {serial: string; punches: number}[]}>(['devices', 'list'], {env})
    expect(json.unregistered).toEqual([expect.objectContaining({serial: 'ZK-HQ-02', source: 'import:csv', punches: 1})])
  })
})
