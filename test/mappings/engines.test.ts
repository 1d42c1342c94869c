import {expect, it} from 'vitest'

import {upsertDeviceUsers, listDeviceUsers, deviceUserName, removeDeviceUsers} from '../../src/devices/device-users.js'
import {createEmployee} from '../../src/employees/service.js'
import {autoMap} from '../../src/mappings/auto.js'
import {importMappings} from '../../src/mappings/import.js'
import {addMapping, listMappings, listUnmapped, removeMapping} from '../../src/mappings/service.js'
import {describeEngines} from '../helpers/engines.js'

const t0 = Date.UTC(2026, 2, 12, 5, 5)

/** Mappings, their re-resolution of stored punches, and device users on both engines (docs/architecture.md, "The store port"). */
describeEngines(
  'mappings and device users',
  (engine) => {
    const store = () => engine().port
    const ids = {asha: 0, brian: 0}

    async function seed(): Promise<void> {
      ids.asha = (await createEmployee(store(), {code: 'EMP001', name: 'Asha Kamau'}, t0)).id
      ids.brian = (await createEmployee(store(), {code: '42', name: 'Brian Otieno'}, t0)).id
      await engine().exec(`INSERT INTO devices (id, serial, name, created_at, updated_at) VALUES (1, 'GATE1', 'Main gate', 1, 1), (2, 'BACK2', 'Back door', 1, 1)`)
      // 17 at both doors (one punch stored before the gate was registered: serial only), 0042 at the gate, a manual punch of 17.
      await engine().exec(`INSERT INTO punches (device_key, device_id, device_user_id, instant, source, received_at, manual) VALUES
        ('GATE1', 1, '17', ${t0}, 'test', ${t0}, false), ('GATE1', NULL, '17', ${t0 + 1}, 'test', ${t0}, false),
        ('BACK2', 2, '17', ${t0 + 2}, 'test', ${t0}, false), ('GATE1', 1, '0042', ${t0 + 3}, 'test', ${t0}, false),
        ('GATE1', 1, '17', ${t0 + 4}, 'test', ${t0}, true)`)
    }
    const owners = async () => (await engine().all<{e: number | null}>('SELECT employee_id AS e FROM punches ORDER BY id')).map((row) => row.e)

    it('maps per device and globally, moves the stored punches, and falls back when a mapping goes', async () => {
      await seed()
      const onGate = await addMapping(store(), {deviceUserId: '17', employeeCode: 'emp001', deviceSerial: 'GATE1'}, t0)
      expect(onGate).toMatchObject({mapping: {deviceUserId: '17', device: 'GATE1', employeeCode: 'EMP001'}, previous: null, reresolved: 2})
      expect(await owners()).toEqual([ids.asha, ids.asha, null, null, null])
      // The serial-only punch gained its device id.
      expect(await engine().all('SELECT device_id AS d FROM punches WHERE id = 2')).toEqual([{d: 1}])
      const global = await addMapping(store(), {deviceUserId: '17', employeeCode: '42'}, t0)
      expect(global.reresolved).toBe(1)
      expect(await owners()).toEqual([ids.asha, ids.asha, ids.brian, null, null])
      expect((await addMapping(store(), {deviceUserId: '17', employeeCode: 'EMP001'}, t0)).previous).toEqual({code: '42', name: 'Brian Otieno'})
      expect((await listMappings(store())).map((m) => [m.deviceUserId, m.device, m.employeeCode])).toEqual([
        ['17', null, 'EMP001'],
        ['17', 'GATE1', 'EMP001'],
      ])
      expect(await listMappings(store(), {device: 'GATE1'})).toHaveLength(1)
      await expect(listMappings(store(), {device: 'NOPE'})).rejects.toThrow('Unknown device serial "NOPE"')
      await expect(addMapping(store(), {deviceUserId: '17', employeeCode: 'EMP404'}, t0)).rejects.toThrow('Unknown employee code "EMP404"')
      expect((await removeMapping(store(), {deviceUserId: '17'}, t0)).reresolved).toBe(1)
      expect(await owners()).toEqual([ids.asha, ids.asha, null, null, null])
      await expect(removeMapping(store(), {deviceUserId: '17'}, t0)).rejects.toThrow('Device user "17" has no mapping for all devices: see attend map list.')
    })

    it('lists the unmapped users most punches first, with the name their device enrolled', async () => {
      await seed()
      await upsertDeviceUsers(store(), 1, [{deviceUserId: '17', name: 'Asha K', privilege: 'user', card: null}], t0)
      const unmapped = await listUnmapped(store())
      // Most punches first (17 at the gate, its manual punch included), then the latest. The serial-only
      // punch is its own row (no device id yet).
      expect(unmapped.map((u) => [u.deviceUserId, u.deviceKey, u.deviceId, u.punches, u.name, u.lastPunchLocal])).toEqual([
        ['17', 'GATE1', 1, 2, 'Asha K', '2026-03-12 08:05'],
        ['0042', 'GATE1', 1, 1, null, '2026-03-12 08:05'],
        ['17', 'BACK2', 2, 1, null, '2026-03-12 08:05'],
        ['17', 'GATE1', null, 1, null, '2026-03-12 08:05'],
      ])
      expect(unmapped[0].lastPunchAt).toBe(t0 + 4)
      expect(await listUnmapped(store(), {limit: 1})).toHaveLength(1)
    })

    it('auto-maps ids equal to one code (case and leading zeros aside) and imports a mapping file', async () => {
      await seed()
      await createEmployee(store(), {code: '042', name: 'Twin'}, t0)
      const auto = await autoMap(store(), t0)
      expect(auto).toMatchObject({mapped: [], ambiguous: [{deviceUserId: '0042', employeeCodes: expect.arrayContaining(['42', '042'])}], unmatched: ['17'], reresolved: 0})
      const result = await importMappings(store(), 'device_user_id,employee_code,device\n17,EMP001,GATE1\n0042,42,\n9,EMP404,\n8,EMP001,NOPE\n', t0, {file: 'm.csv'})
      expect(result).toMatchObject({created: 2, updated: 0, unchanged: 0, reresolved: 3})
      expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
        [4, 'unknown employee code "EMP404"'],
        [5, 'unknown device serial "NOPE"'],
      ])
      expect(await owners()).toEqual([ids.asha, ids.asha, null, ids.brian, null])
    })

    it('keeps the users a device reports: the last record per PIN wins, re-sent users replace, deletions forget', async () => {
      await seed()
      const first = await upsertDeviceUsers(store(), 1, [
        {deviceUserId: '17', name: 'A', privilege: 'user', card: null},
        {deviceUserId: '17', name: 'Asha K', privilege: 'admin', card: '123'},
        {deviceUserId: '2', name: 'Bo', privilege: 'user', card: null},
      ], t0)
      expect(first).toEqual({created: 2, updated: 0})
      expect(await upsertDeviceUsers(store(), 1, [{deviceUserId: '2', name: 'Bob', privilege: 'user', card: null}], t0 + 1)).toEqual({created: 0, updated: 1})
      await upsertDeviceUsers(store(), 2, [{deviceUserId: '17', name: 'Asha (back)', privilege: 'user', card: null}], t0)
      expect((await listDeviceUsers(store())).map((u) => [u.deviceSerial, u.deviceUserId, u.name])).toEqual([
        ['BACK2', '17', 'Asha (back)'],
        ['GATE1', '2', 'Bob'],
        ['GATE1', '17', 'Asha K'],
      ])
      expect(await deviceUserName(store(), '17', 2)).toBe('Asha (back)')
      expect(await deviceUserName(store(), '17')).toBe('Asha K')
      expect(await removeDeviceUsers(store(), 1, ['2', '2', '99'])).toBe(1)
      expect(await listDeviceUsers(store(), {deviceId: 1})).toHaveLength(1)
    })
  },
  {timezone: 'Africa/Nairobi'},
)
