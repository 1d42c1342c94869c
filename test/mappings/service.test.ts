import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createDevice} from '../../src/store/sqlite/devices.js'
import {createEmployee, type Employee} from '../../src/employees/service.js'
import {NotFoundError, UsageError} from '../../src/errors.js'
import {addMapping, listMappings, listUnmapped, removeMapping} from '../../src/mappings/service.js'
import {testStore} from '../helpers/store.js'
import {insertPunch, punchEmployees} from './helpers.js'

const t0 = Date.UTC(2026, 2, 12, 5, 5) // 08:05 in Nairobi
const HOUR = 3_600_000

let store: ReturnType<typeof testStore>
let asha: Employee
let brian: Employee
let gate: number
beforeEach(() => {
  store = testStore({timezone: 'Africa/Nairobi'})
  asha = createEmployee(store, {code: 'EMP001', name: 'Asha Kamau'}, t0)
  brian = createEmployee(store, {code: 'EMP002', name: 'Brian Otieno'}, t0)
  gate = createDevice(store, {serial: 'GATE1', name: 'Main gate'}, t0).device.id
  createDevice(store, {serial: 'BACK2', name: 'Back door', timezone: 'Asia/Kolkata'}, t0)
})
afterEach(() => store.cleanup())

describe('addMapping', () => {
  it('maps a device user on all devices and moves their stored punches', () => {
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
    insertPunch(store, {deviceKey: 'OLD9', deviceUserId: '7', instant: t0 + HOUR})
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '8', instant: t0})
    const result = addMapping(() => store, {deviceUserId: ' 7 ', employeeCode: 'emp001'}, t0)
    expect(result).toMatchObject({
      mapping: {deviceUserId: '7', device: null, employeeId: asha.id, employeeCode: 'EMP001', employeeName: 'Asha Kamau'},
      previous: null,
      reresolved: 2,
    })
    expect(punchEmployees(store)).toEqual({'GATE1/7': [asha.id], 'OLD9/7': [asha.id], 'GATE1/8': [null]})
  })

  it('a device-specific mapping wins over the global one, and removing it falls back', () => {
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
    insertPunch(store, {deviceKey: 'BACK2', deviceUserId: '7', instant: t0})
    addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP001'}, t0)
    const specific = addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP002', deviceSerial: 'GATE1'}, t0)
    expect(specific.mapping.device).toBe('GATE1')
    expect(specific.reresolved).toBe(1)
    expect(punchEmployees(store)).toEqual({'GATE1/7': [brian.id], 'BACK2/7': [asha.id]})
    expect(listMappings(store).map((m) => [m.deviceUserId, m.device, m.employeeCode])).toEqual([
      ['7', null, 'EMP001'],
      ['7', 'GATE1', 'EMP002'],
    ])

    const removed = removeMapping(() => store, {deviceUserId: '7', deviceSerial: 'GATE1'}, t0)
    expect(removed.reresolved).toBe(1)
    expect(punchEmployees(store)).toEqual({'GATE1/7': [asha.id], 'BACK2/7': [asha.id]})
    removeMapping(() => store, {deviceUserId: '7'}, t0)
    expect(punchEmployees(store)).toEqual({'GATE1/7': [null], 'BACK2/7': [null]})
  })

  it('re-mapping names the employee it replaced', () => {
    addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP001'}, t0)
    const again = addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP002'}, t0)
    expect(again.previous).toEqual({code: 'EMP001', name: 'Asha Kamau'})
    expect(listMappings(store)).toHaveLength(1)
  })

  it('refuses an unknown employee or device and writes nothing', () => {
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '7', instant: t0})
    expect(() => addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP404'}, t0)).toThrow(NotFoundError)
    expect(() => addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP404'}, t0)).toThrow('Unknown employee code "EMP404": see attend employees list.')
    expect(() => addMapping(() => store, {deviceUserId: '7', employeeCode: 'EMP001', deviceSerial: 'NOPE'}, t0)).toThrow('Unknown device serial "NOPE"')
    expect(listMappings(store)).toEqual([])
    expect(punchEmployees(store)).toEqual({'GATE1/7': [null]})
  })

  it('validates the device user id before opening the store', () => {
    let opened = false
    expect(() => addMapping(() => ((opened = true), store), {deviceUserId: '4 2', employeeCode: 'EMP001'}, t0)).toThrow(UsageError)
    expect(() => addMapping(() => ((opened = true), store), {deviceUserId: '  ', employeeCode: 'EMP001'}, t0)).toThrow('The device user id cannot be empty.')
    expect(opened).toBe(false)
  })

  it('names a missing mapping on remove', () => {
    expect(() => removeMapping(() => store, {deviceUserId: '7'}, t0)).toThrow('Device user "7" has no mapping for all devices: see attend map list.')
    expect(() => removeMapping(() => store, {deviceUserId: '7', deviceSerial: 'GATE1'}, t0)).toThrow('Device user "7" has no mapping on device GATE1')
  })
})

describe('listUnmapped', () => {
  it('groups unmapped punches per device user and device, most punches first, with the enrolled name', () => {
    for (let i = 0; i < 3; i++) insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '0042', instant: t0 + i * HOUR})
    insertPunch(store, {deviceKey: 'BACK2', deviceId: gate + 1, deviceUserId: '9', instant: t0 + 10 * HOUR})
    insertPunch(store, {deviceKey: 'UNREG', deviceUserId: '9', instant: t0 + 11 * HOUR})
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '5', instant: t0, employeeId: asha.id})
    store.sqlite.prepare(`INSERT INTO device_users (device_id, device_user_id, name, updated_at) VALUES (?, '0042', 'Peter M', 1)`).run(gate)
    expect(listUnmapped(store)).toEqual([
      {deviceUserId: '0042', deviceKey: 'GATE1', deviceId: gate, name: 'Peter M', punches: 3, lastPunchAt: t0 + 2 * HOUR, lastPunchLocal: '2026-03-12 10:05'},
      {deviceUserId: '9', deviceKey: 'UNREG', deviceId: null, name: null, punches: 1, lastPunchAt: t0 + 11 * HOUR, lastPunchLocal: '2026-03-12 19:05'},
      // The back door's clock runs in Asia/Kolkata.
      {deviceUserId: '9', deviceKey: 'BACK2', deviceId: gate + 1, name: null, punches: 1, lastPunchAt: t0 + 10 * HOUR, lastPunchLocal: '2026-03-12 20:35'},
    ])
  })

  it('is empty until punches exist', () => {
    expect(listUnmapped(store)).toEqual([])
  })
})
