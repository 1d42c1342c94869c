import fs from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createDevice} from '../../src/store/sqlite/devices.js'
import {createEmployee} from '../../src/employees/service.js'
import {importMappings} from '../../src/mappings/import.js'
import {addMapping, listMappings} from '../../src/mappings/service.js'
import {lazyPortOf, portOf, testStore} from '../helpers/store.js'
import {insertPunch, punchEmployees} from './helpers.js'

const fixture = fs.readFileSync(new URL('../fixtures/mappings.csv', import.meta.url), 'utf8')
const t0 = Date.UTC(2026, 2, 12, 5, 5)

let store: ReturnType<typeof testStore>
beforeEach(async () => {
  store = testStore()
  for (const [code, name] of [['EMP001', 'Asha Kamau'], ['EMP002', 'Brian Otieno'], ['EMP003', 'Grace Wanjiru']]) await createEmployee(port(), {code, name}, t0)
  createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, t0)
})
afterEach(() => store.cleanup())
const port = () => portOf(store)

describe('importMappings', () => {
  it('imports good rows, names unknown employees and devices by line, and moves punches', async () => {
    insertPunch(store, {deviceKey: 'CDQ9192960002', deviceId: 1, deviceUserId: '0003', instant: t0})
    insertPunch(store, {deviceKey: 'OTHER', deviceUserId: '0003', instant: t0})
    insertPunch(store, {deviceKey: 'OTHER', deviceUserId: '1', instant: t0})
    const result = await importMappings(port(), fixture, t0, {file: 'mappings.csv'})
    expect(result).toEqual({
      file: 'mappings.csv',
      read: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [
        {line: 5, reason: 'unknown employee code "EMP999"', raw: '7,EMP999,'},
        {line: 6, reason: 'unknown device serial "NOSUCHDEVICE"', raw: '8,EMP002,NOSUCHDEVICE'},
      ],
      ignoredColumns: [],
      reresolved: 2,
    })
    expect((await listMappings(port())).map((m) => [m.deviceUserId, m.device, m.employeeCode])).toEqual([
      ['1', null, 'EMP001'],
      ['2', null, 'EMP002'],
      ['0003', 'CDQ9192960002', 'EMP003'],
    ])
    // Only the gate's 0003 is mapped; 0003 on another device stays unmapped.
    expect(punchEmployees(store)).toEqual({'CDQ9192960002/0003': [3], 'OTHER/0003': [null], 'OTHER/1': [1]})
  })

  it('counts replaced and unchanged mappings, and duplicate rows in the file', async () => {
    await addMapping(port(), {deviceUserId: '1', employeeCode: 'EMP002'}, t0)
    await addMapping(port(), {deviceUserId: '2', employeeCode: 'EMP002'}, t0)
    const text = 'User ID;Code\n1;EMP001\n2;EMP002\n2;EMP003\n;EMP001\n'
    const result = await importMappings(port(), text, t0)
    expect(result).toMatchObject({created: 0, updated: 1, unchanged: 1})
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'device user 2 is already mapped on line 3'],
      [5, 'device_user_id is empty'],
    ])
  })

  it('opens no store when the header is missing', async () => {
    const lazy = lazyPortOf(store)
    await expect(importMappings(lazy, '1,EMP001\n2,EMP002\n', t0, {file: 'm.csv'})).rejects.toThrow(
      'm.csv has no device_user_id, employee_code columns in its header row (line 1 reads "1,EMP001"): expected a header such as device_user_id,employee_code,device.',
    )
    expect(lazy.opened()).toBe(false)
  })
})
