import {Webhook} from 'standardwebhooks'
import {describe, expect, it} from 'vitest'

import {generateSecret, parseSecret, sign, signedHeaders, signingSecrets} from '../../src/webhooks/signing.js'

const body = JSON.stringify({id: 'evt_1', type: 'attendance.created', created_at: '2026-03-12T05:05:00Z', data: {id: 'att_1'}})

describe('Standard Webhooks signing', () => {
  it('generates whsec_ secrets of 32 random bytes, each different', () => {
    const a = generateSecret()
    const b = generateSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32)
    expect(a).not.toBe(b)
  })

  it('signs so that the reference library (standardwebhooks on npm) verifies the body', () => {
    const secret = generateSecret()
    const now = Math.floor(Date.now() / 1000)
    const headers = signedHeaders([secret], 'evt_1', now, body)
    expect(headers['webhook-id']).toBe('evt_1')
    expect(headers['webhook-timestamp']).toBe(String(now))
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(new Webhook(secret).verify(body, {...headers})).toEqual(JSON.parse(body))
    // And the library's own signature is ours, byte for byte.
    expect(new Webhook(secret).sign('evt_1', new Date(now * 1000), body)).toBe(sign(secret, 'evt_1', now, body))
  })

  it('fails verification for another secret, another body or another id', () => {
    const secret = generateSecret()
    const now = Math.floor(Date.now() / 1000)
    const headers = signedHeaders([secret], 'evt_1', now, body)
    expect(() => new Webhook(generateSecret()).verify(body, {...headers})).toThrow()
    expect(() => new Webhook(secret).verify(body.replace('att_1', 'att_2'), {...headers})).toThrow()
    expect(() => new Webhook(secret).verify(body, {...headers, 'webhook-id': 'evt_2'})).toThrow()
  })

  it('during a rotation, sends both signatures: receivers on the old or the new secret both verify', () => {
    const old = generateSecret()
    const current = generateSecret()
    const now = Date.now()
    const secrets = signingSecrets({secret: current, previousSecret: old, previousSecretUntil: now + 60_000}, now)
    expect(secrets).toEqual([current, old])
    const headers = signedHeaders(secrets, 'evt_9', Math.floor(now / 1000), body)
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(new Webhook(old).verify(body, {...headers})).toBeTruthy()
    expect(new Webhook(current).verify(body, {...headers})).toBeTruthy()
    // After the grace period only the new secret signs.
    expect(signingSecrets({secret: current, previousSecret: old, previousSecretUntil: now}, now)).toEqual([current])
  })

  it.each([
    ['not-a-secret', 'it must start with whsec_'],
    ['whsec_***', 'what follows whsec_ is not base64'],
    [`whsec_${Buffer.alloc(8).toString('base64')}`, 'it holds 8 bytes'],
  ])('refuses the secret %s: %s', (value, why) => {
    expect(() => parseSecret(value)).toThrow(`Invalid --secret: ${why}.`)
  })

  it('accepts a secret made elsewhere (24 to 64 bytes)', () => {
    const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`
    expect(parseSecret(` ${secret} `)).toBe(secret)
  })
})
