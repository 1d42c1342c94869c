import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {devices, punches, refusedDevices} from '../../src/db/schema.js'
import {updateDevice} from '../../src/devices/service.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2026, 5, 21, 12, 0, 0)
const SEED_SERIAL = 'SN7A2300583'

describe('CAMS HTTP Attendance API (seed 002)', () => {
  let server: TestServer
  let token: string
  let small: TestServer

  const url = (op: string, base = server.url) => `${base}/api/attendance/v1/${op}`
  const auth = (extra: Record<string, string> = {}) => ({sn: SEED_SERIAL, 'auth-token': token, ...extra})
  const punchRows = (userId: string) => server.store.db.select().from(punches).where(eq(punches.deviceUserId, userId)).all()

  beforeAll(async () => {
    server = await startTestServer({timezone: 'Africa/Nairobi', now: () => NOW})
    token = createTestDevice(server.store, {serial: SEED_SERIAL, name: 'Reception', location: 'Block A', timezone: 'Asia/Kolkata'}).token
    small = await startTestServer({bodyLimit: 1024, now: () => NOW})
  })
  afterAll(async () => {
    await server.close()
    await small.close()
  })

  it('answers the seed request exactly as written with 200 {"ok":true} and stores the punch raw', async () => {
    // curl … -H "sn: SN7A2300583" -H "auth-token: $TOKEN" -H "Content-Type: application/json" -d '{ … }'
    const body = '{ "user_id":"1001", "att_time":"2026-06-21 09:30:00", "att_state":1, "input_type":50 }'
    const res = await request(url('punch'), {method: 'POST', headers: auth({'Content-Type': 'application/json'}), body})
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ok: true})

    const rows = punchRows('1001')
    expect(rows).toHaveLength(1)
    // Device wall clock in the device's own zone (Asia/Kolkata, UTC+5:30), not the site's.
    expect(rows[0].instant).toBe(Date.UTC(2026, 5, 21, 4, 0, 0))
    expect(rows[0]).toMatchObject({deviceKey: SEED_SERIAL, rawStatus: '1', rawVerify: '50', direction: null, source: 'http:cams'})
  })

  it('is idempotent: the same punch again is still ok and stored once', async () => {
    const body = {user_id: '1001', att_time: '2026-06-21 09:30:00', att_state: 1, input_type: 50}
    const res = await request(url('punch'), {method: 'POST', headers: auth(), body})
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ok: true})
    expect(punchRows('1001')).toHaveLength(1)
  })

  it('turns att_state into a direction only through the device state map', async () => {
    server.store.db.update(devices).set({stateMap: JSON.stringify({'0': 'in', '1': 'out'})}).where(eq(devices.serial, SEED_SERIAL)).run()
    try {
      const res = await request(url('punch'), {method: 'POST', headers: auth(), body: {user_id: '2002', att_time: '2026-06-21 18:00:00', att_state: 1, input_type: 1}})
      expect(res.body).toEqual({ok: true})
      expect(punchRows('2002')[0].direction).toBe('out')
    } finally {
      server.store.db.update(devices).set({stateMap: null}).where(eq(devices.serial, SEED_SERIAL)).run()
    }
  })

  it('keeps an optional location and ignores unknown fields (kept in the raw record)', async () => {
    const body = {user_id: 3003, att_time: '2026-06-21 08:00:00', att_state: 0, input_type: 15, location: 'Gate 2', firmware: 'v2.1'}
    const res = await request(url('punch'), {method: 'POST', headers: auth(), body})
    expect(res.body).toEqual({ok: true})
    const [row] = punchRows('3003')
    expect(row.note).toBe('location: Gate 2')
    expect(JSON.parse(row.raw!)).toMatchObject({firmware: 'v2.1'})
  })

  it('accepts a JSON body whatever Content-Type the device sends', async () => {
    const body = JSON.stringify({user_id: '4004', att_time: '2026-06-21 08:01:00', att_state: 0, input_type: 1})
    const res = await request(url('punch'), {method: 'POST', headers: auth({'content-type': 'text/plain'}), body})
    expect(res.body).toEqual({ok: true})
    expect(punchRows('4004')).toHaveLength(1)
  })

  it('heartbeat needs no body and marks the device online', async () => {
    server.store.db.update(devices).set({lastSeenAt: null}).where(eq(devices.serial, SEED_SERIAL)).run()
    const res = await request(url('heartbeat'), {method: 'POST', headers: auth()})
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ok: true, serverTime: new Date(NOW).toISOString()})
    // The last-seen time is a write nobody waits for (it joins the next group commit, after the
    // request's own rate-limit count): it lands right after the answer.
    await vi.waitFor(() => expect(server.store.db.select().from(devices).where(eq(devices.serial, SEED_SERIAL)).get()!.lastSeenAt).toBe(NOW))

    const get = await request(url('heartbeat'), {method: 'GET', headers: auth()})
    expect(get.body).toMatchObject({ok: true})
  })

  it('validity answers whether the device is active, and config returns its settings', async () => {
    const validity = await request(url('validity'), {method: 'POST', headers: auth()})
    expect(validity.body).toEqual({ok: true, serial: SEED_SERIAL, valid: true, status: 'active'})

    const config = await request(url('config'), {method: 'POST', headers: auth()})
    expect(config.status).toBe(200)
    expect(config.body).toEqual({
      ok: true,
      config: {
        serial: SEED_SERIAL,
        name: 'Reception',
        location: 'Block A',
        type: null,
        direction: 'auto',
        mode: 'push',
        status: 'active',
        timezone: 'Asia/Kolkata',
        timezoneSource: 'device',
        utcOffsetMinutes: 330,
        stateMap: null,
        serverTime: new Date(NOW).toISOString(),
      },
    })
  })

  describe('authentication', () => {
    const body = {user_id: '1', att_time: '2026-06-21 09:00:00', att_state: 0, input_type: 1}

    it('refuses a request without the sn header', async () => {
      const res = await request(url('punch'), {method: 'POST', headers: {'auth-token': token}, body})
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ok: false, error: expect.stringContaining('sn header')})
    })

    it('refuses a request without the auth-token header', async () => {
      const res = await request(url('heartbeat'), {method: 'POST', headers: {sn: SEED_SERIAL}})
      expect(res.status).toBe(401)
      expect(res.body.error).toMatch(/auth-token header/)
    })

    it('refuses a wrong token, and the token of another device', async () => {
      const other = createTestDevice(server.store, {serial: 'OTHER001'}).token
      for (const wrong of ['nope', other, `${token}x`]) {
        const res = await request(url('punch'), {method: 'POST', headers: auth({'auth-token': wrong}), body})
        expect(res.status).toBe(401)
        expect(res.body).toEqual({ok: false, error: `Invalid auth-token for device ${SEED_SERIAL}: use the token shown by attend devices token ${SEED_SERIAL}.`})
      }
      expect(punchRows('1')).toHaveLength(0)
    })

    it('refuses an unknown serial and records it for attend devices list', async () => {
      const res = await request(url('punch'), {method: 'POST', headers: {sn: 'GHOST42', 'auth-token': token}, body})
      expect(res.status).toBe(401)
      expect(res.body.error).toMatch(/Unknown device serial GHOST42/)
      const refused = server.store.db.select().from(refusedDevices).where(eq(refusedDevices.serial, 'GHOST42')).get()
      expect(refused).toMatchObject({route: '/api/attendance/v1/punch', attempts: 1})
    })

    it('refuses punches from an inactive device with 403 but still answers validity', async () => {
      const {token: inactiveToken} = createTestDevice(server.store, {serial: 'SLEEPY01'})
      await updateDevice(portOf(server.store), 'SLEEPY01', {status: 'inactive'}, NOW)
      const headers = {sn: 'SLEEPY01', 'auth-token': inactiveToken}
      const res = await request(url('punch'), {method: 'POST', headers, body})
      expect(res.status).toBe(403)
      expect(res.body).toEqual({ok: false, error: expect.stringContaining('SLEEPY01 is inactive')})
      const validity = await request(url('validity'), {method: 'GET', headers})
      expect(validity.body).toEqual({ok: true, serial: 'SLEEPY01', valid: false, status: 'inactive'})
    })
  })

  describe('bad bodies get {"ok":false,"error"} naming the problem', () => {
    const post = (body: unknown, headers: Record<string, string> = {}) => request(url('punch'), {method: 'POST', headers: auth(headers), body})

    it('malformed JSON', async () => {
      const res = await post('{"user_id":"1001", "att_time":', {'content-type': 'application/json'})
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ok: false, error: expect.stringMatching(/^The request body is not valid JSON/)})
    })

    it('empty body', async () => {
      const res = await post('', {'content-type': 'application/json'})
      expect(res.status).toBe(400)
      expect(res.body.error).toMatch(/^The request body is empty/)
    })

    it.each([
      [{att_time: '2026-06-21 09:30:00', att_state: 1, input_type: 50}, 'Missing required field: user_id.'],
      [{user_id: '1001', att_state: 1, input_type: 50}, 'Missing required field: att_time (device time as "YYYY-MM-DD HH:MM:SS").'],
      [{user_id: '1001', att_time: '2026-06-21 09:30:00', att_state: '1', input_type: 50}, 'att_state must be an integer, not the string "1".'],
      [{user_id: '1001', att_time: '2026-06-21 09:30:00', att_state: 1, input_type: 5.5}, 'input_type must be an integer, not number 5.5.'],
      [{user_id: '1001', att_time: '2026-06-21 09:30:00', att_state: 1}, 'Missing required field: input_type (an integer).'],
      [{user_id: {id: 1}, att_time: '2026-06-21 09:30:00', att_state: 1, input_type: 50}, 'user_id must be a string such as "1001", not an object.'],
      [{user_id: '1001', att_time: '21st June', att_state: 1, input_type: 50}, 'att_time "21st June" is not a valid time: expected "YYYY-MM-DD HH:MM:SS".'],
      [{user_id: '1001', att_time: 1750498200, att_state: 1, input_type: 50}, 'att_time must be a string "YYYY-MM-DD HH:MM:SS", not number 1750498200.'],
      [[{user_id: '1001'}], 'The punch body must be a JSON object with user_id, att_time, att_state and input_type.'],
    ])('wrong or missing field %#', async (body, error) => {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ok: false, error})
    })

    it('an oversize body gets 413 in the same format', async () => {
      const {token: smallToken} = createTestDevice(small.store, {serial: SEED_SERIAL})
      const body = {user_id: '1', att_time: '2026-06-21 09:30:00', att_state: 1, input_type: 50, location: 'x'.repeat(2000)}
      const res = await request(url('punch', small.url), {method: 'POST', headers: {sn: SEED_SERIAL, 'auth-token': smallToken}, body})
      expect(res.status).toBe(413)
      expect(res.body).toEqual({ok: false, error: expect.stringContaining('larger than the limit of 1024 bytes')})
    })
  })
})
