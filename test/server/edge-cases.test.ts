import Database from 'better-sqlite3'
import fs from 'node:fs'
import net from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {defaultLimits} from '../../src/keys/service.js'
import {createTestDevice, createTestKey, postJson, request, startTestServer, type Json, type TestServer} from './helpers.js'

/**
 * Edge cases of `attend serve` the per-family tests leave out: empty uploads, unknown fields, large
 * backlogs, the seeds' own examples where they differ from the happy path, a store failing under a
 * request, two rate-limit windows at once, and a client that stops sending mid-body.
 */

const CAMS_PLACEHOLDER = 'your-32-char-auth-token-here'
const camsRealTimeSeed = fs.readFileSync(new URL('../fixtures/cams-realtime.json', import.meta.url), 'utf8')
const WORKER_PATH = '/api/biometric/attendance'
const SEED_000_RESPONSE_KEYS = ['failed', 'message', 'processed', 'results', 'success', 'successful']
const SEED_000_RESULT_KEYS = ['assignment_id', 'event_type', 'message', 'success', 'worker_id', 'worker_name']

/** Node prints a thrown error's stack as lines starting "    at ". */
const STACK_FRAME = /\n\s+at\s/

const countPunches = (server: TestServer, where = '1 = 1', ...params: unknown[]): number =>
  (server.store.sqlite.prepare(`SELECT count(*) AS n FROM punches WHERE ${where}`).get(...params) as {n: number}).n

/** `2024-09-17 HH:MM:00 GMT +0300`, `minutes` after 06:00: distinct CAMS log times. */
function camsLogTime(minutes: number): string {
  const hh = String(6 + Math.floor(minutes / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  return `2024-09-17 ${hh}:${mm}:00 GMT +0300`
}

/** `2026-03-12 HH:MM:SS`, `seconds` after 06:00: distinct device wall-clock times. */
function wallTime(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `2026-03-12 ${pad(6 + Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`
}

describe('attend serve edge cases', () => {
  let server: TestServer

  beforeAll(async () => {
    // A site zone away from UTC, so a wall-clock time read in the wrong zone shows.
    server = await startTestServer({timezone: 'Asia/Kolkata'})
    createEmployee(server.store, {code: 'EMP001', name: 'John Doe', department: 'IT'}, Date.now())
  })
  afterAll(async () => server.close())

  describe('ZKTeco ATTLOG upload with no records', () => {
    const SERIAL = 'EMPTYATT0001'
    const upload = (body: string) => request(`${server.url}/iclock/cdata?SN=${SERIAL}&table=ATTLOG&Stamp=9999`, {method: 'POST', body: Buffer.from(body)})

    beforeAll(() => {
      createTestDevice(server.store, {serial: SERIAL})
    })

    it('an empty body is acknowledged with exactly "OK: 0" and stores nothing', async () => {
      const res = await upload('')
      expect(res.status).toBe(200)
      expect(res.text).toBe('OK: 0')
      expect(countPunches(server, 'device_key = ?', SERIAL)).toBe(0)
    })

    it('a body of only blank CRLF lines is acknowledged with exactly "OK: 0" and stores nothing', async () => {
      const res = await upload('\r\n\r\n   \r\n\t\r\n')
      expect(res.status).toBe(200)
      expect(res.text).toBe('OK: 0')
      expect(countPunches(server, 'device_key = ?', SERIAL)).toBe(0)
    })
  })

  describe('CAMS callback (seed 003) with fields it does not know', () => {
    const SERIAL = 'ZHM11UNKNOWNF'
    let token: string

    beforeAll(() => {
      token = createTestDevice(server.store, {serial: SERIAL, name: 'Side Gate'}).token
    })

    it('ignores unknown fields at the top level, in RealTime and in PunchLog: answers done and stores the punch', async () => {
      const body = JSON.parse(camsRealTimeSeed.replace(CAMS_PLACEHOLDER, token).replace('ZHM11xxxxxxxx', SERIAL))
      body.GatewayVersion = '3.0.7'
      body.Trace = {hop: 2, region: 'eu'}
      body.RealTime.DeviceModel = 'ZHM11'
      body.RealTime.BatteryLevel = 87
      body.RealTime.PunchLog.PhotoUrl = 'https://gateway.example/photo/1.jpg'
      body.RealTime.PunchLog.Confidence = '98.1'
      body.RealTime.PunchLog.Extra = {wifi: true}
      const res = await request(`${server.url}/api/cams/callback`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
      expect(res.status).toBe(200)
      expect(res.text).toBe('{"status":"done"}')
      const rows = server.store.sqlite.prepare('SELECT * FROM punches WHERE device_key = ?').all(SERIAL) as Record<string, unknown>[]
      expect(rows).toHaveLength(1)
      // 08:00 at GMT +0300 is 05:00 UTC.
      expect(rows[0]).toMatchObject({device_user_id: 'EMP-0001', instant: Date.UTC(2024, 8, 17, 5, 0, 0), direction: 'in', source: 'http:cams-callback'})
    })
  })

  describe('a device uploading its backlog in one request (no 100-event cap outside seed 000)', () => {
    it('push-log (seed 004) accepts and stores 250 logs in one batch', async () => {
      const {token} = createTestDevice(server.store, {serial: 'PUSHBACKLOG1'})
      const logs = Array.from({length: 250}, (_, i) => ({user_id: String((i % 40) + 1), timestamp: wallTime(i * 61), status: i % 2}))
      const res = await postJson(`${server.url}/api/v1/biometric/push-log`, {logs}, {authorization: `Bearer ${token}`})
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({success: true, received: 250, stored: 250, duplicates: 0, rejected: []})
      expect(countPunches(server, 'device_key = ?', 'PUSHBACKLOG1')).toBe(250)
    })

    it('a CAMS PunchLog batch (seed 003) of 250 rows is done and every row is stored', async () => {
      const {token} = createTestDevice(server.store, {serial: 'CAMSBACKLOG1'})
      const Log = Array.from({length: 250}, (_, i) => ({Type: i % 2 ? 'CheckOut' : 'CheckIn', UserID: `EMP-${String((i % 40) + 1).padStart(4, '0')}`, LogTime: camsLogTime(i)}))
      const body = {PunchLog: {ReturnRowCount: String(Log.length), Log}, AuthToken: token}
      const res = await request(`${server.url}/api/cams/callback?stgid=CAMSBACKLOG1`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
      expect(res.status).toBe(200)
      expect(res.text).toBe('{"status":"done"}')
      expect(countPunches(server, 'device_key = ?', 'CAMSBACKLOG1')).toBe(250)
    })
  })

  describe('seed 000 Python example, sent as written', () => {
    it('a datetime.now().isoformat() timestamp (microseconds, no zone) is stored at that wall time in the site zone', async () => {
      const {key} = createTestKey(server.store)
      // The seed's `data`, with what datetime.now().isoformat() prints on a site PC.
      const data = {
        device_info: {device_id: 'DEV001', device_name: 'Main Gate Scanner', location: 'Main Entrance'},
        events: [{scanId: 'SCAN_001_20241201_001', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2026-03-12T09:15:42.123456', temperature: 36.5, maskDetected: true}],
      }
      // requests.post(url, headers=headers, json=data)
      const res = await postJson(server.url + WORKER_PATH, data, {'Content-Type': 'application/json', 'X-API-Key': key})
      expect(res.status).toBe(200)
      expect(Object.keys(res.body).sort()).toEqual(SEED_000_RESPONSE_KEYS)
      expect(res.body).toMatchObject({success: true, message: 'Attendance data processed successfully', processed: 1, successful: 1, failed: 0})
      expect(res.body.results).toHaveLength(1)
      expect(Object.keys(res.body.results[0]).sort()).toEqual(SEED_000_RESULT_KEYS)
      const row = server.store.sqlite.prepare('SELECT * FROM punches WHERE scan_id = ?').get('SCAN_001_20241201_001') as Record<string, unknown>
      expect(res.body.results[0]).toEqual({
        success: true,
        message: 'Attendance recorded successfully',
        worker_id: 'EMP001',
        worker_name: 'John Doe',
        assignment_id: row.id,
        event_type: 'check_in',
      })
      // 09:15:42.123 in Asia/Kolkata (UTC+5:30) is 03:45:42.123 UTC; microseconds beyond the millisecond are dropped.
      expect(row).toMatchObject({instant: Date.UTC(2026, 2, 12, 3, 45, 42, 123), utc_offset: 330, device_key: 'DEV001', direction: 'in', temperature: 36.5, mask: 1})
    })
  })

  describe('seed 001 POST /v1/attendance example, sent as written', () => {
    it('names a user that does not exist (usr_123456789): 404 in the v1 error format naming the user', async () => {
      const {key} = createTestKey(server.store, {scopes: ['ingest']})
      const before = countPunches(server)
      // The curl example's -d body, byte for byte.
      const body = `{
"user_id": "usr_123456789",
"device_id": "dev_123456789",
"type": "check_in",
"timestamp": "2023-01-15T09:00:00Z"
}`
      const res = await request(`${server.url}/v1/attendance`, {method: 'POST', headers: {Authorization: `Bearer ${key}`, 'Content-Type': 'application/json'}, body})
      expect(res.status).toBe(404)
      expect(Object.keys(res.body)).toEqual(['error'])
      expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
      expect(res.body.error).toMatchObject({param: 'user_id', type: 'not_found_error'})
      expect(res.body.error.message).toContain('usr_123456789')
      expect(countPunches(server)).toBe(before)
    })
  })

  describe('API-key rate limits with two windows', () => {
    let n = 0
    const event = () => {
      n++
      return {scanId: `RL-${n}`, employeeId: 'EMP001', eventType: 'check_in', timestamp: new Date(Date.UTC(2025, 5, 1, 8, 0, n)).toISOString()}
    }
    const post = (key: string) => postJson(server.url + WORKER_PATH, event(), {'x-api-key': key})
    const resetIn = (res: {headers: Headers}) => Number(res.headers.get('x-ratelimit-reset')) - Date.now() / 1000

    it('3/hour and 5/day: the headers describe the hourly window (fewest left); the 4th request is a 429 naming it', async () => {
      const {key} = createTestKey(server.store, {limits: [{max: 3, window: 'hour'}, {max: 5, window: 'day'}]})
      const remaining: (string | null)[] = []
      for (let i = 0; i < 3; i++) {
        const res = await post(key)
        expect(res.status).toBe(200)
        expect(res.headers.get('x-ratelimit-limit')).toBe('3')
        remaining.push(res.headers.get('x-ratelimit-remaining'))
        // The hour's end, not the day's.
        expect(resetIn(res)).toBeGreaterThan(0)
        expect(resetIn(res)).toBeLessThanOrEqual(3601)
      }
      expect(remaining).toEqual(['2', '1', '0'])

      const refused = await post(key)
      expect(refused.status).toBe(429)
      expect(refused.body).toEqual({success: false, message: expect.stringMatching(/Rate limit of 3 requests per hour exceeded/)})
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(60)
      expect(retryAfter).toBeLessThanOrEqual(3600)
      expect(refused.headers.get('x-ratelimit-limit')).toBe('3')
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    })

    it('5/hour and 3/day: the daily window has fewer left, so the headers and the 429 describe it', async () => {
      const {key} = createTestKey(server.store, {limits: [{max: 5, window: 'hour'}, {max: 3, window: 'day'}]})
      const first = await post(key)
      expect(first.headers.get('x-ratelimit-limit')).toBe('3')
      expect(first.headers.get('x-ratelimit-remaining')).toBe('2')
      // The day's end: more than an hour away.
      expect(resetIn(first)).toBeGreaterThan(3600)
      expect(resetIn(first)).toBeLessThanOrEqual(86_401)
      await post(key)
      await post(key)
      const refused = await post(key)
      expect(refused.status).toBe(429)
      expect(refused.body.message).toMatch(/Rate limit of 3 requests per day exceeded/)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600)
    })

    it('a key created without limits gets 1000/hour and 10 000/day (seed 000); X-RateLimit-* show the hourly one', async () => {
      const {key, record} = createTestKey(server.store)
      expect(record.limits).toEqual([{max: 1000, window: 'hour'}, {max: 10_000, window: 'day'}])
      expect(defaultLimits).toEqual(record.limits)
      const res = await post(key)
      expect(res.status).toBe(200)
      expect(res.headers.get('x-ratelimit-limit')).toBe('1000')
      expect(res.headers.get('x-ratelimit-remaining')).toBe('999')
      expect(resetIn(res)).toBeLessThanOrEqual(3601)
    })
  })
})

describe('a store failing under a request', () => {
  let server: TestServer
  let token: string
  let key: string
  const SERIAL = 'ZHM11xxxxxxxx'

  beforeAll(async () => {
    server = await startTestServer({timezone: 'UTC'})
    token = createTestDevice(server.store, {serial: SERIAL, name: 'Main Gate'}).token
    key = createTestKey(server.store).key
  })
  afterAll(async () => server.close())

  /** Runs `send` while the punches table is missing (renamed by another connection), then puts it back. */
  async function withPunchesGone<T>(send: () => Promise<T>): Promise<T> {
    const other = new Database(server.store.path)
    try {
      other.pragma('busy_timeout = 5000')
      other.exec('ALTER TABLE punches RENAME TO punches_gone')
      try {
        return await send()
      } finally {
        other.exec('ALTER TABLE punches_gone RENAME TO punches')
      }
    } finally {
      other.close()
    }
  }

  it('CAMS callback still answers HTTP 200 {"status":"error","message"} (no stack trace), and stores the punch once the store is back', async () => {
    const body = camsRealTimeSeed.replace(CAMS_PLACEHOLDER, token)
    const send = () => request(`${server.url}/api/cams/callback`, {method: 'POST', headers: {'content-type': 'application/json'}, body})
    const failed = await withPunchesGone(send)
    expect(failed.status).toBe(200)
    expect(Object.keys(failed.body).sort()).toEqual(['message', 'status'])
    expect(failed.body.status).toBe('error')
    expect(failed.body.message).toEqual(expect.any(String))
    expect(failed.body.message).not.toMatch(STACK_FRAME)
    // Internals (SQL, table names) are for the log, not the gateway.
    expect(failed.body.message).not.toMatch(/punches|sqlite|no such table/i)

    // The gateway retries; with the store back, the punch is stored.
    const retried = await send()
    expect(retried.body).toEqual({status: 'done'})
    expect(countPunches(server, 'device_key = ?', SERIAL)).toBe(1)
  })

  it('seed 000 answers in its own {success:false,message} format without a stack trace, and stores nothing', async () => {
    const event = {scanId: 'STORE-DOWN-1', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2025-03-03T08:00:00Z'}
    const res: Json = await withPunchesGone(() => postJson(server.url + WORKER_PATH, event, {'x-api-key': key}))
    // A store failure is temporary for the client: 503 with Retry-After, so the terminal resends.
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(res.body).toEqual({success: false, message: 'The attendance store could not be written, so nothing was stored; send the request again later.'})
    expect(res.body.message).not.toMatch(STACK_FRAME)
    expect(res.body.message).not.toMatch(/punches|sqlite|no such table/i)
    expect(countPunches(server, 'scan_id = ?', 'STORE-DOWN-1')).toBe(0)
  })
})

describe('request timeout', () => {
  /**
   * Sends the request head with Content-Length: 100 and only part of the body, then waits. Resolves
   * with what the server did within `waitMs`: answered (408 or another status), closed silently,
   * or nothing at all ("hung").
   */
  function sendPartialBody(url: string, headers: Record<string, string>, waitMs: number): Promise<{outcome: 'answered' | 'closed' | 'hung'; response: string}> {
    const {hostname, port} = new URL(url)
    return new Promise((resolve) => {
      let response = ''
      const socket = net.connect(Number(port), hostname, () => {
        const head = Object.entries({Host: `${hostname}:${port}`, 'Content-Type': 'application/json', 'Content-Length': '100', ...headers})
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')
        socket.write(`POST ${new URL(url).pathname} HTTP/1.1\r\n${head}\r\n{"scanId": "SLOW-1", "employeeId": `)
      })
      const finish = (outcome: 'answered' | 'closed' | 'hung') => {
        clearTimeout(timer)
        socket.destroy()
        resolve({outcome, response})
      }
      const timer = setTimeout(() => finish('hung'), waitMs)
      socket.setEncoding('utf8')
      socket.on('data', (chunk: string) => (response += chunk))
      socket.on('close', () => finish(response ? 'answered' : 'closed'))
      socket.on('error', () => finish(response ? 'answered' : 'closed'))
    })
  }

  // Node checks timeouts every connectionsCheckingInterval and keeps its own headers timeout; the
  // app sets both from requestTimeoutMs, so the guard acts in about the time configured.
  it('a client that sends only part of its body is answered 408 or disconnected within ~2 s when requestTimeoutMs is 300', async () => {
    const server = await startTestServer({requestTimeoutMs: 300})
    try {
      const {key} = createTestKey(server.store)
      const result = await sendPartialBody(server.url + WORKER_PATH, {'X-API-Key': key}, 2000)
      expect(result.outcome).not.toBe('hung')
      if (result.outcome === 'answered') expect(result.response).toMatch(/^HTTP\/1\.1 408 /)
    } finally {
      await server.close()
    }
  })
})
