import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {markDeviceSeen} from '../../src/store/sqlite/devices/presence-store.js'
import {deactivateDevice} from '../../src/devices/service.js'
import {createTestDevice, createTestKey, getJson, postJson, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const USER_KEYS = ['created_at', 'department', 'email', 'employee_code', 'id', 'name', 'phone', 'updated_at']
const DEVICE_KEYS = ['created_at', 'id', 'last_sync', 'location', 'name', 'serial_number', 'status', 'type', 'updated_at']
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/

let server: TestServer
let adminKey: string
let ingestKey: string
let readKey: string
let deviceId: number
const bearer = (key: string) => ({authorization: `Bearer ${key}`})

function expectV1Error(res: {status: number; body: {error: Record<string, unknown>}}, status: number, fields: {code?: string; param?: string | null; type?: string; message?: RegExp}) {
  expect(res.status).toBe(status)
  expect(Object.keys(res.body).sort()).toEqual(['error'])
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
  if (fields.type) expect(res.body.error.type).toBe(fields.type)
  if (fields.code) expect(res.body.error.code).toBe(fields.code)
  if (fields.param !== undefined) expect(res.body.error.param).toBe(fields.param)
  if (fields.message) expect(res.body.error.message).toMatch(fields.message)
}

beforeAll(async () => {
  server = await startTestServer()
  adminKey = createTestKey(server.store, {scopes: ['admin']}).key
  ingestKey = createTestKey(server.store, {scopes: ['ingest']}).key
  readKey = createTestKey(server.store, {scopes: ['read']}).key
  const now = Date.now()
  for (let i = 1; i <= 25; i++) createEmployee(server.store, {code: `EMP${String(i).padStart(3, '0')}`, name: `Person ${i}`, department: i % 2 ? 'IT' : 'HR'}, now)
  const {device} = createTestDevice(server.store, {serial: 'BIO-FP-001', name: 'Main Entrance', type: 'fingerprint', location: 'Office Building - Ground Floor'})
  markDeviceSeen(server.store, device.id, Date.UTC(2023, 0, 15, 10, 30))
  createTestDevice(server.store, {serial: 'BIO-FP-002', name: 'Back Entrance', type: 'fingerprint', location: 'Office Building - Back Door'})
  deviceId = device.id
})
afterAll(async () => server.close())

describe('seed 001 examples, as written', () => {
  it('GET /v1/users?limit=10&offset=0 pages with meta', async () => {
    const res = await getJson(`${server.url}/v1/users?limit=10&offset=0`, bearer(readKey))
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['data', 'meta'])
    expect(res.body.meta).toEqual({total: 25, limit: 10, offset: 0})
    expect(res.body.data).toHaveLength(10)
    const [first] = res.body.data
    expect(Object.keys(first).sort()).toEqual(USER_KEYS)
    expect(first).toMatchObject({employee_code: 'EMP001', name: 'Person 1', department: 'IT'})
    expect(first.id).toMatch(/^usr_\d+$/)
    expect(first.created_at).toMatch(ISO)
    const last = await getJson(`${server.url}/v1/users?offset=20`, bearer(readKey))
    expect(last.body.meta).toEqual({total: 25, limit: 20, offset: 20})
    expect(last.body.data.map((u: {employee_code: string}) => u.employee_code)).toEqual(['EMP021', 'EMP022', 'EMP023', 'EMP024', 'EMP025'])
    expect((await getJson(`${server.url}/v1/users`, bearer(readKey))).body.meta).toEqual({total: 25, limit: 20, offset: 0})
  })

  it('POST /v1/users creates a user (201) in the seed shape', async () => {
    const res = await postJson(
      `${server.url}/v1/users`,
      {name: 'John Doe', email: 'john.doe@example.com', phone: '+919876543210', department: 'IT'},
      {...bearer(adminKey)},
    )
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['data'])
    expect(Object.keys(res.body.data).sort()).toEqual(USER_KEYS)
    expect(res.body.data).toMatchObject({name: 'John Doe', email: 'john.doe@example.com', phone: '+919876543210', department: 'IT', employee_code: 'EMP026'})
    expect(res.body.data.id).toMatch(/^usr_\d+$/)
    const listed = await getJson(`${server.url}/v1/users?limit=1&offset=25`, bearer(readKey))
    expect(listed.body.data[0].id).toBe(res.body.data.id)
  })

  it('GET /v1/devices lists devices in the seed shape', async () => {
    const res = await getJson(`${server.url}/v1/devices`, bearer(readKey))
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['data'])
    expect(res.body.data).toHaveLength(2)
    for (const device of res.body.data) expect(Object.keys(device).sort()).toEqual(DEVICE_KEYS)
    expect(res.body.data[0]).toMatchObject({
      id: `dev_${deviceId}`,
      name: 'Main Entrance',
      serial_number: 'BIO-FP-001',
      type: 'fingerprint',
      status: 'active',
      location: 'Office Building - Ground Floor',
      last_sync: '2023-01-15T10:30:00Z',
    })
    expect(res.body.data[1].last_sync).toBeNull()
  })

  it('POST /v1/attendance records a punch and answers att_<id>', async () => {
    const users = await getJson(`${server.url}/v1/users?limit=1`, bearer(readKey))
    const userId = users.body.data[0].id
    const res = await postJson(
      `${server.url}/v1/attendance`,
      {user_id: userId, device_id: `dev_${deviceId}`, type: 'check_in', timestamp: '2023-01-15T09:00:00Z'},
      bearer(ingestKey),
    )
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['data'])
    expect(res.body.data).toMatchObject({user_id: userId, device_id: `dev_${deviceId}`, type: 'check_in', timestamp: '2023-01-15T09:00:00Z'})
    expect(res.body.data.id).toMatch(/^att_\d+$/)
    expect(res.body.data.created_at).toMatch(ISO)
    const row = server.store.sqlite.prepare('SELECT * FROM punches WHERE id = ?').get(Number(res.body.data.id.slice(4))) as Record<string, unknown>
    expect(row).toMatchObject({employee_id: Number(userId.slice(4)), device_key: 'BIO-FP-001', direction: 'in', instant: Date.parse('2023-01-15T09:00:00Z'), source: 'http:v1'})

    // Sent again: the same record, 200, nothing new stored.
    const again = await postJson(
      `${server.url}/v1/attendance`,
      {user_id: userId, device_id: `dev_${deviceId}`, type: 'check_in', timestamp: '2023-01-15T09:00:00Z'},
      bearer(ingestKey),
    )
    expect(again.status).toBe(200)
    expect(again.body.data).toEqual(res.body.data)
  })

  it('POST /v1/attendance accepts an employee code and a serial, and defaults the timestamp to now', async () => {
    const before = Date.now()
    const res = await postJson(`${server.url}/v1/attendance`, {user_id: 'emp002', device_id: 'BIO-FP-002', type: 'check_out'}, bearer(ingestKey))
    expect(res.status).toBe(201)
    const stamp = Date.parse(res.body.data.timestamp)
    expect(stamp).toBeGreaterThanOrEqual(before - 1000)
    expect(stamp).toBeLessThanOrEqual(Date.now() + 1000)
    expect(res.body.data.type).toBe('check_out')
  })
})

describe('errors', () => {
  it('401 without a key, with a bad key, with a non-Bearer Authorization', async () => {
    expectV1Error(await getJson(`${server.url}/v1/users`), 401, {code: 'missing_api_key', type: 'authentication_error'})
    expectV1Error(await getJson(`${server.url}/v1/users`, bearer('att_00000000_nope-nope-nope-nope-nope')), 401, {code: 'invalid_api_key', type: 'authentication_error'})
    expectV1Error(await getJson(`${server.url}/v1/users`, {authorization: `Basic ${Buffer.from('a:b').toString('base64')}`}), 401, {
      code: 'invalid_authorization',
      type: 'authentication_error',
      param: 'Authorization',
    })
    // The seed-000 query parameter is not a v1 credential (it would end up in proxy logs).
    expectV1Error(await getJson(`${server.url}/v1/devices?api_key=${readKey}`), 401, {code: 'missing_api_key', type: 'authentication_error'})
  })

  it('403 for a key without the scope', async () => {
    expectV1Error(await postJson(`${server.url}/v1/users`, {name: 'X', email: 'x@example.com', phone: '+1 555 0100'}, bearer(ingestKey)), 403, {
      code: 'insufficient_scope',
      type: 'permission_error',
      message: /"admin" scope/,
    })
    expectV1Error(await getJson(`${server.url}/v1/users`, bearer(ingestKey)), 403, {type: 'permission_error', message: /"read" scope/})
    expectV1Error(
      await postJson(`${server.url}/v1/attendance`, {user_id: 'EMP001', device_id: 'BIO-FP-001', type: 'check_in'}, bearer(readKey)),
      403,
      {type: 'permission_error', message: /"ingest" scope/},
    )
    // admin includes read and ingest
    expect((await getJson(`${server.url}/v1/devices`, bearer(adminKey))).status).toBe(200)
  })

  it('404 for unknown routes and unknown users or devices; 405 for a wrong method', async () => {
    expectV1Error(await getJson(`${server.url}/v1/payroll`, bearer(readKey)), 404, {code: 'route_not_found', type: 'not_found_error', message: /GET \/v1\/payroll/})
    expectV1Error(await getJson(`${server.url}/v1/payroll`), 401, {type: 'authentication_error'})
    const post = (body: unknown) => postJson(`${server.url}/v1/attendance`, body, bearer(ingestKey))
    expectV1Error(await post({user_id: 'usr_999999', device_id: 'BIO-FP-001', type: 'check_in'}), 404, {code: 'resource_missing', param: 'user_id', type: 'not_found_error'})
    expectV1Error(await post({user_id: 'EMP001', device_id: 'dev_999999', type: 'check_in'}), 404, {code: 'resource_missing', param: 'device_id', type: 'not_found_error'})
    const wrong = await request(`${server.url}/v1/users`, {method: 'DELETE', headers: bearer(adminKey)})
    expectV1Error(wrong, 405, {code: 'method_not_allowed', type: 'invalid_request_error'})
    expect(wrong.headers.get('allow')).toBe('GET, POST')
  })

  it('400 naming the param: missing, wrong type, unknown field, bad values', async () => {
    const post = (body: unknown) => postJson(`${server.url}/v1/attendance`, body, bearer(ingestKey))
    const ok = {user_id: 'EMP001', device_id: 'BIO-FP-001', type: 'check_in', timestamp: '2023-01-16T09:00:00Z'}
    const {user_id: _u, ...noUser} = ok
    expectV1Error(await post(noUser), 400, {code: 'invalid_request', param: 'user_id', type: 'validation_error', message: /Missing required parameter: user_id/})
    expectV1Error(await post({...ok, user_id: 42}), 400, {param: 'user_id', type: 'validation_error', message: /user_id must be a string/})
    expectV1Error(await post({...ok, type: 'lunch'}), 400, {param: 'type', type: 'validation_error'})
    expectV1Error(await post({...ok, timestamp: 'yesterday'}), 400, {param: 'timestamp', type: 'validation_error'})
    expectV1Error(await post({...ok, timestamp: 1673773200}), 400, {param: 'timestamp', message: /must be an ISO 8601 string/})
    expectV1Error(await post({...ok, userId: 'EMP001'}), 400, {param: 'userId', message: /Unknown parameter: userId/})
    expectV1Error(await post({...ok, user_id: 'usr_abc'}), 400, {param: 'user_id'})

    const users = (body: unknown) => postJson(`${server.url}/v1/users`, body, bearer(adminKey))
    expectV1Error(await users({name: 'A', phone: '+1 555 0100'}), 400, {param: 'email', message: /Missing required parameter: email/})
    expectV1Error(await users({name: 'A', email: 'not-an-email', phone: '+1 555 0100'}), 400, {param: 'email', message: /Invalid email/})
    expectV1Error(await users({name: 'A', email: 'a@example.com', phone: 5550100}), 400, {param: 'phone', message: /phone must be a string/})
    expectV1Error(await users({name: 'A', email: 'a@example.com', phone: '+1 555 0100', role: 'boss'}), 400, {param: 'role', message: /Unknown parameter: role/})
    expectV1Error(await users({name: 'A', email: 'a@example.com', phone: '+1 555 0100', employee_code: 'EMP001'}), 409, {param: 'employee_code', type: 'conflict_error'})

    expectV1Error(await getJson(`${server.url}/v1/users?limit=abc`, bearer(readKey)), 400, {param: 'limit', message: /whole number/})
    expectV1Error(await getJson(`${server.url}/v1/users?limit=0`, bearer(readKey)), 400, {param: 'limit', message: /between 1 and 100/})
    expectV1Error(await getJson(`${server.url}/v1/users?offset=-1`, bearer(readKey)), 400, {param: 'offset'})
    expectV1Error(await getJson(`${server.url}/v1/users?page=2`, bearer(readKey)), 400, {param: 'page', message: /Unknown parameter: page/})
  })

  it('malformed JSON, empty body, wrong content type and an oversize body', async () => {
    const headers = {...bearer(ingestKey), 'content-type': 'application/json'}
    expectV1Error(await request(`${server.url}/v1/attendance`, {method: 'POST', headers, body: '{"user_id":'}), 400, {code: 'invalid_json', type: 'validation_error'})
    expectV1Error(await request(`${server.url}/v1/attendance`, {method: 'POST', headers, body: ''}), 400, {code: 'empty_body', type: 'validation_error'})
    expectV1Error(await request(`${server.url}/v1/attendance`, {method: 'POST', headers: bearer(ingestKey)}), 400, {code: 'empty_body'})
    expectV1Error(await postJson(`${server.url}/v1/attendance`, [1, 2], bearer(ingestKey)), 400, {param: 'body'})
    expectV1Error(
      await request(`${server.url}/v1/attendance`, {method: 'POST', headers: {...bearer(ingestKey), 'content-type': 'application/x-www-form-urlencoded'}, body: 'user_id=EMP001'}),
      415,
      {code: 'unsupported_media_type', type: 'invalid_request_error'},
    )
    expectV1Error(await request(`${server.url}/v1/attendance`, {method: 'POST', headers, body: JSON.stringify({user_id: 'x'.repeat(2 * 1024 * 1024)})}), 413, {
      code: 'body_too_large',
      type: 'invalid_request_error',
    })
  })

  it('an inactive device cannot record attendance', async () => {
    createTestDevice(server.store, {serial: 'BIO-OLD'})
    await deactivateDevice(portOf(server.store), 'BIO-OLD', Date.now())
    expectV1Error(await postJson(`${server.url}/v1/attendance`, {user_id: 'EMP001', device_id: 'BIO-OLD', type: 'check_in'}, bearer(ingestKey)), 403, {
      code: 'device_inactive',
      param: 'device_id',
    })
  })

  it('429 with Retry-After past the key limit; X-RateLimit-* on every response', async () => {
    const key = createTestKey(server.store, {scopes: ['read'], limits: [{max: 2, window: 'second'}, {max: 5, window: 'minute'}]}).key
    const first = await getJson(`${server.url}/v1/devices`, bearer(key))
    expect(first.headers.get('x-ratelimit-limit')).toBe('2')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1')
    // A 400 is counted and carries the headers too.
    const bad = await getJson(`${server.url}/v1/devices?x=1`, bearer(key))
    expect(bad.status).toBe(400)
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('0')
    const refused = await getJson(`${server.url}/v1/devices`, bearer(key))
    expectV1Error(refused, 429, {code: 'rate_limited', type: 'rate_limit_error', message: /2 requests per second/})
    expect(refused.headers.get('retry-after')).toBe('1')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    // The per-second window has room again; now the per-minute one (3 left) is the tightest.
    const later = await getJson(`${server.url}/v1/devices`, bearer(key))
    expect(later.status).toBe(200)
    expect(later.headers.get('x-ratelimit-limit')).toBe('2')
    expect(later.headers.get('x-ratelimit-remaining')).toBe('1')
    await getJson(`${server.url}/v1/devices`, bearer(key))
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const minute = await getJson(`${server.url}/v1/devices`, bearer(key))
    expect(minute.status).toBe(200)
    expect(minute.headers.get('x-ratelimit-limit')).toBe('5')
    expect(minute.headers.get('x-ratelimit-remaining')).toBe('0')
    const refusedMinute = await getJson(`${server.url}/v1/devices`, bearer(key))
    expectV1Error(refusedMinute, 429, {message: /5 requests per minute/})
    expect(Number(refusedMinute.headers.get('retry-after'))).toBeGreaterThan(1)
  })

  it('too many failed keys from one address: 429 without checking the key', async () => {
    const own = await startTestServer()
    try {
      const good = createTestKey(own.store, {scopes: ['read']}).key
      for (let i = 0; i < 60; i++) expect((await getJson(`${own.url}/v1/devices`, bearer(`att_0000000${i % 10}_wrong-wrong-wrong-wrong`))).status).toBe(401)
      const blocked = await getJson(`${own.url}/v1/devices`, bearer(good))
      expectV1Error(blocked, 429, {code: 'rate_limited', message: /failed API key attempts/})
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    } finally {
      await own.close()
    }
  })
})
