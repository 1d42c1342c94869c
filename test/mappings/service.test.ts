import {beforeEach, describe, expect, it} from 'vitest'

import {addDevice} from '../../src/devices/service.js'
import {createEmployee, type Employee} from '../../src/employees/service.js'
import {NotFoundError, UsageError} from '../../src/errors.js'
import {addMapping, listMappings, listUnmapped, removeMapping} from '../../src/mappings/service.js'
import {lazyAttendStore} from '../../src/store/lazy.js'
import {describeEngines} from '../helpers/engines.js'
import {enginePunchEmployees, insertEnginePunch} from './helpers.js'

const t0 = Date.UTC(2026, 2, 12, 5, 5) // 08:05 in Nairobi
const HOUR = 3_600_000

describeEngines('mappings', (store) => {
  let asha: Employee
  let brian: Employee
  let gate: number
  let back: number
  beforeEach(async () => {
    asha = await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau'}, t0)
    brian = await createEmployee(port(), {code: 'EMP002', name: 'Brian Otieno'}, t0)
    gate = (await addDevice(port(), {serial: 'GATE1', name: 'Main gate'}, t0)).device.id
    back = (await addDevice(port(), {serial: 'BACK2', name: 'Back door', timezone: 'Asia/Kolkata'}, t0)).device.id
  })
  const port = () => store().port
  const insertPunch = (punch: Parameters<typeof insertEnginePunch>[1]) => insertEnginePunch(store(), punch)
  const punchEmployees = () => enginePunchEmployees(store())

  describe('addMapping', () => {
    it('maps a device user on all devices and moves their stored punches', async () => {
      await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
      await insertPunch({deviceKey: 'OLD9', deviceUserId: '7', instant: t0 + HOUR})
      await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '8', instant: t0})
      const result = await addMapping(port(), {deviceUserId: ' 7 ', employeeCode: 'emp001'}, t0)
      expect(result).toMatchObject({
        mapping: {deviceUserId: '7', device: null, employeeId: asha.id, employeeCode: 'EMP001', employeeName: 'Asha Kamau'},
        previous: null,
        reresolved: 2,
      })
      expect(await punchEmployees()).toEqual({'GATE1/7': [asha.id], 'OLD9/7': [asha.id], 'GATE1/8': [null]})
    })

    it('a device-specific mapping wins over the global one, and removing it falls back', async () => {
      await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
      await insertPunch({deviceKey: 'BACK2', deviceUserId: '7', instant: t0})
      await addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP001'}, t0)
      const specific = await addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP002', deviceSerial: 'GATE1'}, t0)
      expect(specific.mapping.device).toBe('GATE1')
      expect(specific.reresolved).toBe(1)
      expect(await punchEmployees()).toEqual({'GATE1/7': [brian.id], 'BACK2/7': [asha.id]})
      expect((await listMappings(port())).map((m) => [m.deviceUserId, m.device, m.employeeCode])).toEqual([
        ['7', null, 'EMP001'],
        ['7', 'GATE1', 'EMP002'],
      ])

      const removed = await removeMapping(port(), {deviceUserId: '7', deviceSerial: 'GATE1'}, t0)
      expect(removed.reresolved).toBe(1)
      expect(await punchEmployees()).toEqual({'GATE1/7': [asha.id], 'BACK2/7': [asha.id]})
      await removeMapping(port(), {deviceUserId: '7'}, t0)
      expect(await punchEmployees()).toEqual({'GATE1/7': [null], 'BACK2/7': [null]})
    })

    it('re-mapping names the employee it replaced', async () => {
      await addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP001'}, t0)
      const again = await addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP002'}, t0)
      expect(again.previous).toEqual({code: 'EMP001', name: 'Asha Kamau'})
      expect((await listMappings(port()))).toHaveLength(1)
    })

    it('refuses an unknown employee or device and writes nothing', async () => {
      await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
      await expect(addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP404'}, t0)).rejects.toThrow(NotFoundError)
      await expect(addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP404'}, t0)).rejects.toThrow('Unknown employee code "EMP404": see attend employees list.')
      await expect(addMapping(port(), {deviceUserId: '7', employeeCode: 'EMP001', deviceSerial: 'NOPE'}, t0)).rejects.toThrow('Unknown device serial "NOPE"')
      expect((await listMappings(port()))).toEqual([])
      expect(await punchEmployees()).toEqual({'GATE1/7': [null]})
    })

    it('validates the device user id before opening the store', async () => {
      const lazy = lazyAttendStore(store().engine, async () => port())
      await expect(addMapping(lazy, {deviceUserId: '4 2', employeeCode: 'EMP001'}, t0)).rejects.toThrow(UsageError)
      await expect(addMapping(lazy, {deviceUserId: '  ', employeeCode: 'EMP001'}, t0)).rejects.toThrow('The device user id cannot be empty.')
      expect(lazy.opened()).toBe(false)
    })

    it('names a missing mapping on remove', async () => {
      await expect(removeMapping(port(), {deviceUserId: '7'}, t0)).rejects.toThrow('Device user "7" has no mapping for all devices: see attend map list.')
      await expect(removeMapping(port(), {deviceUserId: '7', deviceSerial: 'GATE1'}, t0)).rejects.toThrow('Device user "7" has no mapping on device GATE1')
    })
  })

  describe('listUnmapped', () => {
    it('groups unmapped punches per device user and device, most punches first, with the enrolled name', async () => {
      for (let i = 0; i < 3; i++) await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '0042', instant: t0 + i * HOUR})
      await insertPunch({deviceKey: 'BACK2', deviceId: back, deviceUserId: '9', instant: t0 + 10 * HOUR})
      await insertPunch({deviceKey: 'UNREG', deviceUserId: '9', instant: t0 + 11 * HOUR})
      await insertPunch({deviceKey: 'GATE1', deviceId: gate, deviceUserId: '5', instant: t0, employeeId: asha.id})
      await store().exec(`INSERT INTO device_users (device_id, device_user_id, name, updated_at) VALUES (${gate}, '0042', 'Peter M', 1)`)
      expect((await listUnmapped(port()))).toEqual([
        {deviceUserId: '0042', deviceKey: 'GATE1', deviceId: gate, name: 'Peter M', punches: 3, lastPunchAt: t0 + 2 * HOUR, lastPunchLocal: '2026-03-12 10:05'},
        {deviceUserId: '9', deviceKey: 'UNREG', deviceId: null, name: null, punches: 1, lastPunchAt: t0 + 11 * HOUR, lastPunchLocal: '2026-03-12 19:05'},
        // The back door's clock runs in Asia/Kolkata.
        {deviceUserId: '9', deviceKey: 'BACK2', deviceId: back, name: null, punches: 1, lastPunchAt: t0 + 10 * HOUR, lastPunchLocal: '2026-03-12 20:35'},
      ])
    })

    it('is empty until punches exist', async () => {
      expect((await listUnmapped(port()))).toEqual([])
    })
  })
}, {timezone: 'Africa/Nairobi'})
