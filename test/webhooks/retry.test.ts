import {describe, expect, it} from 'vitest'

import {judgeAttempt, MAX_ATTEMPTS, RETRY_DELAYS_MS, retryAfterMs} from '../../src/webhooks/retry.js'

const NOW = Date.parse('2026-03-12T09:00:00Z')
const middle = () => 0.5
const S = 1000
const MIN = 60 * S
const H = 60 * MIN

describe('judging an attempt', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [500, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [null, 'retry'],
    [400, 'failed'],
    [401, 'failed'],
    [404, 'failed'],
    [410, 'failed'],
    [301, 'failed'],
    [302, 'failed'],
    [307, 'failed'],
  ] as const)('status %s → %s', (status, kind) => {
    expect(judgeAttempt({status, error: status === null ? 'connection refused' : null}, 1, NOW, middle).kind).toBe(kind)
  })

  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h after attempts 1 to 9, then gives up after the 10th', () => {
    expect(RETRY_DELAYS_MS).toEqual([5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H])
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const verdict = judgeAttempt({status: 503}, attempt, NOW, middle)
      expect(verdict).toEqual({kind: 'retry', at: NOW + RETRY_DELAYS_MS[attempt - 1], reason: 'answered 503'})
    }
    expect(judgeAttempt({status: 503}, MAX_ATTEMPTS, NOW, middle)).toEqual({kind: 'failed', reason: 'answered 503; gave up after 10 attempts'})
  })

  it('jitters each wait by ±20 %', () => {
    const at = (random: number) => (judgeAttempt({status: 500}, 2, NOW, () => random) as {at: number}).at - NOW
    expect(at(0)).toBe(4 * MIN)
    expect(at(1)).toBe(6 * MIN)
    expect(at(0.25)).toBe(4.5 * MIN)
  })

  it('honours Retry-After (seconds or an HTTP date) on 429 and 503, never sooner than the schedule, at most 24 h', () => {
    expect(judgeAttempt({status: 429, retryAfter: '120'}, 1, NOW, middle)).toMatchObject({kind: 'retry', at: NOW + 120 * S})
    expect(judgeAttempt({status: 503, retryAfter: new Date(NOW + 10 * MIN).toUTCString()}, 1, NOW, middle)).toMatchObject({at: NOW + 10 * MIN})
    // A Retry-After shorter than the schedule does not make the retry sooner.
    expect(judgeAttempt({status: 429, retryAfter: '1'}, 2, NOW, middle)).toMatchObject({at: NOW + 5 * MIN})
    expect(judgeAttempt({status: 429, retryAfter: String(7 * 24 * 3600)}, 1, NOW, middle)).toMatchObject({at: NOW + 24 * H})
    // On a 500 the header means nothing.
    expect(judgeAttempt({status: 500, retryAfter: '600'}, 1, NOW, middle)).toMatchObject({at: NOW + 5 * S})
  })

  it('disables the endpoint on 410 Gone, and says why other answers are not retried', () => {
    expect(judgeAttempt({status: 410}, 3, NOW)).toEqual({kind: 'failed', reason: 'answered 410 Gone', disable: 'it answered 410 Gone'})
    expect(judgeAttempt({status: 401}, 1, NOW)).toEqual({kind: 'failed', reason: 'answered 401: not retried (only network errors, 5xx, 408 and 429 are)'})
    expect(judgeAttempt({status: 301, location: 'https://new.example.com/hooks'}, 1, NOW)).toEqual({
      kind: 'failed',
      reason: "answered 301, a redirect to https://new.example.com/hooks: redirects are not followed (update the endpoint's URL)",
    })
    expect(judgeAttempt({status: null, error: 'no answer within 15 s'}, 1, NOW, middle)).toMatchObject({kind: 'retry', reason: 'no answer within 15 s'})
  })

  it('reads Retry-After', () => {
    expect(retryAfterMs('30', NOW)).toBe(30_000)
    expect(retryAfterMs(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000)
    expect(retryAfterMs(new Date(NOW - 90_000).toUTCString(), NOW)).toBe(0)
    expect(retryAfterMs('soon', NOW)).toBeNull()
    expect(retryAfterMs(null, NOW)).toBeNull()
  })
})
