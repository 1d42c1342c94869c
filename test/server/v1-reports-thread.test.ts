import {afterEach, describe, expect, it, vi} from 'vitest'

import {ReportThread} from '../../src/reports/worker/report-thread.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {insertEmployees} from '../reports/seed.js'
import {spawnServe} from './spawn-serve.js'
import {createTestKey, getJson, postJson, startTestServer, type TestServer} from './helpers.js'
import {pdfPages} from '../reports/pdf-text.js'

let server: TestServer | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

const REPORT = '/v1/reports/attendance'

/**
 * Issue 10: `end_date=9999-12-31` ran for minutes while punches waited, and a report built on the
 * event loop stopped every family. Reports are now capped and built on their own thread, on a
 * read-only connection, settling stale days in memory.
 */
describe('GET /v1/reports/attendance never stops the server', () => {
  it('answers 400 in the v1 format naming end_date for a period longer than the server allows', async () => {
    server = await startTestServer({now: () => Date.UTC(2026, 0, 10)})
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const res = await getJson(`${server.url}${REPORT}?start_date=2025-01-01&end_date=9999-12-31`, {authorization: `Bearer ${key}`})
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: {
        code: 'invalid_request',
        message: 'A report covers at most 366 days on this server, but 2025-01-01 to 9999-12-31 is 2912808 days: ask for an end_date no later than 2026-01-01, and for the rest in further requests.',
        param: 'end_date',
        type: 'validation_error',
      },
    })
    const year = await getJson(`${server.url}${REPORT}?start_date=2025-01-01&end_date=2026-01-01`, {authorization: `Bearer ${key}`})
    expect(year.status).toBe(200)
  })

  it('keeps /health and ingest answering while a year-long report for 600 people is built', {timeout: 120_000}, async () => {
    const now = Date.UTC(2026, 0, 10, 12)
    server = await startTestServer({now: () => now})
    const store = server.store
    writeSettings(store, {timezone: 'UTC'}, 0)
    addShift(() => store, 'Day', {start: '09:00', end: '17:00'}, 0)
    writeSettings(store, {defaultShift: 'Day'}, 0)
    // No attendance row at all: the report settles 600 × 365 days in memory, which takes seconds.
    insertEmployees(store, Array.from({length: 600}, (_, i) => ({code: `E${String(i + 1).padStart(3, '0')}`, name: `Person ${i + 1}`, department: i % 2 ? 'Admin' : 'Teaching'})))
    const read = {authorization: `Bearer ${createTestKey(store, {scopes: ['read']}).key}`}
    const ingest = {'x-api-key': createTestKey(store, {scopes: ['ingest']}).key}

    const dispatched = vi.spyOn(ReportThread.prototype, 'run')
    let reportDone = false
    const report = fetch(`${server.url}${REPORT}?start_date=2025-01-01&end_date=2025-12-31&format=pdf`, {headers: read}).then(async (res) => {
      const bytes = Buffer.from(await res.arrayBuffer())
      reportDone = true
      return {status: res.status, type: res.headers.get('content-type'), bytes}
    })
    // Once the report has gone to its thread, health checks back to back until it is done, and one
    // punch among them: built on the event loop, it would let nothing through until it was done.
    await vi.waitFor(() => expect(dispatched).toHaveBeenCalled(), {timeout: 30_000, interval: 5})
    let answeredWhilePending = 0
    let punchWhilePending: string | undefined
    while (!reportDone) {
      const health = await getJson(`${server.url}/health`)
      expect(health.status).toBe(200)
      if (!reportDone) answeredWhilePending++
      if (answeredWhilePending === 10 && punchWhilePending === undefined) {
        const punch = await postJson(`${server.url}/api/biometric/attendance`, {scanId: 'GATE-1-0001', employeeId: 'E001', eventType: 'check_in', timestamp: '2026-01-10T08:55:00Z'}, ingest)
        punchWhilePending = `${punch.status} ${punch.body.successful} stored${reportDone ? ' after the report' : ''}`
      }
    }
    const done = await report

    expect(answeredWhilePending).toBeGreaterThanOrEqual(20)
    expect(punchWhilePending).toBe('200 1 stored')
    expect(done.status).toBe(200)
    expect(done.type).toBe('application/pdf')
    const pages = await pdfPages(done.bytes)
    expect(pages).toHaveLength(13)
    expect(pages[12].includes('All 600 people 156600 0 156600')).toBe(true)
    // The report wrote nothing: the absences it showed were settled in memory.
    expect(store.sqlite.prepare('SELECT count(*) FROM attendance_days').pluck().get()).toBe(1)
  })

  it('attend serve --max-report-days sets the longest period', {timeout: 60_000}, async () => {
    server = await startTestServer()
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const dbPath = server.store.path
    const serve = await spawnServe(['--db', dbPath, '--max-report-days', '31', '--log-level', 'silent'])
    try {
      const auth = {authorization: `Bearer ${key}`}
      const month = await getJson(`${serve.url}${REPORT}?start_date=2026-01-01&end_date=2026-01-31`, auth)
      expect(month.status).toBe(200)
      const longer = await getJson(`${serve.url}${REPORT}?start_date=2026-01-01&end_date=2026-02-01`, auth)
      expect(longer.status).toBe(400)
      expect(longer.body.error).toMatchObject({param: 'end_date', message: expect.stringMatching(/^A report covers at most 31 days on this server/)})
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
  })
})
