import {expect, it} from 'vitest'

import {buildHttpReport, parseHttpReportQuery, ReportParamError} from '../../src/reports/http.js'
import {ReportThread} from '../../src/reports/worker/report-thread.js'
import {dashboardLive, dashboardSnapshot} from '../../src/server/dashboard/thread-tasks.js'
import {describeEngines} from '../helpers/engines.js'
import {insertDays, insertDevice, insertEmployees, insertPunches, insertShift, seedJanuary2023On} from './seed.js'

/** Late on the last day of January 2023, with every day of the month closed. */
const NOW = Date.parse('2023-01-31T19:00:00Z')

describeEngines('reports and the status page through the store port', (store) => {
  const query = (extra: Record<string, string> = {}) => parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31', ...extra})

  it('GET /v1/reports/attendance answers JSON and CSV, and names the parameter of an unknown user or department', async () => {
    await seedJanuary2023On(store())
    const json = JSON.parse(String((await buildHttpReport(store().port, query({department: 'it'}), NOW)).body))
    expect(json.data.department).toBe('IT')
    expect(json.data.users.map((u: {name: string}) => u.name)).toEqual(['John Doe', 'Łukasz Nowak'])
    const csv = await buildHttpReport(store().port, {...query({format: 'csv'}), kind: 'late'}, NOW)
    expect(csv.filename).toBe('late-2023-01-01-to-2023-01-31.csv')
    expect(String(csv.body).split('\n').filter((line) => line.includes('EMP001'))).toHaveLength(3)
    for (const [extra, param] of [[{user_id: 'EMP999'}, 'user_id'], [{department: 'Sales'}, 'department']] as const) {
      const failure = await buildHttpReport(store().port, query(extra), NOW).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(ReportParamError)
      expect(failure).toMatchObject({status: 404, param})
    }
  })

  it('settles a pending day whose shift has closed, and a day nobody punched on, without writing', async () => {
    const [ama] = await insertEmployees(store(), [{code: 'EMP001', name: 'Ama Mensah'}])
    await insertShift(store(), 'Day', '09:00', '17:00')
    await store().exec(`INSERT INTO settings (key, value, updated_at) VALUES ('defaultShift', '"Day"', 0)`)
    // Monday: checked in while the shift was open, stored as pending; Tuesday: nothing at all.
    await insertPunches(store(), [{deviceKey: 'GATE-1', deviceUserId: '1', employeeId: ama, instant: Date.parse('2023-01-30T08:55:00Z')}])
    await insertDays(store(), [
      {employeeId: ama, date: '2023-01-30', status: 'pending', shiftId: null, firstIn: null, lastOut: null, workedMinutes: 0, lateMinutes: 0, earlyMinutes: 0,
        overtimeMinutes: 0, late: false, earlyDeparture: false, missedPunch: false, workedOnHoliday: false, workedOnLeave: false, offDayMinutes: 0,
        halfOff: null, manual: false, note: null},
    ])
    const register = JSON.parse(String((await buildHttpReport(store().port, {...parseHttpReportQuery({start_date: '2023-01-30', end_date: '2023-01-31'}), kind: 'register'}, NOW)).body))
    expect(register.data.groups[0].rows[0]).toMatchObject({code: 'EMP001', days: ['P', 'A']})
    expect(await store().all<{date: string; status: string}>('SELECT date, status FROM attendance_days ORDER BY date')).toEqual([{date: '2023-01-30', status: 'pending'}])
  })

  it('the status page: today, who is in, the month, devices and the live feed', async () => {
    const {ids} = await seedJanuary2023On(store())
    const gate = await insertDevice(store(), 'GATE-1', 'Main gate')
    const [first] = await insertPunches(store(), [{deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '1', employeeId: ids[0], instant: Date.parse('2023-01-31T08:55:00Z')}])
    const snapshot = await dashboardSnapshot(store().port, {withMonth: true}, NOW)
    expect(snapshot.today).toMatchObject({date: '2023-01-31', counts: {on_roll: 4}})
    expect(snapshot.month!.days).toHaveLength(31)
    expect(snapshot.in_now.map((entry) => entry.code)).toEqual(['EMP001'])
    expect(snapshot.devices.devices.map((device) => device.serial)).toEqual(['GATE-1'])
    expect(snapshot.recent.map((punch) => [punch.employee?.code, punch.device])).toEqual([['EMP001', 'GATE-1']])
    expect(snapshot.cursor).toBe(first)

    const [second] = await insertPunches(store(), [{deviceKey: 'GATE-2', deviceUserId: '99', employeeId: null, instant: Date.parse('2023-01-31T09:10:00Z')}])
    const live = await dashboardLive(store().port, {after: snapshot.cursor}, NOW)
    expect(live.cursor).toBe(second)
    expect(live.punches.map((punch) => [punch.employee, punch.device])).toEqual([[null, 'GATE-2']])
    expect((await dashboardLive(store().port, {after: live.cursor}, NOW)).punches).toEqual([])
  })

  it('status page sessions: created (clearing expired ones), found with their key, extended and ended', async () => {
    const [key] = await store().all<{id: number}>(
      `INSERT INTO api_keys (name, prefix, hash, scopes, limits, created_at) VALUES ('wall', 'ak_1', 'h', '["read"]', '{}', 0) RETURNING id`,
    )
    const sessions = store().port.dashboard
    await sessions.createSession({idHash: 'old', apiKeyId: key.id, createdAt: 0, expiresAt: 500})
    await sessions.createSession({idHash: 'new', apiKeyId: key.id, createdAt: 1000, expiresAt: 2000})
    expect(await sessions.findSession('old')).toBeUndefined()
    expect(await sessions.findSession('new')).toEqual({apiKeyId: key.id, keyName: 'wall', keyScopes: ['read'], keyRevokedAt: null, createdAt: 1000, expiresAt: 2000})
    await sessions.extendSession('new', 5000)
    expect((await sessions.findSession('new'))?.expiresAt).toBe(5000)
    await sessions.deleteSession('new')
    expect(await sessions.findSession('new')).toBeUndefined()
  })

  it('the report thread opens its own connection to the same store (a pool of its own on PostgreSQL)', {timeout: 60_000}, async () => {
    await seedJanuary2023On(store())
    const thread = new ReportThread(store().port.location)
    try {
      const inThread = await thread.run({...query({format: 'csv'}), kind: 'register'}, NOW)
      const inPlace = await buildHttpReport(store().port, {...query({format: 'csv'}), kind: 'register'}, NOW)
      expect(inThread.body).toBe(inPlace.body)
      expect((await thread.task('dashboard-live', {after: 0}, NOW)).punches).toEqual([])
    } finally {
      await thread.close()
    }
  })
})
