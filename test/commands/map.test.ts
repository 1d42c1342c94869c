import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createDevice} from '../../src/store/sqlite/devices.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {insertPunch} from '../mappings/helpers.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const t0 = Date.parse('2026-03-12T05:05:00Z')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())

function employeeIds(): Record<string, string | null> {
  const store = openStore(db)
  try {
    const rows = store.sqlite
      .prepare('SELECT p.device_key || \'/\' || p.device_user_id AS k, e.code FROM punches p LEFT JOIN employees e ON e.id = p.employee_id ORDER BY p.id')
      .all() as {k: string; code: string | null}[]
    return Object.fromEntries(rows.map((r) => [r.k, r.code]))
  } finally {
    store.close()
  }
}

describe('attend map', () => {
  beforeAll(() => {
    const store = openStore(db)
    writeSettings(store, {timezone: 'Africa/Nairobi'}, t0)
    for (const [code, name] of [['EMP001', 'Asha Kamau'], ['EMP002', 'Brian Otieno'], ['EMP003', 'Grace Wanjiru'], ['42', 'Peter Mwangi']]) {
      createEmployee(store, {code, name}, t0)
    }
    const gate = createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, t0).device.id
    for (let i = 0; i < 3; i++) insertPunch(store, {deviceKey: 'CDQ9192960002', deviceId: gate, deviceUserId: '0042', instant: t0 + i * 3_600_000})
    insertPunch(store, {deviceKey: 'CDQ9192960002', deviceId: gate, deviceUserId: '7', instant: t0})
    insertPunch(store, {deviceKey: 'CDQ9192960002', deviceId: gate, deviceUserId: '7', instant: t0 + 60_000})
    insertPunch(store, {deviceKey: 'CDQ9192960002', deviceId: gate, deviceUserId: '0003', instant: t0})
    store.sqlite.prepare(`INSERT INTO device_users (device_id, device_user_id, name, updated_at) VALUES (?, '7', 'ASHA K', 1)`).run(gate)
    store.close()
  })

  it('lists unmapped device users with punch count, last punch and enrolled name', async () => {
    const result = await runAttend(['map', 'list', '--unmapped'], {env})
    expect(result.stdout.split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'Device user Name on device Device Punches Last punch',
      '0042 - CDQ9192960002 3 2026-03-12 10:05',
      '7 ASHA K CDQ9192960002 2 2026-03-12 08:06',
      '0003 - CDQ9192960002 1 2026-03-12 08:05',
      'Map them with attend map add DEVICE_USER_ID EMPLOYEE_CODE, attend map auto, or attend map add on a terminal.',
      '',
    ])
  })

  it('maps one device user and moves their punches', async () => {
    const result = await runAttend(['map', 'add', '7', 'emp001'], {env})
    expect(result).toMatchObject({exitCode: 0, stderr: ''})
    expect(result.stdout).toBe('Mapped device user 7 on all devices → EMP001 Asha Kamau; 2 stored punches updated.\n')
    expect(employeeIds()['CDQ9192960002/7']).toBe('EMP001')
  })

  it('maps 0042 to code 42 automatically', async () => {
    const result = await runAttend(['map', 'auto'], {env})
    expect(result.stdout).toBe('Mapped 0042 → 42 Peter Mwangi\n1 mapped, 0 ambiguous, 1 with no matching code; 3 stored punches updated.\n')
    expect(employeeIds()['CDQ9192960002/0042']).toBe('42')
  })

  it('imports mappings, naming the rejected lines, exit 3', async () => {
    const file = fileURLToPath(new URL('../fixtures/mappings.csv', import.meta.url))
    const result = await runAttend(['map', 'import', file], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toBe('mappings.csv: 5 rows read, 3 added, 0 replaced, 0 unchanged, 2 rejected; 1 stored punches updated.\n')
    expect(result.stderr).toBe('line 5: unknown employee code "EMP999"\nline 6: unknown device serial "NOSUCHDEVICE"\n')
    expect(employeeIds()['CDQ9192960002/0003']).toBe('EMP003')
  })

  it('lists and removes mappings', async () => {
    const {mappings} = await runJson<{mappings: {deviceUserId: string; device: string | null; employeeCode: string}[]}>(['map', 'list'], {env})
    expect(mappings.map((m) => `${m.deviceUserId}@${m.device ?? 'all'}=${m.employeeCode}`)).toEqual([
      '1@all=EMP001',
      '2@all=EMP002',
      '7@all=EMP001',
      '0003@CDQ9192960002=EMP003',
      '0042@all=42',
    ])
    const removed = await runAttend(['map', 'remove', '0003', '--device', 'CDQ9192960002'], {env})
    expect(removed.stdout).toBe('Removed mapping of device user 0003 on CDQ9192960002 → EMP003; 1 stored punches updated.\n')
    expect(employeeIds()['CDQ9192960002/0003']).toBeNull()
  })

  it('needs both arguments when not on a terminal', async () => {
    const none = await runAttend(['map', 'add'], {env})
    expect(none.exitCode).toBe(2)
    expect(errorText(none.stderr)).toBe(
      'Error: attend map add needs DEVICE_USER_ID and EMPLOYEE_CODE (it picks interactively only on a terminal): e.g. attend map add 42 EMP001.',
    )
    const one = await runAttend(['map', 'add', '7'], {env})
    expect(one.exitCode).toBe(2)
    expect(errorText(one.stderr)).toBe('Error: Missing EMPLOYEE_CODE: attend map add 7 EMPLOYEE_CODE [--device SN].')
  })
})
