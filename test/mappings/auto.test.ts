import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createDevice} from '../../src/store/sqlite/devices.js'
import {createEmployee} from '../../src/employees/service.js'
import {autoMap, matchKey} from '../../src/mappings/auto.js'
import {addMapping, listMappings} from '../../src/mappings/service.js'
import {portOf, testStore} from '../helpers/store.js'
import {insertPunch, punchEmployees} from './helpers.js'

const t0 = Date.UTC(2026, 2, 12, 5, 5)

let store: ReturnType<typeof testStore>
beforeEach(async () => {
  store = testStore()
})
afterEach(() => store.cleanup())
const port = () => portOf(store)

describe('matchKey', () => {
  it('ignores case and leading zeros, but keeps a lone zero', async () => {
    expect(matchKey('0042')).toBe('42')
    expect(matchKey(' Emp7 ')).toBe('emp7')
    expect(matchKey('000')).toBe('0')
    expect(matchKey('EMP007')).toBe('emp007')
  })
})

describe('autoMap', () => {
  it('maps ids equal to exactly one code and leaves the rest for the admin', async () => {
    const e42 = await createEmployee(port(), {code: '42', name: 'Peter Mwangi'}, t0)
    const e7 = await createEmployee(port(), {code: 'A7', name: 'Grace Wanjiru'}, t0)
    await createEmployee(port(), {code: '5', name: 'Five'}, t0)
    await createEmployee(port(), {code: '05', name: 'Oh-five'}, t0)
    const e13 = await createEmployee(port(), {code: '13', name: 'Only enrolled'}, t0)
    const gate = createDevice(store, {serial: 'GATE1', name: 'Gate'}, t0).device.id
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '0042', instant: t0})
    insertPunch(store, {deviceKey: 'OLD', deviceUserId: '0042', instant: t0 + 1000})
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: 'a07', instant: t0})
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '005', instant: t0})
    insertPunch(store, {deviceKey: 'GATE1', deviceId: gate, deviceUserId: '99', instant: t0})
    store.sqlite.prepare(`INSERT INTO device_users (device_id, device_user_id, name, updated_at) VALUES (?, '0013', 'X', 1)`).run(gate)

    const result = await autoMap(port(), t0)
    expect(result.mapped).toEqual([
      {deviceUserId: '0013', employeeCode: '13', employeeName: 'Only enrolled'},
      {deviceUserId: '0042', employeeCode: '42', employeeName: 'Peter Mwangi'},
    ])
    expect(result.ambiguous).toEqual([{deviceUserId: '005', employeeCodes: ['5', '05']}])
    expect(result.unmatched).toEqual(['99', 'a07'])
    expect(result.reresolved).toBe(2)
    expect(punchEmployees(store)).toMatchObject({'GATE1/0042': [e42.id], 'OLD/0042': [e42.id], 'GATE1/a07': [null]})
    expect((await listMappings(port())).map((m) => [m.deviceUserId, m.device, m.employeeId])).toEqual([
      ['0013', null, e13.id],
      ['0042', null, e42.id],
    ])
    expect(e7.code).toBe('A7')

    // Running it again finds nothing new.
    expect((await autoMap(port(), t0))).toMatchObject({mapped: [], reresolved: 0})
  })

  it('leaves device users that already have a mapping alone', async () => {
    await createEmployee(port(), {code: '42', name: 'Peter'}, t0)
    await createEmployee(port(), {code: 'EMP001', name: 'Asha'}, t0)
    await addMapping(port(), {deviceUserId: '0042', employeeCode: 'EMP001'}, t0)
    expect((await autoMap(port(), t0)).mapped).toEqual([])
    expect((await listMappings(port()))[0].employeeCode).toBe('EMP001')
  })
})
