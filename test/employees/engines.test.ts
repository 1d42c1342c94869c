import {expect, it} from 'vitest'

import {importEmployees} from '../../src/employees/import.js'
import {createEmployee, deactivateEmployee, findEmployeeByCode, listEmployees, updateEmployee} from '../../src/employees/service.js'
import {requireDepartment} from '../../src/employees/query.js'
import {ConflictError, NotFoundError} from '../../src/errors.js'
import {describeEngines} from '../helpers/engines.js'

const now = Date.UTC(2026, 2, 12, 21, 30) // 00:30 on 13 March in Nairobi

/** The directory's promises on both engines (docs/architecture.md, "The store port"). */
describeEngines(
  'the employee directory',
  (engine) => {
    const store = () => engine().port
    const subscribe = () =>
      engine().exec(`INSERT INTO webhooks (id, url, events, secret, active, max_in_flight, created_at, updated_at)
        VALUES (1, 'https://payroll.example/hooks', '["user.created","user.updated"]', 'whsec_x', true, 4, 1, 1)`)
    const outbox = async () =>
      (await engine().all<{type: string; body: string}>('SELECT type, body FROM webhook_events ORDER BY id')).map((e) => ({
        type: e.type,
        data: (JSON.parse(e.body) as {data: Record<string, unknown>}).data,
      }))

    it('adds employees with generated codes, finds them in any case and refuses a code already held', async () => {
      expect((await createEmployee(store(), {name: 'A'}, now)).code).toBe('EMP0001')
      await createEmployee(store(), {code: 'EMP0010', name: 'C'}, now)
      await createEmployee(store(), {code: 'EMPX', name: 'Not numbered'}, now)
      expect((await createEmployee(store(), {name: 'D'}, now)).code).toBe('EMP0011')
      const asha = await createEmployee(store(), {code: ' EMP001 ', name: ' Asha   Kamau ', email: 'asha@greenfield.ac.ke', department: 'Teaching'}, now)
      expect(asha).toMatchObject({code: 'EMP001', name: 'Asha Kamau', active: true, leftOn: null, createdAt: now, updatedAt: now})
      expect((await findEmployeeByCode(store(), 'emp001'))?.id).toBe(asha.id)
      await expect(createEmployee(store(), {code: 'emp001', name: 'Other'}, now)).rejects.toThrow('Employee code "emp001" is already used by Asha Kamau (EMP001).')
      await expect(createEmployee(store(), {code: 'emp001', name: 'Other'}, now)).rejects.toThrow(ConflictError)
    })

    it('lists with filters, search and pages, ordered by code whatever its case', async () => {
      await createEmployee(store(), {code: 'emp002', name: 'Brian Otieno', department: 'teaching'}, now)
      await createEmployee(store(), {code: 'EMP001', name: 'Asha Kamau', email: 'asha@greenfield.ac.ke', department: 'Teaching'}, now)
      await createEmployee(store(), {code: 'EMP003', name: '100% Kamau_Jr', department: 'Grounds'}, now)
      await deactivateEmployee(store(), 'EMP002', {leftOn: '2026-03-01'}, now)
      const codes = async (filter: Parameters<typeof listEmployees>[1]) => (await listEmployees(store(), filter)).rows.map((e) => e.code)
      expect(await codes({})).toEqual(['EMP001', 'emp002', 'EMP003'])
      expect(await codes({department: 'TEACHING'})).toEqual(['EMP001', 'emp002'])
      expect(await codes({active: false})).toEqual(['emp002'])
      expect(await codes({search: 'kamau'})).toEqual(['EMP001', 'EMP003'])
      expect(await codes({search: '100%'})).toEqual(['EMP003'])
      expect(await codes({search: '_'})).toEqual(['EMP003'])
      expect(await listEmployees(store(), {limit: 1, offset: 1})).toMatchObject({total: 3, rows: [{code: 'emp002'}]})
      expect(await requireDepartment(store(), 'grounds')).toBe('Grounds')
      await expect(requireDepartment(store(), 'Kitchen')).rejects.toThrow(NotFoundError)
    })

    it('updates and deactivates, naming an unknown code, a code taken and dates out of order', async () => {
      await createEmployee(store(), {code: 'EMP001', name: 'Asha Kamau', joinedOn: '2021-01-04'}, now)
      await createEmployee(store(), {code: 'EMP002', name: 'Brian Otieno'}, now)
      expect(await updateEmployee(store(), 'emp001', {department: 'Science', email: ''}, now + 1)).toMatchObject({department: 'Science', email: null, updatedAt: now + 1})
      await expect(updateEmployee(store(), 'EMP001', {code: 'emp002'}, now)).rejects.toThrow('Employee code "emp002" is already used by Brian Otieno (EMP002).')
      await expect(updateEmployee(store(), 'EMP404', {name: 'X'}, now)).rejects.toThrow('Unknown employee code "EMP404"')
      await expect(updateEmployee(store(), 'EMP001', {leftOn: '2020-01-01'}, now)).rejects.toThrow(/left_on/)
      // Today in the site zone (Nairobi) is already 13 March.
      expect(await deactivateEmployee(store(), 'EMP002', {}, now)).toMatchObject({active: false, leftOn: '2026-03-13'})
    })

    it('queues user.created and user.updated in the same transaction, and nothing for a change nobody can see', async () => {
      await subscribe()
      await createEmployee(store(), {code: 'EMP001', name: 'Amina', department: 'IT'}, now)
      await updateEmployee(store(), 'EMP001', {department: 'HR'}, now + 1)
      await updateEmployee(store(), 'EMP001', {department: 'HR'}, now + 2)
      await expect(createEmployee(store(), {code: 'emp001', name: 'Duplicate'}, now)).rejects.toThrow(ConflictError)
      await importEmployees(store(), 'code,name,department\nEMP001,Amina,HR\nEMP002,Baraka,Ops\n', now + 3)
      const events = await outbox()
      expect(events.map((e) => [e.type, e.data.employee_code, e.data.department])).toEqual([
        ['user.created', 'EMP001', 'IT'],
        ['user.updated', 'EMP001', 'HR'],
        ['user.created', 'EMP002', 'Ops'],
      ])
      expect(await engine().all<{n: number}>("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'")).toEqual([{n: 3}])
    })

    it('imports by code in any case, keeping the stored spelling, and rejects what the store refuses by line', async () => {
      await createEmployee(store(), {code: 'EMP001', name: 'Asha', joinedOn: '2021-01-04'}, now)
      const result = await importEmployees(store(), 'code,name,left_on,active\nemp001,Asha Kamau,,\nEMP002,Brian,2020-01-01,\nEMP001x,X,,maybe\nEMP003,Old,2026-03-01,\n', now)
      expect(result).toMatchObject({read: 4, created: 2, updated: 1, unchanged: 0})
      expect(result.rejected.map((r) => r.line)).toEqual([4])
      expect(await findEmployeeByCode(store(), 'EMP001')).toMatchObject({code: 'EMP001', name: 'Asha Kamau'})
      // A leaving date already past, with no active column value: they have left.
      expect(await findEmployeeByCode(store(), 'EMP003')).toMatchObject({active: false, leftOn: '2026-03-01'})
      const again = await importEmployees(store(), 'code,name,left_on\nEMP001,Asha Kamau,2020-01-01\n', now)
      expect(again.rejected).toEqual([{line: 2, reason: expect.stringMatching(/left_on/)}])
    })

    it('claims punches stored under a new code, and releases them when the code changes', async () => {
      await engine().exec(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at, manual) VALUES
        ('GATE1', 'emp007', ${now}, 'test', ${now}, false), ('GATE1', 'EMP007', ${now + 1}, 'test', ${now}, false)`)
      const employee = await createEmployee(store(), {code: 'EMP007', name: 'Peter'}, now)
      expect(await engine().all<{e: number | null}>('SELECT employee_id AS e FROM punches ORDER BY id')).toEqual([{e: employee.id}, {e: employee.id}])
      await updateEmployee(store(), 'EMP007', {code: 'EMP008'}, now)
      expect(await engine().all<{e: number | null}>('SELECT employee_id AS e FROM punches ORDER BY id')).toEqual([{e: null}, {e: null}])
    })
  },
  {timezone: 'Africa/Nairobi'},
)
