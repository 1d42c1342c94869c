import {beforeEach, describe, expect, it} from 'vitest'

import {
  createEmployee as addEmployee,
  createEmployee,
  deactivateEmployee,
  findEmployeeByCode,
  getEmployee,
  listEmployees,
  nextEmployeeCode,
  updateEmployee,
} from '../../src/employees/service.js'
import {employmentChangedFrom} from '../../src/attendance/employment.js'
import {importEmployees} from '../../src/employees/import.js'
import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {lazyAttendStore} from '../../src/store/lazy.js'
import {describeEngines} from '../helpers/engines.js'

const now = Date.UTC(2026, 2, 12, 21, 30) // 00:30 on 13 March in Nairobi

describeEngines('employees', (store) => {
  const port = () => store().port
  /** The port opened on its first operation, as a command's is: `opened()` says whether anything reached the store. */
  const lazyPort = () => lazyAttendStore(store().engine, async () => store().port)

  async function count(): Promise<number> {
    return Number((await store().all<{n: number | string}>('SELECT count(*) AS n FROM employees'))[0].n)
  }

  async function codes(): Promise<string[]> {
    return (await store().all<{code: string}>('SELECT code FROM employees')).map((row) => row.code)
  }

  describe('createEmployee', () => {
    it('stores a validated employee, found by code in any case', async () => {
      const created = await createEmployee(port(), {code: ' EMP001 ', name: ' Asha   Kamau ', email: 'asha@greenfield.ac.ke', department: 'Teaching', joinedOn: '2021-01-04'}, now)
      expect(created).toMatchObject({code: 'EMP001', name: 'Asha Kamau', active: true, joinedOn: '2021-01-04', createdAt: now})
      expect(((await findEmployeeByCode(port(), 'emp001'))?.id)).toBe(created.id)
      expect(((await getEmployee(port(), created.id))?.email)).toBe('asha@greenfield.ac.ke')
    })

    it('generates the next free code when none is given', async () => {
      expect(nextEmployeeCode(await codes())).toBe('EMP0001')
      expect((await createEmployee(port(), {name: 'A'}, now)).code).toBe('EMP0001')
      expect((await createEmployee(port(), {name: 'B'}, now)).code).toBe('EMP0002')
      await createEmployee(port(), {code: 'EMP0010', name: 'C'}, now)
      await createEmployee(port(), {code: 'EMPX', name: 'Not numbered'}, now)
      expect((await createEmployee(port(), {name: 'D'}, now)).code).toBe('EMP0011')
    })

    it('keeps the digit count of existing codes', async () => {
      await createEmployee(port(), {code: 'EMP007', name: 'A'}, now)
      expect(nextEmployeeCode(await codes())).toBe('EMP008')
    })

    it('refuses a duplicate code, whatever its case, naming the holder', async () => {
      await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau'}, now)
      await expect(createEmployee(port(), {code: 'emp001', name: 'Other'}, now)).rejects.toThrow(ConflictError)
      await expect(createEmployee(port(), {code: 'emp001', name: 'Other'}, now)).rejects.toThrow('Employee code "emp001" is already used by Asha Kamau (EMP001).')
      expect(await count()).toBe(1)
    })

    it.each([
      [{name: 'X', email: 'asha@'}, 'Invalid email "asha@": expected an address such as asha@example.com.'],
      [{name: 'X', joinedOn: '2024-02-30'}, 'Invalid joined_on "2024-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2024 has 29 days).'],
      [{name: 'X', joinedOn: '04/01/2021'}, 'Invalid joined_on "04/01/2021"'],
      [{name: 'X', phone: 'call me'}, 'Invalid phone "call me"'],
      [{name: '  '}, 'The employee name cannot be empty.'],
      [{name: 'X', code: 'EMP 1'}, 'Invalid employee code "EMP 1"'],
      [{name: 'X', joinedOn: '2024-05-01', leftOn: '2024-04-30'}, 'left_on 2024-04-30 is before joined_on 2024-05-01.'],
    ])('rejects %j with a sentence naming the value', async (input, message) => {
      await expect(createEmployee(port(), input, now)).rejects.toThrow(UsageError)
      await expect(createEmployee(port(), input, now)).rejects.toThrow(message)
      expect(await count()).toBe(0)
    })

    it('validates before opening the store', async () => {
      const lazy = lazyPort()
      await expect(addEmployee(lazy, {name: 'X', email: 'nope'}, now)).rejects.toThrow(UsageError)
      expect(lazy.opened()).toBe(false)
    })
  })

  describe('listEmployees', () => {
    beforeEach(async () => {
      await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau', email: 'asha@greenfield.ac.ke', department: 'Teaching'}, now)
      await createEmployee(port(), {code: 'EMP002', name: 'Brian Otieno', department: 'teaching'}, now)
      await createEmployee(port(), {code: 'EMP003', name: 'Grace Wanjiru', email: 'grace@office.example', department: 'Administration'}, now)
      await createEmployee(port(), {code: 'EMP004', name: '100% Kamau_Jr', department: 'Grounds'}, now)
      await deactivateEmployee(port(), 'EMP002', {}, now)
    })

    const codes = async (filter: Parameters<typeof listEmployees>[1]) => (await listEmployees(port(), filter)).rows.map((e) => e.code)

    it('filters by department case-insensitively and by active state', async () => {
      expect(await codes({department: 'TEACHING'})).toEqual(['EMP001', 'EMP002'])
      expect(await codes({department: 'Teaching', active: true})).toEqual(['EMP001'])
      expect(await codes({active: false})).toEqual(['EMP002'])
    })

    it('searches name, code and email, treating % and _ literally', async () => {
      expect(await codes({search: 'kamau'})).toEqual(['EMP001', 'EMP004'])
      expect(await codes({search: 'emp003'})).toEqual(['EMP003'])
      expect(await codes({search: 'office.example'})).toEqual(['EMP003'])
      expect(await codes({search: '100%'})).toEqual(['EMP004'])
      expect(await codes({search: 'u_j'})).toEqual(['EMP004'])
      expect(await codes({search: 'a_k'})).toEqual([])
    })

    it('pages with limit and offset and reports the total', async () => {
      expect((await listEmployees(port(), {limit: 2}))).toMatchObject({total: 4, rows: [{code: 'EMP001'}, {code: 'EMP002'}]})
      expect((await listEmployees(port(), {limit: 2, offset: 2})).rows.map((e) => e.code)).toEqual(['EMP003', 'EMP004'])
      expect((await listEmployees(port(), {offset: 3})).rows.map((e) => e.code)).toEqual(['EMP004'])
    })
  })

  describe('updateEmployee and deactivateEmployee', () => {
    beforeEach(async () => {
      await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau', email: 'asha@greenfield.ac.ke', joinedOn: '2021-01-04'}, now)
      await createEmployee(port(), {code: 'EMP002', name: 'Brian Otieno'}, now)
    })

    it('changes only the given fields; an empty value clears one', async () => {
      const updated = await updateEmployee(port(), 'emp001', {department: 'Administration', email: ''}, now + 1)
      expect(updated).toMatchObject({code: 'EMP001', name: 'Asha Kamau', department: 'Administration', email: null, updatedAt: now + 1})
    })

    it('refuses a code that another employee holds', async () => {
      await expect(updateEmployee(port(), 'EMP001', {code: 'emp002'}, now)).rejects.toThrow('Employee code "emp002" is already used by Brian Otieno (EMP002).')
      expect((await updateEmployee(port(), 'EMP001', {code: 'emp001'}, now)).code).toBe('emp001')
    })

    it('names an unknown code and refuses an empty update before opening the store', async () => {
      await expect(updateEmployee(port(), 'EMP404', {name: 'X'}, now)).rejects.toThrow(NotFoundError)
      await expect(updateEmployee(port(), 'EMP404', {name: 'X'}, now)).rejects.toThrow('Unknown employee code "EMP404"')
      const lazy = lazyPort()
      await expect(updateEmployee(lazy, 'EMP001', {}, now)).rejects.toThrow(/^Nothing to update/)
      expect(lazy.opened()).toBe(false)
    })

    it('checks left_on against the stored joined_on', async () => {
      await expect(updateEmployee(port(), 'EMP001', {leftOn: '2020-12-31'}, now)).rejects.toThrow('left_on 2020-12-31 is before joined_on 2021-01-04.')
    })

    it('deactivates with left_on defaulting to today in the site zone', async () => {
      expect((await deactivateEmployee(port(), 'EMP001', {}, now))).toMatchObject({active: false, leftOn: '2026-03-13'})
      expect((await deactivateEmployee(port(), 'EMP002', {leftOn: '2026-02-28'}, now))).toMatchObject({active: false, leftOn: '2026-02-28'})
      expect((await updateEmployee(port(), 'EMP002', {active: true, leftOn: ''}, now))).toMatchObject({active: true, leftOn: null})
    })
  })

  describe('employment dates changed later', () => {
    const dates = async (code: string) =>
      (await store().all<{date: string}>(`SELECT a.date FROM attendance_days a JOIN employees e ON e.id = a.employee_id WHERE e.code = '${code}' ORDER BY a.date`)).map((row) => row.date)

    beforeEach(async () => {
      await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau'}, now)
      await port().attendance.recompute({from: '2026-03-02', to: '2026-03-13'}, now)
      expect(await dates('EMP001')).toHaveLength(12)
    })

    it('a past leaving date given to deactivate removes the days after it', async () => {
      const change = await deactivateEmployee(port(), 'EMP001', {leftOn: '2026-03-06'}, now)
      expect(change.recomputed).toMatchObject({employees: 1, from: '2026-03-06'})
      expect((await dates('EMP001')).at(-1)).toBe('2026-03-06')
    })

    it('a leaving or joining date set by update removes the days outside employment, and moving them back restores the days', async () => {
      await updateEmployee(port(), 'EMP001', {leftOn: '2026-03-10', joinedOn: '2026-03-04'}, now)
      const kept = await dates('EMP001')
      expect([kept[0], kept.at(-1)]).toEqual(['2026-03-04', '2026-03-10'])
      await updateEmployee(port(), 'EMP001', {leftOn: '', joinedOn: '2026-03-02'}, now)
      expect(await dates('EMP001')).toHaveLength(12)
    })

    it('an imported staff list with a leaving date does the same', async () => {
      const result = await importEmployees(port(), 'code,name,active,left_on\nEMP001,Asha Kamau,no,2026-03-05\n', now)
      expect(result).toMatchObject({updated: 1, recomputed: {employees: 1, from: '2026-03-05'}})
      expect((await dates('EMP001')).at(-1)).toBe('2026-03-05')
    })

    it('other changes recompute nothing', async () => {
      expect((await updateEmployee(port(), 'EMP001', {phone: '+254 700 000001'}, now)).recomputed).toBeNull()
    })

    it('knows from which date a change of employment matters', async () => {
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
    it('move to a new employee whose code equals their device user id', async () => {
      await store().exec(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at) VALUES ('SN1', 'emp077', ${now - 3_600_000}, 'test', ${now})`)
      const employee = await createEmployee(port(), {code: 'EMP077', name: 'Late Comer'}, now)
      expect(await store().all('SELECT employee_id AS id FROM punches')).toEqual([{id: employee.id}])
    })
  })
}, {timezone: 'Africa/Nairobi'})
