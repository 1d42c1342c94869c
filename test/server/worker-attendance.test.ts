import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {listApiKeys, revokeApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {deactivateDevice} from '../../src/devices/service.js'
import {createTestKey, postJson, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const PATH = '/api/biometric/attendance'
const RESULT_KEYS = ['assignment_id', 'event_type', 'message', 'success', 'worker_id', 'worker_name']
const RESPONSE_KEYS = ['failed', 'message', 'processed', 'results', 'success', 'successful']

// The seed's own examples, as written.
const seedSingle = {
  scanId: 'SCAN_001_20241201_001',
  employeeId: 'EMP001',
  eventType: 'check_in',
  timestamp: '2024-12-01T08:30:00Z',
  statusCode: 200,
  temperature: 36.5,
  maskDetected: true,
  confidenceScore: 95.5,
}
const seedBatch = {
  device_info: {device_id: 'DEV001', device_name: 'Main Gate Scanner', location: 'Main Entrance', temperature: 36.5, mask_detected: true},
  events: [
    {scanId: 'SCAN_001_20241201_001', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2024-12-01T08:30:00Z', temperature: 36.5, maskDetected: true},
    {scanId: 'SCAN_001_20241201_002', employeeId: 'EMP001', eventType: 'check_out', timestamp: '2024-12-01T17:30:00Z', temperature: 36.2, maskDetected: true},
  ],
}
const seedCurl = {
  events: [{scanId: 'SCAN_001_20241201_001', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2024-12-01T08:30:00Z', temperature: 36.5, maskDetected: true}],
}

let server: TestServer
let key: string
let n = 0
/** A valid event with a scanId and time no other test uses. */
const event = (overrides: Record<string, unknown> = {}) => {
  n++
  return {scanId: `T-${n}`, employeeId: 'EMP001', eventType: 'check_in', timestamp: new Date(Date.UTC(2025, 0, 1, 8, 0, n)).toISOString(), ...overrides}
}
const post = (body: unknown, headers: Record<string, string> = {}) => postJson(server.url + PATH, body, {'x-api-key': key, ...headers})
const punchRows = (where = '1 = 1', ...params: unknown[]) =>
  server.store.sqlite.prepare(`SELECT * FROM punches WHERE ${where} ORDER BY id`).all(...params) as Record<string, unknown>[]

beforeAll(async () => {
  server = await startTestServer()
  key = createTestKey(server.store).key
  createEmployee(server.store, {code: 'EMP001', name: 'John Doe', department: 'IT'}, Date.now())
})
afterAll(async () => server.close())

describe('seed 000 examples, as written', () => {
  it('a single event is recorded and answered in the seed shape', async () => {
    const res = await post(seedSingle)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(RESPONSE_KEYS)
    expect(res.body).toMatchObject({success: true, message: 'Attendance data processed successfully', processed: 1, successful: 1, failed: 0})
    const [result] = res.body.results
    expect(Object.keys(result).sort()).toEqual(RESULT_KEYS)
    const [row] = punchRows('scan_id = ?', 'SCAN_001_20241201_001')
    expect(result).toEqual({
      success: true,
      message: 'Attendance recorded successfully',
      worker_id: 'EMP001',
      worker_name: 'John Doe',
      assignment_id: row.id,
      event_type: 'check_in',
    })
    expect(row).toMatchObject({instant: Date.parse('2024-12-01T08:30:00Z'), direction: 'in', temperature: 36.5, mask: 1, confidence: 95.5})
  })

  it('the batch with device_info registers the device and records both events', async () => {
    const res = await post(seedBatch)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({success: true, processed: 2, successful: 2, failed: 0})
    expect(res.body.results.map((r: {event_type: string}) => r.event_type)).toEqual(['check_in', 'check_out'])
    for (const result of res.body.results) expect(Object.keys(result).sort()).toEqual(RESULT_KEYS)
    const device = server.store.sqlite.prepare('SELECT * FROM devices WHERE serial = ?').get('DEV001') as Record<string, unknown>
    expect(device).toMatchObject({name: 'Main Gate Scanner', location: 'Main Entrance', status: 'active'})
    expect(device.last_seen_at).toBeTypeOf('number')
    // The seed reuses SCAN_001_20241201_001 from its single-event example, this time from DEV001:
    // dedup is (device, user, instant), so the device's punch is its own row, never "already
    // recorded" under the id of the punch sent without a device.
    expect(res.body.results[0].message).toBe('Attendance recorded successfully')
    expect(punchRows('scan_id = ?', 'SCAN_001_20241201_001')).toHaveLength(2)
    expect(punchRows('device_key = ?', 'DEV001')).toHaveLength(2)
  })

  it('the curl example ({events:[…]} without device_info) is recorded', async () => {
    const res = await post(seedCurl)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({success: true, processed: 1, successful: 1, failed: 0})
  })

  it('the fetch example (timestamp = now, key in ?api_key=) is recorded', async () => {
    const body = {
      device_info: {device_id: 'DEV001', device_name: 'Main Gate Scanner', location: 'Main Entrance'},
      events: [{scanId: 'SCAN_FETCH_1', employeeId: 'EMP001', eventType: 'check_in', timestamp: new Date().toISOString(), temperature: 36.5, maskDetected: true}],
    }
    const res = await postJson(`${server.url}${PATH}?api_key=${encodeURIComponent(key)}`, body)
    expect(res.status).toBe(200)
    expect(res.body.results[0]).toMatchObject({success: true, worker_id: 'EMP001', worker_name: 'John Doe'})
  })

  it('the seed error example: a single event without scanId is a 400 with exactly that message', async () => {
    const {scanId: _scanId, ...rest} = seedSingle
    const res = await post(rest)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({success: false, message: 'Processing failed: Missing required field: scanId'})
  })
})

describe('events', () => {
  it('a repeated scanId is a duplicate answered with the stored punch, not an error', async () => {
    const scan = event({scanId: 'DUP-1'})
    const first = await post(scan)
    const again = await post({events: [scan]})
    expect(first.status).toBe(200)
    expect(again.status).toBe(200)
    expect(again.body.results[0].success).toBe(true)
    expect(again.body.results[0].message).toMatch(/already recorded/)
    expect(again.body.results[0].assignment_id).toBe(first.body.results[0].assignment_id)
    expect(punchRows('scan_id = ?', 'DUP-1')).toHaveLength(1)
  })

  it('an unknown employee is stored unmapped and said so in its result', async () => {
    const res = await post(event({employeeId: 'EMP999'}))
    expect(res.status).toBe(200)
    const [result] = res.body.results
    expect(result).toMatchObject({success: true, worker_id: 'EMP999', worker_name: null})
    expect(result.message).toMatch(/EMP999.*unmapped/)
    const [row] = punchRows('id = ?', result.assignment_id)
    expect(row).toMatchObject({device_user_id: 'EMP999', employee_id: null})
  })

  it('a batch with a bad event stores the good ones and explains the bad one (207)', async () => {
    const good = event()
    const res = await post({events: [good, event({eventType: 'lunch'}), event({timestamp: undefined})]})
    expect(res.status).toBe(207)
    expect(res.body).toMatchObject({success: false, processed: 3, successful: 1, failed: 2})
    expect(res.body.message).toBe('Attendance data partially processed: 2 of 3 events failed')
    expect(res.body.results[0]).toMatchObject({success: true, worker_id: 'EMP001'})
    expect(res.body.results[1]).toMatchObject({success: false, assignment_id: null, event_type: 'lunch'})
    expect(res.body.results[1].message).toMatch(/eventType/)
    expect(res.body.results[2]).toEqual({success: false, message: 'Missing required field: timestamp', worker_id: 'EMP001', worker_name: null, assignment_id: null, event_type: 'check_in'})
    expect(punchRows('scan_id = ?', good.scanId)).toHaveLength(1)
  })

  it('a batch where every event is bad is a 400 that still explains each one', async () => {
    const res = await post({events: [event({scanId: null}), event({employeeId: ''})]})
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({success: false, message: 'Processing failed: all 2 events were rejected', processed: 2, successful: 0, failed: 2})
    expect(res.body.results.map((r: {message: string}) => r.message)).toEqual(['Missing required field: scanId', 'Missing required field: employeeId'])
  })

  it('more than 100 events is a 400 and stores nothing', async () => {
    const before = punchRows().length
    const events = Array.from({length: 101}, () => event())
    const res = await post({events})
    expect(res.status).toBe(400)
    expect(res.body).toEqual({success: false, message: 'Processing failed: Too many events: 101 in one request, at most 100.'})
    expect(punchRows()).toHaveLength(before)
    const hundred = await post({events: Array.from({length: 100}, () => event())})
    expect(hundred.status).toBe(200)
    expect(hundred.body.successful).toBe(100)
  })

  it('unknown fields are ignored (device telemetry), the punch is stored', async () => {
    const e = event({heartRate: 72, firmware: {version: '1.2'}})
    const res = await post({device_info: {device_id: 'DEV002', battery: 80}, events: [e], extra: true})
    expect(res.status).toBe(200)
    expect(punchRows('scan_id = ?', e.scanId)).toHaveLength(1)
  })

  it('wrong types are rejected with a sentence naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{scanId: true}, /scanId must be a string/],
      [{eventType: 5}, /eventType must be "check_in" or "check_out"/],
      [{timestamp: 1733041800}, /timestamp must be an ISO 8601 string/],
      [{temperature: 'warm'}, /temperature must be a number/],
      [{maskDetected: 'yes'}, /maskDetected must be true or false/],
    ]
    for (const [override, message] of cases) {
      const res = await post(event(override))
      expect(res.status, JSON.stringify(override)).toBe(400)
      expect(res.body.success).toBe(false)
      expect(res.body.message).toMatch(/^Processing failed: /)
      expect(res.body.message).toMatch(message)
    }
    const badInfo = await post({device_info: {device_id: {id: 1}}, events: [event()]})
    expect(badInfo.status).toBe(400)
    expect(badInfo.body.message).toBe('Processing failed: Field device_info.device_id must be a string.')
    const badEvents = await post({events: 'all of them'})
    expect(badEvents.body).toEqual({success: false, message: 'Processing failed: Field events must be an array of events.'})
  })

  it('a device deactivated by the admin has its batches refused (403)', async () => {
    await post({device_info: {device_id: 'DEV-OLD'}, events: [event()]})
    await deactivateDevice(portOf(server.store), 'DEV-OLD', Date.now())
    const res = await post({device_info: {device_id: 'DEV-OLD'}, events: [event()]})
    expect(res.status).toBe(403)
    expect(res.body.success).toBe(false)
    expect(res.body.message).toMatch(/DEV-OLD is inactive/)
  })
})

describe('bad requests', () => {
  it('malformed JSON, an empty body, a non-object body and a wrong content type each get a sentence', async () => {
    const malformed = await request(server.url + PATH, {method: 'POST', headers: {'x-api-key': key, 'content-type': 'application/json'}, body: '{"scanId": '})
    expect(malformed.status).toBe(400)
    expect(malformed.body).toEqual({success: false, message: 'Processing failed: The request body is not valid JSON.'})

    const empty = await request(server.url + PATH, {method: 'POST', headers: {'x-api-key': key, 'content-type': 'application/json'}, body: ''})
    expect(empty.status).toBe(400)
    expect(empty.body).toEqual({success: false, message: 'Processing failed: The request body is empty; expected a JSON object.'})

    const none = await request(server.url + PATH, {method: 'POST', headers: {'x-api-key': key}})
    expect(none.status).toBe(400)
    expect(none.body.success).toBe(false)

    const array = await post([event()])
    expect(array.status).toBe(400)
    expect(array.body.message).toMatch(/must be a JSON object/)

    const xml = await request(server.url + PATH, {method: 'POST', headers: {'x-api-key': key, 'content-type': 'application/xml'}, body: '<event/>'})
    expect(xml.status).toBe(415)
    expect(xml.body).toEqual({success: false, message: 'Processing failed: Unsupported Content-Type "application/xml": send application/json.'})
  })

  it('JSON labelled text/plain is read as JSON (terminals mislabel it)', async () => {
    const e = event()
    const res = await request(server.url + PATH, {method: 'POST', headers: {'x-api-key': key, 'content-type': 'text/plain'}, body: JSON.stringify(e)})
    expect(res.status).toBe(200)
    expect(punchRows('scan_id = ?', e.scanId)).toHaveLength(1)
  })

  it('other methods get 405 in the same format', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await request(server.url + PATH, {method, headers: {'x-api-key': key}})
      expect(res.status, method).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
      expect(res.body).toEqual({success: false, message: `${method} is not allowed on /api/biometric/attendance: use POST.`})
      expect(res.headers.get('x-ratelimit-limit')).not.toBeNull()
    }
    // Without a key, the method is not even discussed.
    const anonymous = await request(server.url + PATH, {method: 'GET'})
    expect(anonymous.status).toBe(401)
  })

  it('a missing or invalid key is a 401, a key without the ingest scope a 403', async () => {
    const missing = await postJson(server.url + PATH, event())
    expect(missing.status).toBe(401)
    expect(missing.body).toEqual({success: false, message: 'Missing API key: send it in the X-API-Key header, the api_key query parameter or an Authorization: Bearer header.'})
    // Failed attempts count against the caller's address, and say so like every other response.
    expect(missing.headers.get('x-ratelimit-limit')).toBe('60')
    expect(missing.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/)
    const invalid = await postJson(server.url + PATH, event(), {'x-api-key': `${key.slice(0, -4)}AAAA`})
    expect(invalid.status).toBe(401)
    expect(invalid.body).toEqual({success: false, message: 'Invalid API key: it is unknown or has been revoked.'})
    const readOnly = createTestKey(server.store, {scopes: ['read']}).key
    const forbidden = await postJson(server.url + PATH, event(), {'x-api-key': readOnly})
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.success).toBe(false)
    expect(forbidden.body.message).toMatch(/lacks the "ingest" scope/)
  })

  it('a revoked key is refused on its very next request, even after it was used', async () => {
    const {key: doomed, record} = createTestKey(server.store)
    expect((await post(event(), {'x-api-key': doomed})).status).toBe(200)
    revokeApiKey(server.store, record.name, Date.now())
    const res = await post(event(), {'x-api-key': doomed})
    expect(res.status).toBe(401)
    expect(res.body.message).toMatch(/revoked/)

    // Revoked by another process (attend keys revoke while the server runs): same effect.
    const {key: other, record: otherRecord} = createTestKey(server.store)
    expect((await post(event(), {'x-api-key': other})).status).toBe(200)
    const cli = openStore(server.store.path)
    revokeApiKey(cli, otherRecord.name, Date.now())
    cli.close()
    expect((await post(event(), {'x-api-key': other})).status).toBe(401)
  })

  it('the key is marked as used', async () => {
    const {key: fresh, record} = createTestKey(server.store)
    expect(record.lastUsedAt).toBeNull()
    await post(event(), {'x-api-key': fresh})
    expect(listApiKeys(server.store).find((k) => k.id === record.id)?.lastUsedAt).toBeTypeOf('number')
  })
})

describe('limits', () => {
  it('X-RateLimit-* on every response; 429 with Retry-After past the key limit', async () => {
    const limited = createTestKey(server.store, {limits: [{max: 3, window: 'minute'}, {max: 100, window: 'day'}]}).key
    const remaining: string[] = []
    for (let i = 0; i < 3; i++) {
      // The third is a validation failure: it still counts and still carries the headers.
      const res = await post(i === 2 ? {events: []} : event(), {'x-api-key': limited})
      expect(res.headers.get('x-ratelimit-limit')).toBe('3')
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '')
      const reset = Number(res.headers.get('x-ratelimit-reset'))
      expect(reset).toBeGreaterThan(Date.now() / 1000)
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61)
    }
    expect(remaining).toEqual(['2', '1', '0'])
    const refused = await post(event(), {'x-api-key': limited})
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(refused.body.success).toBe(false)
    expect(refused.body.message).toMatch(/Rate limit of 3 requests per minute exceeded/)
    // Other keys are not affected.
    expect((await post(event())).status).toBe(200)
  })

  it('the default limits are 1000/hour and 10 000/day; the hourly window is the tighter one', async () => {
    const res = await post(event())
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000')
  })

  it('a body over the limit is a 413 in the family format', async () => {
    const small = await startTestServer({bodyLimit: 2048})
    try {
      const smallKey = createTestKey(small.store).key
      const res = await postJson(small.url + PATH, {events: Array.from({length: 40}, () => event())}, {'x-api-key': smallKey})
      expect(res.status).toBe(413)
      expect(res.body).toEqual({success: false, message: 'Processing failed: The request body is larger than the limit of 2048 bytes.'})
    } finally {
      await small.close()
    }
  })
})
