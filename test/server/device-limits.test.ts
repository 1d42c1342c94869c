import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DEVICE_RATE_LIMIT} from '../../src/server/auth/device-guard.js'
import {FAILED_AUTH_BUDGET} from '../../src/server/auth/api-key.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'

const NOW = Date.UTC(2026, 2, 12, 6, 0, 0)
const LIMIT = {max: 3, window: 'minute'} as const

/**
 * The device-token families (seeds 002, 003, 004 and the ZKTeco push protocol): each device has its
 * own request budget, reported in X-RateLimit-* headers, refused past it in the family's format.
 */
describe('per-device rate limits', () => {
  let server: TestServer
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    server = await startTestServer({now: () => NOW, deviceRateLimit: LIMIT})
    for (const serial of ['CAMS-HTTP-1', 'CAMS-CB-1', 'PUSH-1', 'ZK-1']) tokens[serial] = createTestDevice(server.store, {serial}).token
  })
  afterAll(() => server.close())

  const families = [
    {
      name: 'CAMS HTTP (seed 002) heartbeat',
      send: () => request(`${server.url}/api/attendance/v1/heartbeat`, {headers: {sn: 'CAMS-HTTP-1', 'auth-token': tokens['CAMS-HTTP-1']}}),
      refused: (res: {status: number; body: unknown; text: string}) => {
        expect(res.status).toBe(429)
        expect(res.body).toEqual({ok: false, error: expect.stringMatching(/^Rate limit of 3 requests per minute exceeded for device CAMS-HTTP-1; retry in \d\d? seconds\.$/)})
      },
    },
    {
      name: 'CAMS callback (seed 003), always HTTP 200',
      send: () =>
        request(`${server.url}/api/cams/callback`, {
          body: {RealTime: {SerialNumber: 'CAMS-CB-1', AuthToken: tokens['CAMS-CB-1'], PunchLog: {Type: 'CheckIn', UserId: '1', LogTime: '2026-03-12 08:00:00 GMT +0300'}}},
        }),
      refused: (res: {status: number; body: unknown; text: string}) => {
        expect(res.status).toBe(200)
        expect(res.body).toEqual({status: 'error', message: expect.stringMatching(/^Rate limit of 3 requests per minute exceeded for device CAMS-CB-1; retry in \d\d? seconds\.$/)})
      },
    },
    {
      name: 'push-log (seed 004)',
      send: () =>
        request(`${server.url}/api/v1/biometric/push-log`, {
          headers: {authorization: `Bearer ${tokens['PUSH-1']}`},
          body: {logs: [{user_id: '1', timestamp: '2026-03-12 08:00:00'}]},
        }),
      refused: (res: {status: number; body: unknown; text: string}) => {
        expect(res.status).toBe(429)
        expect(res.body).toEqual({success: false, message: expect.stringMatching(/^Rate limit of 3 requests per minute exceeded for device PUSH-1; retry in \d\d? seconds\.$/)})
      },
    },
    {
      name: 'ZKTeco push protocol',
      send: () => request(`${server.url}/iclock/getrequest?SN=ZK-1`),
      refused: (res: {status: number; body: unknown; text: string}) => {
        expect(res.status).toBe(429)
        expect(res.text).toMatch(/^Rate limit of 3 requests per minute exceeded for device ZK-1; retry in \d\d? seconds\.\n$/)
      },
    },
  ]

  for (const family of families) {
    it(`${family.name}: headers on every answer, then refusal with Retry-After`, async () => {
      const remaining: string[] = []
      for (let i = 0; i < LIMIT.max; i++) {
        const res = await family.send()
        expect(res.status, JSON.stringify(res.body)).toBe(200)
        expect(res.headers.get('x-ratelimit-limit')).toBe('3')
        expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
        remaining.push(res.headers.get('x-ratelimit-remaining')!)
      }
      expect(remaining).toEqual(['2', '1', '0'])
      const refused = await family.send()
      family.refused(refused)
      // Fixed windows: the wait is until the minute ends, as the sentence says.
      if (refused.status === 429) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      if (refused.status === 429) expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    })
  }

  it('counts each device on its own', async () => {
    const other = createTestDevice(server.store, {serial: 'ZK-2'})
    expect(other.device.serial).toBe('ZK-2')
    const res = await request(`${server.url}/iclock/getrequest?SN=ZK-2`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-ratelimit-remaining')).toBe('2')
  })

  it('refuses an address that keeps presenting unknown serials or wrong tokens, without checking them', async () => {
    const guessing = await startTestServer({now: () => NOW})
    try {
      for (let i = 0; i < FAILED_AUTH_BUDGET.max; i++) {
        const res = await request(`${guessing.url}/api/attendance/v1/heartbeat`, {headers: {sn: `GUESS-${i}`, 'auth-token': 'wrong'}})
        expect(res.status).toBe(401)
      }
      const refused = await request(`${guessing.url}/iclock/getrequest?SN=GUESS-X`)
      expect(refused.status).toBe(429)
      expect(refused.text).toMatch(/^Too many failed device authentications from this address; retry in \d+ seconds\.\n$/)
    } finally {
      await guessing.close()
    }
  })

  it('defaults to a budget no real terminal reaches', () => {
    expect(DEVICE_RATE_LIMIT).toEqual({max: 6000, window: 'minute'})
  })
})
