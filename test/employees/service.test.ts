import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {
  addEmployee,
  createEmployee,
  deactivateEmployee,
  findEmployeeByCode,
  getEmployee,
  listEmployees,
  nextEmployeeCode,
  updateEmployee,
} from '../../src/employees/service.js'
import {recomputeRange} from '../../src/attendance/recompute.js'
import {employmentChangedFrom} from '../../src/attendance/employment.js'
import {importEmployees} from '../../src/employees/import.js'
import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {testStore} from '../helpers/store.js'

const now = Date.UTC(2026, 2, 12, 21, 30) // 00:30 on 13 March in Nairobi

let store: ReturnType<typeof testStore>
beforeEach(() => {
  store = testStore({timezone: 'Africa/Nairobi'})
})
afterEach(() => store.cleanup())

function count(): number {
  return (store.sqlite.prepare('SELECT count(*) AS n FROM employees').get() as {n: number}).n
}

describe('createEmployee', () => {
  it('stores a validated employee, found by code in any case', () => {
    const created = createEmployee(store, {code: ' EMP001 ', name: ' Asha   Kamau ', email: 'asha@greenfield.ac.ke', department: 'Teaching', joinedOn: '2021-01-04'}, now)
    expect(created).toMatchObject({code: 'EMP001', name: 'Asha Kamau', active: true, joinedOn: '2021-01-04', createdAt: now})
    expect(findEmployeeByCode(store, 'emp001')?.id).toBe(created.id)
    expect(getEmployee(store, created.id)?.email).toBe('asha@greenfield.ac.ke')
  })

  it('generates the next free code when none is given', () => {
    expect(nextEmployeeCode(store)).toBe('EMP0001')
    expect(createEmployee(store, {name: 'A'}, now).code).toBe('EMP0001')
    expect(createEmployee(store, {name: 'B'}, now).code).toBe('EMP0002')
    createEmployee(store, {code: 'EMP0010', name: 'C'}, now)
    createEmployee(store, {code: 'EMPX', name: 'Not numbered'}, now)
    expect(createEmployee(store, {name: 'D'}, now).code).toBe('EMP0011')
  })

  it('keeps the digit count of existing codes', () => {
    createEmployee(store, {code: 'EMP007', name: 'A'}, now)
    expect(nextEmployeeCode(store)).toBe('EMP008')
  })

  it('refuses a duplicate code, whatever its case, naming the holder', () => {
    createEmployee(store, {code: 'EMP001', name: 'Asha Kamau'}, now)
    expect(() => createEmployee(store, {code: 'emp001', name: 'Other'}, now)).toThrow(ConflictError)
    expect(() => createEmployee(store, {code: 'emp001', name: 'Other'}, now)).toThrow('Employee code "emp001" is already used by Asha Kamau (EMP001).')
    expect(count()).toBe(1)
  })

  it.each([
    [{name: 'X', email: 'asha@'}, 'Invalid email "asha@": expected an address such as asha@example.com.'],
    [{name: 'X', joinedOn: '2024-02-30'}, 'Invalid joined_on "2024-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2024 has 29 days).'],
    [{name: 'X', joinedOn: '04/01/2021'}, 'Invalid joined_on "04/01/2021"'],
    [{name: 'X', phone: 'call me'}, 'Invalid phone "call me"'],
    [{name: '  '}, 'The employee name cannot be empty.'],
    [{name: 'X', code: 'EMP 1'}, 'Invalid employee code "EMP 1"'],
    [{name: 'X', joinedOn: '2024-05-01', leftOn: '2024-04-30'}, 'left_on 2024-04-30 is before joined_on 2024-05-01.'],
  ])('rejects %j with a sentence naming the value', (input, message) => {
    expect(() => createEmployee(store, input, now)).toThrow(UsageError)
    expect(() => createEmployee(store, input, now)).toThrow(message)
    expect(count()).toBe(0)
  })

  it('validates before opening the store', () => {
    let opened = false
    expect(() => addEmployee(() => ((opened = true), store), {name: 'X', email: 'nope'}, now)).toThrow(UsageError)
    expect(opened).toBe(false)
  })
})

describe('listEmployees', () => {
  beforeEach(() => {
    createEmployee(store, {code: 'EMP001', name: 'Asha Kamau', email: 'asha@greenfield.ac.ke', department: 'Teaching'}, now)
    createEmployee(store, {code: 'EMP002', name: 'Brian Otieno', department: 'teaching'}, now)
    createEmployee(store, {code: 'EMP003', name: 'Grace Wanjiru', email: 'grace@office.example', department: 'Administration'}, now)
    createEmployee(store, {code: 'EMP004', name: '100% Kamau_Jr', department: 'Grounds'}, now)
    deactivateEmployee(() => store, 'EMP002', {}, now)
  })

  const codes = (filter: Parameters<typeof listEmployees>[1]) => listEmployees(store, filter).rows.map((e) => e.code)

  it('filters by department case-insensitively and by active state', () => {
    expect(codes({department: 'TEACHING'})).toEqual(['EMP001', 'EMP002'])
    expect(codes({department: 'Teaching', active: true})).toEqual(['EMP001'])
    expect(codes({active: false})).toEqual(['EMP002'])
  })

  it('searches name, code and email, treating % and _ literally', () => {
    expect(codes({search: 'kamau'})).toEqual(['EMP001', 'EMP004'])
    expect(codes({search: 'emp003'})).toEqual(['EMP003'])
    expect(codes({search: 'office.example'})).toEqual(['EMP003'])
    expect(codes({search: '100%'})).toEqual(['EMP004'])
    expect(codes({search: 'u_j'})).toEqual(['EMP004'])
    expect(codes({search: 'a_k'})).toEqual([])
  })

  it('pages with limit and offset and reports the total', () => {
    expect(listEmployees(store, {limit: 2})).toMatchObject({total: 4, rows: [{code: 'EMP001'}, {code: 'EMP002'}]})
    expect(listEmployees(store, {limit: 2, offset: 2}).rows.map((e) => e.code)).toEqual(['EMP003', 'EMP004'])
    expect(listEmployees(store, {offset: 3}).rows.map((e) => e.code)).toEqual(['EMP004'])
  })
})

describe('updateEmployee and deactivateEmployee', () => {
  beforeEach(() => {
    createEmployee(store, {code: 'EMP001', name: 'Asha Kamau', email: 'asha@greenfield.ac.ke', joinedOn: '2021-01-04'}, now)
    createEmployee(store, {code: 'EMP002', name: 'Brian Otieno'}, now)
  })

  it('changes only the given fields; an empty value clears one', () => {
    const updated = updateEmployee(() => store, 'emp001', {department: 'Administration', email: ''}, now + 1)
    expect(updated).toMatchObject({code: 'EMP001', name: 'Asha Kamau', department: 'Administration', email: null, updatedAt: now + 1})
  })

  it('refuses a code that another employee holds', () => {
    expect(() => updateEmployee(() => store, 'EMP001', {code: 'emp002'}, now)).toThrow('Employee code "emp002" is already used by Brian Otieno (EMP002).')
    expect(updateEmployee(() => store, 'EMP001', {code: 'emp001'}, now).code).toBe('emp001')
  })

  it('names an unknown code and refuses an empty update before opening the store', () => {
    expect(() => updateEmployee(() => store, 'EMP404', {name: 'X'}, now)).toThrow(NotFoundError)
    expect(() => updateEmployee(() => store, 'EMP404', {name: 'X'}, now)).toThrow('Unknown employee code "EMP404"')
    let opened = false
    expect(() => updateEmployee(() => ((opened = true), store), 'EMP001', {}, now)).toThrow(/^Nothing to update/)
    expect(opened).toBe(false)
  })

  it('checks left_on against the stored joined_on', () => {
    expect(() => updateEmployee(() => store, 'EMP001', {leftOn: '2020-12-31'}, now)).toThrow('left_on 2020-12-31 is before joined_on 2021-01-04.')
  })

  it('deactivates with left_on defaulting to today in the site zone', () => {
    expect(deactivateEmployee(() => store, 'EMP001', {}, now)).toMatchObject({active: false, leftOn: '2026-03-13'})
    expect(deactivateEmployee(() => store, 'EMP002', {leftOn: '2026-02-28'}, now)).toMatchObject({active: false, leftOn: '2026-02-28'})
    expect(updateEmployee(() => store, 'EMP002', {active: true, leftOn: ''}, now)).toMatchObject({active: true, leftOn: null})
  })
})

describe('employment dates changed later', () => {
  const dates = (code: string) =>
    (store.sqlite.prepare('SELECT a.date FROM attendance_days a JOIN employees e ON e.id = a.employee_id WHERE e.code = ? ORDER BY a.date').pluck().all(code) as string[])

  beforeEach(() => {
    createEmployee(store, {code: 'EMP001', name: 'Asha Kamau'}, now)
    recomputeRange(store, {from: '2026-03-02', to: '2026-03-13'}, now)
    expect(dates('EMP001')).toHaveLength(12)
  })

  it('a past leaving date given to deactivate removes the days after it', () => {
    const change = deactivateEmployee(() => store, 'EMP001', {leftOn: '2026-03-06'}, now)
    expect(change.recomputed).toMatchObject({employees: 1, from: '2026-03-06'})
    expect(dates('EMP001').at(-1)).toBe('2026-03-06')
  })

  it('a leaving or joining date set by update removes the days outside employment, and moving them back restores the days', () => {
    updateEmployee(() => store, 'EMP001', {leftOn: '2026-03-10', joinedOn: '2026-03-04'}, now)
    expect([dates('EMP001')[0], dates('EMP001').at(-1)]).toEqual(['2026-03-04', '2026-03-10'])
    updateEmployee(() => store, 'EMP001', {leftOn: '', joinedOn: '2026-03-02'}, now)
    expect(dates('EMP001')).toHaveLength(12)
  })

  it('an imported staff list with a leaving date does the same', () => {
    const result = importEmployees(() => store, 'code,name,active,left_on\nEMP001,Asha Kamau,no,2026-03-05\n', now)
    expect(result).toMatchObject({updated: 1, recomputed: {employees: 1, from: '2026-03-05'}})
    expect(dates('EMP001').at(-1)).toBe('2026-03-05')
  })

  it('other changes recompute nothing', () => {
    expect(updateEmployee(() => store, 'EMP001', {phone: '+254 700 000001'}, now).recomputed).toBeNull()
  })

  it('knows from which date a change of employment matters', () => {
    const e = (joinedOn: string | null, leftOn: string | null, active = true) => ({joinedOn, leftOn, active})
    expect(employmentChangedFrom(e('2026-01-01', null), e('2026-01-01', null))).toBeUndefined()
    expect(employmentChangedFrom(e(null, null), e(null, '2026-03-10', false))).toBe('2026-03-10')
    expect(employmentChangedFrom(e(null, '2026-03-10'), e(null, '2026-03-04'))).toBe('2026-03-04')
    expect(employmentChangedFrom(e(null, '2026-03-04'), e(null, null))).toBe('2026-03-04')
    expect(employmentChangedFrom(e('2026-03-04', null), e('2026-03-01', null))).toBe('2026-03-01')
    // A joining date set or cleared reaches back to the employee's earliest data.
    expect(employmentChangedFrom(e(null, null), e('2026-03-04', null))).toBeNull()
    expect(employmentChangedFrom(e(null, null), e(null, null, false))).toBeNull()
  })
})

describe('punches stored before the employee existed', () => {
  it('move to a new employee whose code equals their device user id', () => {
    store.sqlite
      .prepare(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at) VALUES ('SN1', 'emp077', ?, 'test', ?)`)
      .run(now - 3_600_000, now)
    const employee = createEmployee(store, {code: 'EMP077', name: 'Late Comer'}, now)
    expect(store.sqlite.prepare('SELECT employee_id AS id FROM punches').get()).toEqual({id: employee.id})
  })
})
