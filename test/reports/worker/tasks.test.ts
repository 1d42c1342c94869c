import {afterEach, describe, expect, it} from 'vitest'

import {buildHttpReport} from '../../../src/reports/http.js'
import {ReportThread} from '../../../src/reports/worker/report-thread.js'
import {threadTasks} from '../../../src/reports/worker/tasks.js'
import {testStore} from '../../helpers/store.js'
import {insertPunches, portOf, seedJanuary2023} from '../seed.js'

let store: ReturnType<typeof testStore> | undefined
let thread: ReportThread | undefined
afterEach(async () => {
  await thread?.close()
  thread = undefined
  store?.cleanup()
  store = undefined
})

/** Late on the last day of January 2023, with every day of the month settled. */
const now = Date.parse('2023-01-31T19:00:00Z')

describe('report thread tasks', () => {
  it('answers each task of its registry exactly as it runs in place, from its read-only connection', {timeout: 60_000}, async () => {
    store = testStore()
    const {ids} = seedJanuary2023(store)
    insertPunches(store, [{employeeId: ids[0], deviceUserId: 'EMP001', instant: Date.parse('2023-01-31T08:55:00Z'), deviceKey: 'GATE-1'}])
    thread = new ReportThread({engine: 'sqlite', path: store.path})

    const snapshot = await thread.task('dashboard-snapshot', {withMonth: true}, now)
    expect(snapshot).toEqual(await threadTasks['dashboard-snapshot'](portOf(store), {withMonth: true}, now))
    expect(snapshot.today).toMatchObject({date: '2023-01-31', counts: {on_roll: 4}})
    expect(snapshot.month!.days).toHaveLength(31)
    expect(snapshot.recent.map((p) => p.employee?.code)).toEqual(['EMP001'])

    const live = await thread.task('dashboard-live', {after: 0}, now)
    expect(live).toEqual(await threadTasks['dashboard-live'](portOf(store), {after: 0}, now))
    expect(live.cursor).toBe(snapshot.cursor)
    expect((await thread.task('dashboard-live', {after: live.cursor}, now)).punches).toEqual([])
  })

  it('builds the register and the late report of a period for the status page, as bytes that arrive whole', {timeout: 60_000}, async () => {
    store = testStore()
    seedJanuary2023(store)
    thread = new ReportThread({engine: 'sqlite', path: store.path})
    const request = {kind: 'register' as const, start: '2023-01-01', end: '2023-01-31', format: 'pdf' as const, userId: null, department: 'IT', bom: true}
    const pdf = await thread.run(request, now)
    expect(pdf.filename).toBe('register-2023-01-01-to-2023-01-31-IT.pdf')
    expect(Buffer.isBuffer(pdf.body)).toBe(true)
    expect(pdf.body).toEqual((await buildHttpReport(portOf(store), request, now)).body)

    const late = await thread.run({...request, kind: 'late', format: 'csv', department: null}, now)
    expect(late).toMatchObject({contentType: 'text/csv; charset=utf-8', filename: 'late-2023-01-01-to-2023-01-31.csv'})
    expect(String(late.body).split('\n').filter((line) => line.includes('late_arrival'))).toHaveLength(2)
  })
})
