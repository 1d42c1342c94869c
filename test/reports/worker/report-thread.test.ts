import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {ReportParamError, parseHttpReportQuery} from '../../../src/reports/http.js'
import {ReportThread, ReportThreadError} from '../../../src/reports/worker/report-thread.js'
import {tempDir} from '../../helpers/cli.js'
import {testStore} from '../../helpers/store.js'
import {seedJanuary2023} from '../seed.js'

let store: ReturnType<typeof testStore> | undefined
let thread: ReportThread | undefined
afterEach(async () => {
  await thread?.close()
  thread = undefined
  store?.cleanup()
  store = undefined
})

const now = Date.parse('2023-02-01T10:00:00Z')

describe('ReportThread: reports built on a thread with its own read-only connection', () => {
  it('answers JSON and PDF bodies, and unknown filters as errors naming the parameter', {timeout: 60_000}, async () => {
    store = testStore()
    seedJanuary2023(store)
    thread = new ReportThread({engine: 'sqlite', path: store.path})
    const json = await thread.run(parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31', department: 'IT'}), now)
    expect(JSON.parse(String(json.body)).data.summary).toEqual({total_users: 2, total_days: 31, working_days: 22, average_attendance: 96.54})
    const pdf = await thread.run(parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31', format: 'pdf'}), now)
    expect(Buffer.isBuffer(pdf.body) && pdf.body.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.filename).toBe('attendance-2023-01-01-to-2023-01-31.pdf')

    const unknown = thread.run(parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31', department: 'Sales'}), now)
    await expect(unknown).rejects.toBeInstanceOf(ReportParamError)
    await expect(unknown).rejects.toMatchObject({status: 404, param: 'department', message: 'Unknown department "Sales": known departments: HR, IT.'})
  })

  it('starts a new thread after the last one was closed', {timeout: 60_000}, async () => {
    store = testStore()
    seedJanuary2023(store)
    thread = new ReportThread({engine: 'sqlite', path: store.path})
    const query = parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31', user_id: 'EMP001'})
    const first = await thread.run(query, now)
    await thread.close()
    expect((await thread.run(query, now)).body).toBe(first.body)
  })
})

describe('ReportThread failures', () => {
  it('fails the report with a ReportThreadError when the thread cannot open the store, and tries again next time', {timeout: 60_000}, async () => {
    const t = tempDir()
    const missing = path.join(t.dir, 'gone.db')
    thread = new ReportThread({engine: 'sqlite', path: missing})
    const query = parseHttpReportQuery({start_date: '2023-01-01', end_date: '2023-01-31'})
    await expect(thread.run(query, now)).rejects.toThrow(ReportThreadError)
    await expect(thread.run(query, now)).rejects.toThrow(/The report thread failed: .*gone\.db/)
    t.cleanup()
  })
})
