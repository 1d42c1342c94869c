import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {deactivateEmployee} from '../../src/store/sqlite/directory/employees.js'
import {buildReport, reportJsonOf} from '../../src/reports/build.js'
import type {SummaryReport} from '../../src/reports/models/summary.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import type {AttendStore} from '../../src/store/port.js'
import {addEmployee, at} from '../attendance/fixtures.js'
import {describeEngines} from '../helpers/engines.js'
import {testStore} from '../helpers/store.js'
import {insertEmployees, insertShift, portOf} from './seed.js'

const ZONE = 'Africa/Nairobi'
const NOW = at('2026-03-20 12:00', ZONE)

const summary = async (port: AttendStore, from: string, to: string) =>
  reportJsonOf(await buildReport(port, {kind: 'summary', from, to, employee: null, department: null, generatedAt: null}, NOW)) as SummaryReport

describeEngines(
  'who a report lists',
  (store) => {
    beforeEach(async () => {
      await insertEmployees(store(), [
        {code: 'EMP001', name: 'Employee EMP001'},
        // EMP002 never punched and left on Wednesday the 4th. A staff list imported after the fact
        // marks them inactive with no day computed yet.
        {code: 'EMP002', name: 'Employee EMP002', active: false, leftOn: '2026-03-04'},
        {code: 'EMP003', name: 'Employee EMP003', joinedOn: '2026-03-16'},
      ])
      await insertShift(store(), 'Day', '08:00', '17:00')
      await store().exec(`INSERT INTO settings (key, value, updated_at) VALUES ('defaultShift', '"Day"', 0)`)
    })

    it('lists someone who has left since, for the days they were employed, even without a punch', async () => {
      // Absent Monday to Wednesday, then off the roll.
      const week = await summary(store().port, '2026-03-02', '2026-03-06')
      expect(week.users.map((u) => [u.name, u.attendance.absent_days, u.attendance.working_days])).toEqual([
        ['Employee EMP001', 5, 5],
        ['Employee EMP002', 3, 3],
      ])
      // After they left, and before someone joined, nobody is listed who was not employed.
      expect((await summary(store().port, '2026-03-09', '2026-03-13')).users.map((u) => u.name)).toEqual(['Employee EMP001'])
      expect((await summary(store().port, '2026-03-16', '2026-03-16')).users.map((u) => u.name)).toEqual(['Employee EMP001', 'Employee EMP003'])
    })
  },
  {timezone: ZONE},
)

describe('who a report lists, after attend employees deactivate', () => {
  let store: ReturnType<typeof testStore>
  const open = () => store
  beforeEach(() => {
    store = testStore({timezone: ZONE})
    addEmployee(store, 'EMP001')
    addEmployee(store, 'EMP002')
    addShift(open, 'Day', {start: '08:00', end: '17:00'}, NOW)
    writeSettings(store, {defaultShift: 'Day'}, NOW)
  })
  afterEach(() => store.cleanup())

  it('lists someone deactivated in the app the same way', async () => {
    deactivateEmployee(open(), 'EMP002', '2026-03-04', NOW)
    expect((await summary(portOf(store), '2026-03-02', '2026-03-06')).users.map((u) => [u.name, u.attendance.absent_days])).toEqual([
      ['Employee EMP001', 5],
      ['Employee EMP002', 3],
    ])
  })
})
