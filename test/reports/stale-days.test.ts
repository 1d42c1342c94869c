import {afterEach, describe, expect, it} from 'vitest'

import {listAttendance} from '../../src/attendance/list.js'
import {openStore} from '../../src/db/open.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {buildReport} from '../../src/reports/build.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {testStore, portOf} from '../helpers/store.js'

const stores: Array<ReturnType<typeof testStore>> = []
afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))

/**
 * Ingest recomputes only the days its punches touch. A working day nobody punched on must still
 * count as absent in a report run later, with no `attend recompute` in between (a cron job after
 * `attend serve` was idle), and a day that was pending when its punch arrived must be closed.
 */
describe('reports and listings compute missing and pending days first', () => {
  function site() {
    const store = testStore({timezone: 'UTC'})
    stores.push(store)
    const startOfMonth = Date.UTC(2026, 2, 1)
    createEmployee(store, {code: 'EMP001', name: 'Ama Mensah', department: 'IT'}, startOfMonth)
    createEmployee(store, {code: 'EMP002', name: 'Kofi Boateng', department: 'IT'}, startOfMonth)
    addShift(() => store, 'Day', {start: '09:00', end: '17:00'}, startOfMonth)
    writeSettings(store, {defaultShift: 'Day'}, startOfMonth)
    // Monday 2026-03-02, while the shift is still open: EMP001 checks in only.
    const duringShift = Date.UTC(2026, 2, 2, 9, 30)
    ingestPunches(store, [{deviceUserId: 'EMP001', time: {kind: 'instant', ms: Date.UTC(2026, 2, 2, 8, 55)}, timeText: '08:55'}], {source: 'test', now: duringShift})
    return store
  }

  it('counts the unpunched working days as absent in the summary, with no recompute run', async () => {
    const store = site()
    const now = Date.UTC(2026, 2, 7, 12) // Saturday: Monday to Friday have closed
    const report = await buildReport(portOf(store), {kind: 'summary', from: '2026-03-02', to: '2026-03-06', employee: null, department: null, generatedAt: null}, now)
    const byName = Object.fromEntries(report.model.report.users.map((u) => [u.name, u.attendance]))
    expect(byName['Kofi Boateng']).toMatchObject({present_days: 0, absent_days: 5, attendance_percentage: 0})
    // Monday's lone check-in closes as present with a missed punch; the other four days are absent.
    expect(byName['Ama Mensah']).toMatchObject({present_days: 1, absent_days: 4, attendance_percentage: 20})
  })

  it('lists the closed days in attendance list, leaving computed days as they were', async () => {
    const store = site()
    const listing = await listAttendance(portOf(store), {from: '2026-03-02', to: '2026-03-03', employee: 'EMP002'}, Date.UTC(2026, 2, 7, 12))
    expect(listing.rows.map((r) => [r.date, r.status])).toEqual([
      ['2026-03-02', 'absent'],
      ['2026-03-03', 'absent'],
    ])
  })

  it('settles them in memory: the report writes nothing, and runs the same on a read-only connection', async () => {
    const store = site()
    const now = Date.UTC(2026, 2, 7, 12)
    const rows = () => store.sqlite.prepare(`SELECT employee_id, date, status FROM attendance_days ORDER BY 1, 2`).all()
    const before = rows()
    const changes = store.sqlite.prepare('SELECT total_changes()').pluck()
    const changed = changes.get()
    const query = {kind: 'register' as const, from: '2026-03-02', to: '2026-03-06', employee: null, department: null, generatedAt: null}
    const register = (await buildReport(portOf(store), query, now)).model
    expect(register.groups[0].rows.map((r) => [r.code, r.days.join(' ')])).toEqual([
      ['EMP001', 'P A A A A'],
      ['EMP002', 'A A A A A'],
    ])
    // Monday's check-in is still stored as pending, and no absence was written.
    expect(rows()).toEqual(before)
    expect(changes.get()).toBe(changed)

    const reader = openStore(store.path, {readonly: true})
    try {
      expect((await buildReport(portOf(reader), query, now)).model.groups).toEqual(register.groups)
      expect(() => reader.sqlite.exec(`DELETE FROM attendance_days`)).toThrow(/readonly/)
    } finally {
      reader.close()
    }
  })
})

