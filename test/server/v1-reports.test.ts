import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {createTestKey, getJson, request, startTestServer, type TestServer} from './helpers.js'

let server: TestServer
let readKey: string
let ingestKey: string
const bearer = (key: string) => ({authorization: `Bearer ${key}`})
const REPORT = '/v1/reports/attendance'

/** Seed 001's example: January 2023, Saturday and Sunday off, John present 21 days and absent 1. */
beforeAll(async () => {
  server = await startTestServer({now: () => Date.UTC(2023, 1, 1, 10)})
  readKey = createTestKey(server.store, {scopes: ['read']}).key
  ingestKey = createTestKey(server.store, {scopes: ['ingest']}).key
  const john = createEmployee(server.store, {code: 'EMP001', name: 'John Doe', department: 'IT', email: 'john.doe@example.com'}, Date.UTC(2023, 0, 1))
  createEmployee(server.store, {code: 'EMP002', name: 'Jane Smith', department: 'HR'}, Date.UTC(2023, 0, 1))
  const insert = server.store.sqlite.prepare(
    `INSERT INTO attendance_days (employee_id, date, status, late, early_departure, computed_at) VALUES (?, ?, ?, ?, ?, 0)`,
  )
  let working = 0
  for (let day = 1; day <= 31; day++) {
    const date = `2023-01-${String(day).padStart(2, '0')}`
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay()
    if (weekday === 0 || weekday === 6) {
      insert.run(john.id, date, 'weekly_off', 0, 0)
      continue
    }
    working++
    // The last working day is the absence; two late days and one early departure, as the seed.
    const status = working === 22 ? 'absent' : 'present'
    insert.run(john.id, date, status, working <= 2 ? 1 : 0, working === 3 ? 1 : 0)
  }
})
afterAll(async () => server.close())

describe('GET /v1/reports/attendance', () => {
  it("answers the seed's example request with the seed's report shape and figures", async () => {
    const res = await getJson(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31&department=IT`, bearer(readKey))
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['data'])
    const report = res.body.data
    expect(Object.keys(report).sort()).toEqual(['department', 'end_date', 'generated_at', 'report_id', 'start_date', 'summary', 'users'])
    expect(report).toMatchObject({start_date: '2023-01-01', end_date: '2023-01-31', department: 'IT', generated_at: '2023-02-01T10:00:00Z'})
    expect(report.report_id).toMatch(/^rep_[0-9a-f]+$/)
    expect(report.summary).toEqual({total_users: 1, total_days: 31, working_days: 22, average_attendance: 95.45})
    expect(report.users).toEqual([
      {
        id: expect.stringMatching(/^usr_\d+$/),
        name: 'John Doe',
        department: 'IT',
        // The v1 keys first, then the engine's further figures for the period.
        attendance: {
          present_days: 21, absent_days: 1, late_days: 2, early_departure_days: 1, attendance_percentage: 95.45,
          working_days: 22, leave_days: 0, pending_days: 0, half_off_days: 0, worked_on_holiday_days: 0, worked_on_leave_days: 0, off_day_hours: 0, manual_days: 0,
        },
      },
    ])
  })

  it('filters by user_id (usr_<id> or an employee code)', async () => {
    const all = await getJson(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31`, bearer(readKey))
    expect(all.body.data.summary.total_users).toBe(2)
    const id = all.body.data.users.find((u: {name: string}) => u.name === 'John Doe').id
    for (const userId of [id, 'emp001']) {
      const one = await getJson(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31&user_id=${userId}`, bearer(readKey))
      expect(one.status).toBe(200)
      expect(one.body.data.users.map((u: {name: string}) => u.name)).toEqual(['John Doe'])
    }
  })

  it('serves CSV and PDF with a content type and a file name', async () => {
    const csv = await request(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31&department=IT&format=csv`, {headers: bearer(readKey)})
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="attendance-2023-01-01-to-2023-01-31-IT.csv"')
    expect(csv.text.split('\n')[0]).toMatch(/present_days/)
    expect(csv.text).toMatch(/John Doe/)

    const pdf = await fetch(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31&format=pdf`, {headers: bearer(readKey)})
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('content-disposition')).toMatch(/filename="attendance-2023-01-01-to-2023-01-31\.pdf"/)
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('answers bad parameters with 400 naming the param, unknown filters with 404', async () => {
    const cases: Array<[string, number, string]> = [
      ['end_date=2023-01-31', 400, 'start_date'],
      ['start_date=2023-13-01&end_date=2023-01-31', 400, 'start_date'],
      ['start_date=2023-01-31&end_date=2023-01-01', 400, 'end_date'],
      ['start_date=2023-01-01&end_date=2023-01-31&format=xml', 400, 'format'],
      ['start_date=2023-01-01&end_date=2023-01-31&colour=red', 400, 'colour'],
      ['start_date=2023-01-01&end_date=2023-01-31&department=Sales', 404, 'department'],
      ['start_date=2023-01-01&end_date=2023-01-31&user_id=usr_999', 404, 'user_id'],
    ]
    for (const [query, status, param] of cases) {
      const res = await getJson(`${server.url}${REPORT}?${query}`, bearer(readKey))
      expect(res.status, query).toBe(status)
      expect(res.body.error.param, query).toBe(param)
      expect(res.body.error.message, query).toMatch(/\S/)
    }
  })

  it('needs a key with the read scope', async () => {
    const missing = await getJson(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31`)
    expect(missing.status).toBe(401)
    const wrongScope = await getJson(`${server.url}${REPORT}?start_date=2023-01-01&end_date=2023-01-31`, bearer(ingestKey))
    expect(wrongScope.status).toBe(403)
    expect(wrongScope.body.error.type).toBe('permission_error')
  })
})
