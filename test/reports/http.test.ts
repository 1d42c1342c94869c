import {afterEach, describe, expect, it} from 'vitest'

import {AttendError, UsageError} from '../../src/errors.js'
import {summaryReportForHttp} from '../../src/reports/http.js'
import {testStore} from '../helpers/store.js'
import {pdfPages} from './pdf-text.js'
import {portOf, seedJanuary2023} from './seed.js'

const now = Date.parse('2023-02-01T10:00:00Z')
let store: ReturnType<typeof testStore>
afterEach(() => store?.cleanup())

describe('summaryReportForHttp (GET /v1/reports/attendance)', () => {
  it('answers {data: report} as JSON by default', async () => {
    store = testStore()
    seedJanuary2023(store)
    const response = await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', department: 'IT'}, now)
    expect(response.contentType).toBe('application/json; charset=utf-8')
    expect(response.filename).toBeUndefined()
    const body = JSON.parse(String(response.body))
    expect(body.data).toMatchObject({start_date: '2023-01-01', end_date: '2023-01-31', department: 'IT', generated_at: '2023-02-01T10:00:00Z'})
    expect(body.data.summary).toEqual({total_users: 2, total_days: 31, working_days: 22, average_attendance: 96.54})
    expect(body.data.users[0].attendance.attendance_percentage).toBe(95.45)
  })

  it('filters by user_id (the employee code) and serves CSV and PDF with file names', async () => {
    store = testStore()
    seedJanuary2023(store)
    const byCode = JSON.parse(String((await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', user_id: 'emp002'}, now)).body))
    expect(byCode.data.users.map((u: {id: string; name: string}) => [u.id, u.name])).toEqual([['usr_2', 'Łukasz Nowak']])
    const byId = JSON.parse(String((await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', user_id: 'usr_2'}, now)).body))
    expect(byId.data).toEqual({...byCode.data, report_id: byId.data.report_id})
    const csv = await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', format: 'csv'}, now)
    expect(csv.contentType).toBe('text/csv; charset=utf-8')
    expect(csv.filename).toBe('attendance-2023-01-01-to-2023-01-31.csv')
    // With the UTF-8 byte order mark Excel needs, unless bom=false (the CLI's --no-bom).
    expect(String(csv.body).split('\n')[0]).toMatch(/^\uFEFFuser_id,code,name,department/)
    const plain = await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', format: 'csv', bom: 'false'}, now)
    expect(plain.body).toBe(String(csv.body).slice(1))
    const pdf = await summaryReportForHttp(portOf(store), {start_date: '2023-01-01', end_date: '2023-01-31', format: 'pdf', department: 'HR'}, now)
    expect(pdf.contentType).toBe('application/pdf')
    expect(pdf.filename).toBe('attendance-2023-01-01-to-2023-01-31-HR.pdf')
    expect((await pdfPages(pdf.body as Buffer))[0]).toContain('Zoë Müller')
  })

  it('names the bad parameter', async () => {
    store = testStore()
    const call = (query: Record<string, unknown>) => summaryReportForHttp(portOf(store), query, now)
    await expect(call({end_date: '2023-01-31'})).rejects.toThrow(/start_date/)
    await expect(call({start_date: '2023-01-01'})).rejects.toThrow('Missing required parameter end_date: expected a date in YYYY-MM-DD format.')
    await expect(call({start_date: '2023-02-30', end_date: '2023-03-01'})).rejects.toThrow('Invalid start_date "2023-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2023 has 28 days).')
    await expect(call({start_date: '2023-03-01', end_date: '2023-02-01'})).rejects.toThrow('end_date 2023-02-01 is before start_date 2023-03-01: the end of the period must not come before its start.')
    await expect(call({start_date: '2023-01-01', end_date: '2023-01-31', format: 'xml'})).rejects.toThrow('format "xml" is not a report format here: expected json, csv or pdf.')
    await expect(call({start_date: ['2023-01-01', '2023-01-02'], end_date: '2023-01-31'})).rejects.toThrow(UsageError)
    await expect(call({start_date: '2023-01-01', end_date: '2023-01-31', user_id: 'NOPE'})).rejects.toThrow(/Unknown employee code "NOPE"/)
    await expect(call({start_date: '2023-01-01', end_date: '2023-01-31', department: 'Sales'})).rejects.toThrow(AttendError)
  })
})
