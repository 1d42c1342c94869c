import fs from 'node:fs'
import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {punches, refusedDevices} from '../../src/db/schema.js'
import {updateDevice} from '../../src/devices/service.js'
import {CAMS_SEED_PATH} from '../../src/server/routes/cams-callback.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2024, 8, 17, 6, 0, 0)
const SERIAL = 'ZHM11xxxxxxxx'
const PLACEHOLDER = 'your-32-char-auth-token-here'
const realTimeSeed = fs.readFileSync(new URL('../fixtures/cams-realtime.json', import.meta.url), 'utf8')
const batchSeed = fs.readFileSync(new URL('../fixtures/cams-punchlog.json', import.meta.url), 'utf8')

describe('CAMS callback (seed 003)', () => {
  let server: TestServer
  let small: TestServer
  let token: string

  const callback = (body: string, options: {path?: string; query?: string; headers?: Record<string, string>; base?: string} = {}) =>
    request(`${options.base ?? server.url}${options.path ?? '/api/cams/callback'}${options.query ?? ''}`, {
      method: 'POST',
      headers: options.headers ?? {'Content-Type': 'application/json'},
      body,
    })
  const allPunches = () => server.store.db.select().from(punches).orderBy(punches.instant).all()

  beforeAll(async () => {
    server = await startTestServer({timezone: 'UTC', now: () => NOW})
    token = createTestDevice(server.store, {serial: SERIAL, name: 'Main Gate'}).token
    small = await startTestServer({bodyLimit: 256, now: () => NOW})
  })
  beforeEach(() => {
    server.store.db.delete(punches).run()
  })
  afterAll(async () => {
    await server.close()
    await small.close()
  })

  it('stores the seed RealTime punch (with the device token) and answers exactly {"status":"done"}', async () => {
    const res = await callback(realTimeSeed.replace(PLACEHOLDER, token))
    expect(res.status).toBe(200)
    expect(res.text).toBe('{"status":"done"}')
    const rows = allPunches()
    expect(rows).toHaveLength(1)
    // 08:00 at GMT +0300 is 05:00 UTC; the unknown employee is stored unmapped.
    expect(rows[0]).toMatchObject({
      deviceKey: SERIAL,
      deviceUserId: 'EMP-0001',
      employeeId: null,
      instant: Date.UTC(2024, 8, 17, 5, 0, 0),
      direction: 'in',
      rawVerify: 'Fingerprint',
      temperature: 36.8,
      mask: false,
      source: 'http:cams-callback',
    })
  })

  it('answers the seed path of the ERP app as an alias, and a retry is still done (stored once)', async () => {
    const body = realTimeSeed.replace(PLACEHOLDER, token)
    for (let i = 0; i < 2; i++) {
      const res = await callback(body, {path: CAMS_SEED_PATH})
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'done'})
    }
    expect(allPunches()).toHaveLength(1)
  })

  it('answers the seed RealTime body as written (placeholder token) with 200 Invalid auth token and stores nothing', async () => {
    const res = await callback(realTimeSeed)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({status: 'error', message: 'Invalid auth token'})
    expect(allPunches()).toHaveLength(0)
  })

  it('refuses a RealTime punch from an unknown serial and records the serial', async () => {
    const res = await callback(realTimeSeed.replace(PLACEHOLDER, token).replace(SERIAL, 'ZHM99UNKNOWN'))
    expect(res.body).toEqual({status: 'error', message: 'Invalid auth token'})
    expect(server.store.db.select().from(refusedDevices).where(eq(refusedDevices.serial, 'ZHM99UNKNOWN')).get()).toBeDefined()
  })

  it('stores the seed PunchLog batch when the gateway appends ?stgid= and the token', async () => {
    const res = await callback(batchSeed, {query: `?stgid=${SERIAL}&AuthToken=${encodeURIComponent(token)}`})
    expect(res.status).toBe(200)
    expect(res.text).toBe('{"status":"done"}')
    const rows = allPunches()
    expect(rows.map((r) => [r.deviceUserId, new Date(r.instant).toISOString(), r.direction])).toEqual([
      ['EMP-0001', '2024-09-17T05:00:00.000Z', 'in'],
      ['EMP-0002', '2024-09-17T05:15:00.000Z', 'in'],
      ['EMP-0001', '2024-09-17T14:30:00.000Z', 'out'],
    ])
    expect(rows.every((r) => r.deviceKey === SERIAL)).toBe(true)

    const again = await callback(batchSeed, {query: `?stgid=${SERIAL}&AuthToken=${encodeURIComponent(token)}`})
    expect(again.body).toEqual({status: 'done'})
    expect(allPunches()).toHaveLength(3)
  })

  it('finds the batch device by its token alone (body or query)', async () => {
    const inBody = JSON.stringify({...JSON.parse(batchSeed), AuthToken: token})
    expect((await callback(inBody)).body).toEqual({status: 'done'})
    expect((await callback(batchSeed, {query: `?token=${encodeURIComponent(token)}`})).body).toEqual({status: 'done'})
    expect(allPunches()).toHaveLength(3)
    expect(allPunches().every((r) => r.deviceKey === SERIAL)).toBe(true)
  })

  it('answers the seed batch as written (no token anywhere) with Invalid auth token', async () => {
    for (const query of ['', `?stgid=${SERIAL}`, `?stgid=${SERIAL}&AuthToken=wrong`]) {
      const res = await callback(batchSeed, {query})
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'error', message: 'Invalid auth token'})
    }
    expect(allPunches()).toHaveLength(0)
  })

  it('keeps an inactive device\'s punches in the gateway by answering error', async () => {
    const sleepy = createTestDevice(server.store, {serial: 'ZHM11SLEEPY'}).token
    await updateDevice(portOf(server.store), 'ZHM11SLEEPY', {status: 'inactive'}, NOW)
    const res = await callback(realTimeSeed.replace(PLACEHOLDER, sleepy).replace(SERIAL, 'ZHM11SLEEPY'))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({status: 'error', message: 'Device ZHM11SLEEPY is inactive: its punches are refused until it is reactivated (attend devices update ZHM11SLEEPY --status active).'})
    expect(allPunches()).toHaveLength(0)
  })

  describe('always HTTP 200, even for bad bodies', () => {
    it.each([
      ['', 'Empty request body'],
      ['   \n', 'Empty request body'],
      ['{"RealTime": {', 'Invalid JSON'],
      ['RealTime=1', 'Invalid JSON'],
      ['[1,2]', 'Expected a JSON object with RealTime, PunchLog, Add or Delete'],
      ['{"Hello": "world"}', 'Expected a JSON object with RealTime, PunchLog, Add or Delete'],
      ['{"RealTime": "punch"}', 'RealTime must be an object with SerialNumber, PunchLog and AuthToken'],
    ])('%j → %s', async (body, message) => {
      const res = await callback(body)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'error', message})
    })

    it('reads the body whatever the Content-Type (or none)', async () => {
      const body = realTimeSeed.replace(PLACEHOLDER, token)
      expect((await callback(body, {headers: {'content-type': 'text/plain'}})).body).toEqual({status: 'done'})
      expect((await callback('', {headers: {}})).body).toEqual({status: 'error', message: 'Empty request body'})
    })

    it('a RealTime punch with a wrong field is an error naming it', async () => {
      const seed = JSON.parse(realTimeSeed.replace(PLACEHOLDER, token))
      seed.RealTime.PunchLog.LogTime = 1726549200
      seed.RealTime.PunchLog.Unknown = 'field'
      const res = await callback(JSON.stringify(seed))
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'error', message: expect.stringMatching(/^RealTime\.PunchLog: .*LogTime must be a string/)})
    })

    it('a batch stores its good rows and lists the bad ones, still done (so the gateway queue moves on)', async () => {
      const seed = JSON.parse(batchSeed)
      seed.PunchLog.Log[1].LogTime = 'later'
      seed.PunchLog.Log.push({Type: 'CheckIn', LogTime: '2024-09-17 08:20:00 GMT +0300'})
      seed.AuthToken = token
      const res = await callback(JSON.stringify(seed))
      expect(res.status).toBe(200)
      expect(res.body.status).toBe('done')
      expect(res.body.rejected.map((r: {index: number}) => r.index)).toEqual([1, 3])
      expect(res.body.rejected[0].reason).toMatch(/^PunchLog\.Log\[1\]: .*LogTime "later"/)
      expect(allPunches()).toHaveLength(2)
    })

    it('Log that is not an array is an error', async () => {
      const res = await callback(JSON.stringify({PunchLog: {Log: 'none'}, AuthToken: token}))
      expect(res.body).toEqual({status: 'error', message: 'PunchLog.Log must be an array of logs (or one log object)'})
    })

    it('an oversize body is answered 200 with an error', async () => {
      const res = await callback(realTimeSeed.replace(PLACEHOLDER, token), {base: small.url})
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'error', message: 'Request body too large'})
    })
  })
})
