import fs from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {importEmployees} from '../../src/employees/import.js'
import {createEmployee, deactivateEmployee, findEmployeeByCode, listEmployees} from '../../src/employees/service.js'
import {UsageError} from '../../src/errors.js'
import {lazyPortOf, portOf, testStore} from '../helpers/store.js'

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
const now = Date.UTC(2026, 2, 1)

let store: ReturnType<typeof testStore>
beforeEach(async () => {
  store = testStore()
})
afterEach(() => store.cleanup())
const port = () => portOf(store)

describe('importEmployees', () => {
  it('imports the BOM-prefixed, CRLF fixture', async () => {
    const result = await importEmployees(port(), fixture('employees.csv'), now, {file: 'employees.csv'})
    expect(result).toMatchObject({file: 'employees.csv', read: 5, created: 5, updated: 0, unchanged: 0, rejected: [], ignoredColumns: []})
    expect((await findEmployeeByCode(port(), 'EMP003'))).toMatchObject({name: 'Wanjiru, Grace', department: 'Administration', phone: '0722 000 111'})
    expect((await findEmployeeByCode(port(), '42'))).toMatchObject({name: 'Peter Mwangi', email: null, joinedOn: '2023-02-01'})
    // Left before today (2026-03-01) and no active column: gone.
    expect((await findEmployeeByCode(port(), 'EMP005'))).toMatchObject({name: 'Zoë Müller', leftOn: '2025-12-19', active: false})
  })

  it('deactivates whoever a file gives a past leaving date, and no one leaving today or later', async () => {
    await createEmployee(port(), {code: 'EMP001', name: 'Asha'}, now)
    const text = 'code,name,left_on\nEMP001,Asha,2026-02-27\nEMP002,Brian,2026-03-01\nEMP003,Grace,2026-06-30\nEMP004,Peter,2026-01-31\n'
    expect((await importEmployees(port(), text, now))).toMatchObject({created: 3, updated: 1, rejected: []})
    expect(await Promise.all(['EMP001', 'EMP002', 'EMP003', 'EMP004'].map(async (code) => (await findEmployeeByCode(port(), code))?.active))).toEqual([false, true, true, false])
    // An active column says otherwise explicitly: it wins.
    await importEmployees(port(), 'code,name,left_on,active\nEMP004,Peter,2026-01-31,yes\n', now)
    expect((await findEmployeeByCode(port(), 'EMP004'))).toMatchObject({active: true, leftOn: '2026-01-31'})
  })

  it('upserts by code: changed rows update, identical rows are left alone', async () => {
    await importEmployees(port(), fixture('employees.csv'), now)
    const text = 'code,name,department\nemp001,Asha Kamau,Administration\nEMP002,Brian Otieno,Teaching\nEMP006,New Person,Library\n'
    const result = await importEmployees(port(), text, now + 1)
    expect(result).toMatchObject({read: 3, created: 1, updated: 1, unchanged: 1, rejected: []})
    // The code keeps its stored spelling; columns absent from the file keep their values.
    expect((await findEmployeeByCode(port(), 'EMP001'))).toMatchObject({code: 'EMP001', department: 'Administration', email: 'asha@greenfield.ac.ke', updatedAt: now + 1})
    expect(((await findEmployeeByCode(port(), 'EMP002'))?.updatedAt)).toBe(now)
  })

  it('keeps the good rows of a bad file and names each bad line', async () => {
    const result = await importEmployees(port(), fixture('employees-bad.csv'), now, {file: 'employees-bad.csv'})
    expect(result.created).toBe(2)
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'Invalid email "kevin@": expected an address such as asha@example.com'],
      [4, 'Invalid joined_on "2024-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2024 has 29 days)'],
      [5, 'code is empty'],
      [6, 'a quote is opened but never closed'],
      [7, 'has 6 fields but the header has 5 (an unquoted ";" inside a value?)'],
      [8, 'code EMP010 already appears on line 2'],
    ])
    expect((await listEmployees(port())).rows.map((e) => e.code)).toEqual(['EMP010', 'EMP015'])
    expect(((await findEmployeeByCode(port(), 'EMP010'))?.name)).toBe('Faith Njeri')
  })

  it('rejects a row whose left_on falls before the stored joined_on', async () => {
    await createEmployee(port(), {code: 'EMP001', name: 'Asha', joinedOn: '2021-01-04'}, now)
    const result = await importEmployees(port(), 'code,name,left_on\nEMP001,Asha,2020-01-01\n', now)
    expect(result.rejected).toEqual([{line: 2, reason: 'left_on 2020-01-01 is before joined_on 2021-01-04'}])
    expect(((await findEmployeeByCode(port(), 'EMP001'))?.leftOn)).toBeNull()
  })

  it('accepts an active column', async () => {
    const result = await importEmployees(port(), 'code,name,active\nEMP001,Asha,no\nEMP002,Brian,maybe\n', now)
    expect(((await findEmployeeByCode(port(), 'EMP001'))?.active)).toBe(false)
    expect(result.rejected).toEqual([{line: 3, reason: 'Invalid active "maybe": expected yes or no', raw: 'EMP002,Brian,maybe'}])
  })

  it('keeps the leaving date of a deactivated employee when a re-imported list leaves left_on empty', async () => {
    await createEmployee(port(), {code: 'EMP001', name: 'Asha', joinedOn: '2021-01-04'}, now)
    await deactivateEmployee(port(), 'EMP001', {leftOn: '2026-02-27'}, now)
    await createEmployee(port(), {code: 'EMP002', name: 'Brian', leftOn: '2026-02-20'}, now)
    const result = await importEmployees(port(), 'code,name,left_on\nEMP001,Asha M.,\nEMP002,Brian,\n', now)
    expect(result).toMatchObject({updated: 2, rejected: []})
    expect((await findEmployeeByCode(port(), 'EMP001'))).toMatchObject({name: 'Asha M.', active: false, leftOn: '2026-02-27'})
    // An active employee's empty cell does clear the date.
    expect((await findEmployeeByCode(port(), 'EMP002'))).toMatchObject({active: true, leftOn: null})
  })

  it('dates a deactivation by import today, and clears the date only when the row reactivates', async () => {
    await createEmployee(port(), {code: 'EMP001', name: 'Asha'}, now)
    await importEmployees(port(), 'code,name,active,left_on\nEMP001,Asha,no,\n', now)
    expect((await findEmployeeByCode(port(), 'EMP001'))).toMatchObject({active: false, leftOn: '2026-03-01'})
    await importEmployees(port(), 'code,name,active,left_on\nEMP001,Asha,yes,\n', now)
    expect((await findEmployeeByCode(port(), 'EMP001'))).toMatchObject({active: true, leftOn: null})
  })

  it('opens no store for a file without a usable header', async () => {
    const lazy = lazyPortOf(store)
    await expect(importEmployees(lazy, 'EMP001,Asha Kamau\n', now, {file: 'staff.csv'})).rejects.toThrow(UsageError)
    await expect(importEmployees(lazy, 'code;email\nEMP001;a@b.io\n', now, {file: 'staff.csv'})).rejects.toThrow(
      'staff.csv has no name column in its header row (line 1 reads "code;email"): expected a header such as code,name,email,phone,department,joined_on,left_on,active.',
    )
    expect(lazy.opened()).toBe(false)
  })
})
