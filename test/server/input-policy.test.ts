import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {createTestDevice, createTestKey, postJson, request, startTestServer, type TestServer} from './helpers.js'

const NOW = Date.UTC(2026, 2, 12, 15, 0, 0)

/** One bad-input policy in every family (docs/architecture.md, "Bad input"). */
describe('the input policy over HTTP', () => {
  let server: TestServer
  let key: string
  const worker = (body: unknown) => postJson(`${server.url}/api/biometric/attendance`, body, {'x-api-key': key})
  const event = (overrides: Record<string, unknown>) => ({scanId: 'S-1', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2026-03-12T08:00:00Z', ...overrides})

  beforeAll(async () => {
    server = await startTestServer({now: () => NOW})
    key = createTestKey(server.store).key
    createEmployee(server.store, {code: 'EMP001', name: 'Ann'}, NOW)
    createEmployee(server.store, {code: 'EMP002', name: 'Ben'}, NOW)
  })
  afterAll(async () => {
    await server.close()
  })

  it('a scanId reused for another punch is stored as that punch, never "already recorded" with the other one\'s id', async () => {
    const first = await worker(event({scanId: 'REUSED-1'}))
    const firstId = first.body.results[0].assignment_id
    const res = await worker({
      events: [
        event({scanId: 'REUSED-1'}),
        event({scanId: 'REUSED-1', employeeId: 'EMP002'}),
        event({scanId: 'REUSED-1', timestamp: '2026-03-12T09:00:00Z'}),
      ],
    })
    expect(res.status).toBe(200)
    const [resent, otherEmployee, otherTime] = res.body.results
    expect(resent).toMatchObject({success: true, message: 'Attendance already recorded (duplicate scan)', assignment_id: firstId})
    for (const result of [otherEmployee, otherTime]) {
      expect(result).toMatchObject({success: true, message: 'Attendance recorded successfully'})
      expect(result.assignment_id).not.toBe(firstId)
    }
    const device = await worker({device_info: {device_id: 'GATE-2'}, events: [event({scanId: 'REUSED-1'})]})
    expect(device.body.results[0]).toMatchObject({message: 'Attendance recorded successfully'})
    expect(server.store.sqlite.prepare(`SELECT count(*) FROM punches WHERE scan_id = 'REUSED-1'`).pluck().get()).toBe(4)
  })

  it('an offset outside ±14:00 and a punch beyond the future margin are rejected per event with the reason', async () => {
    const res = await worker({
      events: [
        event({scanId: 'OFF-1', timestamp: '2026-03-12T08:00:00+25:00'}),
        event({scanId: 'OFF-2', timestamp: '2026-03-12T08:00:00+99:99'}),
        event({scanId: 'FUT-1', timestamp: '2026-03-20T08:00:00Z'}),
        event({scanId: 'OK-1', timestamp: '2026-03-12T10:00:00Z'}),
      ],
    })
    expect(res.status).toBe(207)
    expect(res.body.results.map((r: {message: string}) => r.message)).toEqual([
      'timestamp "2026-03-12T08:00:00+25:00": the UTC offset +25:00 is outside ±14:00.',
      'timestamp "2026-03-12T08:00:00+99:99": the UTC offset +99:99 is not an offset (minutes above 59).',
      'The punch time "2026-03-20T08:00:00Z" is 7 days in the future, beyond the future margin of 1d (attend config set future-margin).',
      'Attendance recorded successfully',
    ])
  })

  it('ids longer than 64 characters are refused in every family, and echoed fields stay short', async () => {
    const long = 'E'.repeat(5000)
    const res = await worker(event({scanId: 'LONG-1', employeeId: long}))
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`Processing failed: employeeId "${'E'.repeat(80)}…" is longer than 64 characters.`)
    const batch = await worker({events: [event({scanId: 'LONG-2', employeeId: long}), event({scanId: 'x'.repeat(65)})]})
    expect(batch.body.results[0].worker_id).toHaveLength(64)
    expect(batch.body.results[1].message).toMatch(/^scanId "x{65}" is longer than 64 characters\.$/)
    expect(JSON.stringify(batch.body).length).toBeLessThan(1000)

    const {token} = createTestDevice(server.store, {serial: 'POLICY01'})
    const push = await postJson(`${server.url}/api/v1/biometric/push-log`, {logs: [{user_id: long, timestamp: '2026-03-12 08:00:00'}]}, {Authorization: `Bearer ${token}`})
    expect(push.body.rejected[0].reason).toMatch(/^logs\[0\]\.user_id "E{80}…" is longer than 64 characters\.$/)
    const cams = await postJson(`${server.url}/api/attendance/v1/punch`, {user_id: long, att_time: '2026-03-12 08:00:00', att_state: 0, input_type: 1}, {sn: 'POLICY01', 'auth-token': token})
    expect(cams.status).toBe(400)
    expect(cams.body.error).toMatch(/^user_id "E{80}…" is longer than 64 characters\.$/)
    const zk = await request(`${server.url}/iclock/cdata?SN=POLICY01&table=ATTLOG`, {method: 'POST', body: `${long}\t2026-03-12 08:00:00\r\n`})
    expect(zk.text).toBe('OK: 1')
    expect(server.store.sqlite.prepare(`SELECT count(*) FROM punches WHERE device_key = 'POLICY01'`).pluck().get()).toBe(0)
  })

  it('an ingest key registers a new device through device_info but cannot rename or move a registered one', async () => {
    createTestDevice(server.store, {serial: 'ADMIN-GATE', name: 'Main gate', location: 'Block A'})
    const res = await worker({device_info: {device_id: 'ADMIN-GATE', device_name: 'Hacked', location: 'Nowhere'}, events: [event({scanId: 'RENAME-1'})]})
    expect(res.status).toBe(200)
    expect(findDeviceBySerial(server.store, 'ADMIN-GATE')).toMatchObject({name: 'Main gate', location: 'Block A'})
    await worker({device_info: {device_id: 'NEW-GATE', device_name: 'Side gate', location: 'Block B'}, events: [event({scanId: 'RENAME-2'})]})
    expect(findDeviceBySerial(server.store, 'NEW-GATE')).toMatchObject({name: 'Side gate', location: 'Block B'})
  })

  it('names at most a few departments when one is unknown', async () => {
    for (let i = 0; i < 30; i++) createEmployee(server.store, {code: `D${i}`, name: `Dept member ${i}`, department: `Department ${String(i).padStart(2, '0')}`}, NOW)
    const readKey = createTestKey(server.store, {scopes: ['read']}).key
    const res = await request(`${server.url}/v1/reports/attendance?start_date=2026-03-01&end_date=2026-03-02&department=Nope`, {headers: {authorization: `Bearer ${readKey}`}})
    expect(res.status).toBe(404)
    expect(res.body.error.message).toBe('Unknown department "Nope": known departments: Department 00, Department 01, Department 02, Department 03, Department 04 and 25 more.')
  })

  it('lists at most 100 rejections in an answer and counts the rest, so a batch of bad rows gets a small answer', async () => {
    const {token} = createTestDevice(server.store, {serial: 'MANYBAD01'})
    const logs = Array.from({length: 300}, (_, i) => ({user_id: String(i), timestamp: 'soon'}))
    const push = await postJson(`${server.url}/api/v1/biometric/push-log`, {logs}, {Authorization: `Bearer ${token}`})
    expect(push.status).toBe(400)
    expect(push.body.rejected).toHaveLength(100)
    expect(push.body.message).toMatch(/^300 logs received: 0 stored, 0 duplicates, 300 rejected\. The first 100 rejections are listed\. First rejection: /)

    const rows = Array.from({length: 150}, (_, i) => ({Type: 'CheckIn', UserID: String(i), LogTime: 'later'}))
    const cams = await postJson(`${server.url}/api/cams/callback`, {PunchLog: {Log: rows}, AuthToken: token})
    expect(cams.body.status).toBe('done')
    expect(cams.body.rejected).toHaveLength(100)
    expect(cams.body.rejectedCount).toBe(150)
  })
})
