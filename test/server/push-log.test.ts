import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {devices, punches} from '../../src/db/schema.js'
import {updateDevice} from '../../src/devices/service.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2026, 2, 12, 12, 0, 0)
const URL_PATH = '/api/v1/biometric/push-log'

describe('push mode (seed 004) POST /api/v1/biometric/push-log', () => {
  let server: TestServer
  let small: TestServer
  let token: string

  const post = (body: unknown, headers: Record<string, string> = {Authorization: `Bearer ${token}`}, base = server.url) =>
    request(`${base}${URL_PATH}`, {method: 'POST', headers, body})
  const rowsFor = (userId: string) => server.store.db.select().from(punches).where(eq(punches.deviceUserId, userId)).all()

  beforeAll(async () => {
    server = await startTestServer({timezone: 'Africa/Nairobi', now: () => NOW})
    token = createTestDevice(server.store, {serial: 'PUSH0001', name: 'Main Gate Entrance'}).token
    small = await startTestServer({bodyLimit: 512, now: () => NOW})
  })
  afterAll(async () => {
    await server.close()
    await small.close()
  })

  it('answers the seed request as written and stores both logs in the site zone', async () => {
    const body = `{
"logs": [
{"user_id": "1", "timestamp": "2026-03-12 08:05:00", "status": 0},
{"user_id": "2", "timestamp": "2026-03-12 08:10:00"}
]
}`
    const res = await post(body, {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'})
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      message: '2 logs received: 2 stored, 0 duplicates, 0 rejected.',
      device: 'PUSH0001',
      received: 2,
      stored: 2,
      duplicates: 0,
      unmapped: 2,
      rejected: [],
    })
    // Device wall clock, no device zone: the site zone (Africa/Nairobi, UTC+3).
    expect(rowsFor('1')[0]).toMatchObject({instant: Date.UTC(2026, 2, 12, 5, 5, 0), rawStatus: '0', direction: null, source: 'http:push-log'})
    expect(rowsFor('2')[0]).toMatchObject({instant: Date.UTC(2026, 2, 12, 5, 10, 0), rawStatus: null})
    expect(server.store.db.select().from(devices).where(eq(devices.serial, 'PUSH0001')).get()!.lastSeenAt).toBe(NOW)
  })

  it('is safe to send the same batch again: everything is a duplicate', async () => {
    const body = {logs: [{user_id: '1', timestamp: '2026-03-12 08:05:00', status: 0}, {user_id: '2', timestamp: '2026-03-12 08:10:00'}]}
    const res = await post(body)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({success: true, stored: 0, duplicates: 2, rejected: []})
    expect(rowsFor('1')).toHaveLength(1)
    expect(rowsFor('2')).toHaveLength(1)
  })

  it('stores the good logs of a partly bad batch and names the bad ones by index', async () => {
    const body = {
      logs: [
        {user_id: '5', timestamp: '2026-03-12 09:00:00', extra: 'ignored'},
        {user_id: '6', timestamp: 'yesterday'},
        {user_id: 7, timestamp: '2026-03-12 09:02:00', status: 'in'},
        'not an object',
      ],
    }
    const res = await post(body)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({success: true, received: 4, stored: 1, duplicates: 0})
    expect(res.body.rejected).toEqual([
      {index: 1, reason: 'logs[1].timestamp "yesterday" is not a valid time: expected "YYYY-MM-DD HH:MM:SS".'},
      {index: 2, reason: 'logs[2].status must be an integer such as 0, not the string "in".'},
      {index: 3, reason: 'logs[3] must be an object with user_id and timestamp, not the string "not an object".'},
    ])
    expect(res.body.message).toBe('4 logs received: 1 stored, 0 duplicates, 3 rejected. First rejection: logs[1].timestamp "yesterday" is not a valid time: expected "YYYY-MM-DD HH:MM:SS".')
    expect(JSON.parse(rowsFor('5')[0].raw!)).toMatchObject({extra: 'ignored'})
  })

  it('answers 400 when no log at all is usable', async () => {
    const res = await post({logs: [{timestamp: '2026-03-12 09:00:00'}, {user_id: '9', timestamp: 20260312}]})
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({success: false, stored: 0})
    expect(res.body.rejected).toEqual([
      {index: 0, reason: 'logs[0].user_id is required.'},
      {index: 1, reason: 'logs[1].timestamp must be a string "YYYY-MM-DD HH:MM:SS", not number 20260312.'},
    ])
  })

  describe('authentication (the seed troubleshooting table)', () => {
    const body = {logs: [{user_id: '1', timestamp: '2026-03-12 08:05:00'}]}

    it('401 without a token', async () => {
      const res = await post(body, {})
      expect(res.status).toBe(401)
      expect(res.body).toEqual({success: false, message: 'Missing Authorization header: send "Authorization: Bearer <device API token>".'})
    })

    it('401 with a wrong token or a non-Bearer scheme', async () => {
      for (const header of [`Bearer ${token.slice(0, -1)}x`, 'Bearer short', `Basic ${token}`]) {
        const res = await post(body, {Authorization: header})
        expect(res.status).toBe(401)
        expect(res.body.success).toBe(false)
      }
      const res = await post(body, {Authorization: 'Bearer not-the-device-token-at-all'})
      expect(res.body.message).toMatch(/^Invalid device API token/)
    })

    it('403 for an inactive device, and for a device not in push mode', async () => {
      const inactive = createTestDevice(server.store, {serial: 'OFF0001'}).token
      await updateDevice(portOf(server.store), 'OFF0001', {status: 'inactive'}, NOW)
      const res = await post(body, {Authorization: `Bearer ${inactive}`})
      expect(res.status).toBe(403)
      expect(res.body).toEqual({success: false, message: 'Device OFF0001 is inactive: its punches are refused until it is reactivated (attend devices update OFF0001 --status active).'})

      const agent = createTestDevice(server.store, {serial: 'AGENT001', mode: 'agent'}).token
      const agentRes = await post(body, {Authorization: `Bearer ${agent}`})
      expect(agentRes.status).toBe(403)
      expect(agentRes.body).toEqual({success: false, message: 'Device AGENT001 is in agent mode: set its sync mode to push (attend devices update AGENT001 --mode push) before it pushes logs.'})
    })
  })

  describe('bad bodies get {"success":false,"message"} naming the problem', () => {
    it.each([
      ['{"logs": [', 400, /^The request body is not valid JSON/],
      ['', 400, /^The request body is empty/],
      ['[]', 400, /^The request body must be a JSON object with a "logs" array\.$/],
      ['{"entries": []}', 400, /^Missing required field: logs/],
      ['{"logs": {"user_id": "1"}}', 400, /^logs must be an array of punches, not an object\.$/],
      ['{"logs": []}', 400, /^logs is empty/],
    ])('%s', async (body, status, message) => {
      const res = await post(body, {Authorization: `Bearer ${token}`, 'content-type': 'application/json'})
      expect(res.status).toBe(status)
      expect(res.body).toEqual({success: false, message: expect.stringMatching(message)})
    })

    it('an oversize body gets 413', async () => {
      const smallToken = createTestDevice(small.store, {serial: 'PUSH0001'}).token
      const logs = Array.from({length: 20}, (_, i) => ({user_id: String(i), timestamp: '2026-03-12 08:05:00'}))
      const res = await post({logs}, {Authorization: `Bearer ${smallToken}`}, small.url)
      expect(res.status).toBe(413)
      expect(res.body).toEqual({success: false, message: expect.stringContaining('larger than the limit of 512 bytes')})
    })
  })
})
