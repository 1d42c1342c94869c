import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {deactivateEmployee} from '../../src/store/sqlite/directory/employees.js'
import {buildReport, reportJsonOf} from '../../src/reports/build.js'
import type {SummaryReport} from '../../src/reports/models/summary.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {addEmployee, at} from '../attendance/fixtures.js'
import {testStore} from '../helpers/store.js'

const ZONE = 'Africa/Nairobi'
const NOW = at('2026-03-20 12:00', ZONE)
let store: ReturnType<typeof testStore>
const open = () => store

beforeEach(() => {
  store = testStore({timezone: ZONE})
  addEmployee(store, 'EMP001')
  addEmployee(store, 'EMP002')
  addEmployee(store, 'EMP003', {joinedOn: '2026-03-16'})
  addShift(open, 'Day', {start: '08:00', end: '17:00'}, NOW)
  writeSettings(store, {defaultShift: 'Day'}, NOW)
})
afterEach(() => store.cleanup())

const summary = (from: string, to: string) =>
  reportJsonOf(buildReport(store, {kind: 'summary', from, to, employee: null, department: null, generatedAt: null}, NOW)) as SummaryReport

describe('who a report lists', () => {
  it('lists someone who has left since, for the days they were employed, even without a punch', () => {
    // EMP002 never punched and left on Wednesday the 4th: absent Monday to Wednesday, then off the
    // roll. A staff list imported after the fact marks them inactive with no day computed yet.
    store.sqlite.prepare("UPDATE employees SET active = 0, left_on = '2026-03-04' WHERE code = 'EMP002'").run()
    const week = summary('2026-03-02', '2026-03-06')
    expect(week.users.map((u) => [u.name, u.attendance.absent_days, u.attendance.working_days])).toEqual([
      ['Employee EMP001', 5, 5],
      ['Employee EMP002', 3, 3],
    ])
    // After they left, and before someone joined, nobody is listed who was not employed.
    expect(summary('2026-03-09', '2026-03-13').users.map((u) => u.name)).toEqual(['Employee EMP001'])
    expect(summary('2026-03-16', '2026-03-16').users.map((u) => u.name)).toEqual(['Employee EMP001', 'Employee EMP003'])
  })

  it('lists someone deactivated in the app the same way', () => {
    deactivateEmployee(open(), 'EMP002', '2026-03-04', NOW)
    expect(summary('2026-03-02', '2026-03-06').users.map((u) => [u.name, u.attendance.absent_days])).toEqual([
      ['Employee EMP001', 5],
      ['Employee EMP002', 3],
    ])
  })
})
