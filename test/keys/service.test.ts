import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {
  addApiKey,
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  parseRateLimit,
  parseScopes,
  revokeApiKey,
  touchApiKey,
} from '../../src/keys/service.js'
import {testStore} from '../helpers/store.js'

const now = Date.UTC(2026, 2, 12, 8)

let store: ReturnType<typeof testStore>
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

describe('parseRateLimit and parseScopes', () => {
  it('reads COUNT/WINDOW with common spellings', () => {
    expect(parseRateLimit('100/minute')).toEqual({max: 100, window: 'minute'})
    expect(parseRateLimit(' 5 / s ')).toEqual({max: 5, window: 'second'})
    expect(parseRateLimit('1000/Hours')).toEqual({max: 1000, window: 'hour'})
    expect(parseRateLimit('20/d')).toEqual({max: 20, window: 'day'})
  })

  it.each(['100', '100/fortnight', '0/minute', '-1/hour', 'ten/minute', '1.5/minute'])('refuses %s naming it', (text) => {
    expect(() => parseRateLimit(text)).toThrow(UsageError)
    expect(() => parseRateLimit(text)).toThrow(`Invalid rate limit "${text}": expected COUNT/WINDOW such as 100/minute`)
  })

  it('reads scopes in canonical order and names an unknown one', () => {
    expect(parseScopes('admin, ingest')).toEqual(['ingest', 'admin'])
    expect(() => parseScopes('read,write')).toThrow('Unknown scope "write": expected ingest, read, admin.')
    expect(() => parseScopes(' , ')).toThrow('Invalid scopes " , "')
  })
})

describe('API keys', () => {
  it('creates att_<prefix>_<secret> with default scopes and limits, stored as a hash', () => {
    const {key, record} = createApiKey(store, {name: 'HR portal'}, now)
    expect(key).toMatch(/^att_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/)
    expect(key.slice(4, 12)).toBe(record.prefix)
    expect(record).toEqual({
      id: record.id,
      name: 'HR portal',
      prefix: record.prefix,
      scopes: ['ingest', 'read'],
      limits: [
        {max: 1000, window: 'hour'},
        {max: 10000, window: 'day'},
      ],
      lastUsedAt: null,
      createdAt: now,
      revokedAt: null,
    })
    const row = store.sqlite.prepare('SELECT hash FROM api_keys').get() as {hash: string}
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(store.sqlite.prepare('SELECT * FROM api_keys').all())).not.toContain(key.slice(13))
  })

  it('authenticates the exact key only, and not once revoked', () => {
    const {key, record} = createApiKey(store, {name: 'gate', scopes: ['ingest'], limits: [{max: 100, window: 'minute'}]}, now)
    expect(authenticateApiKey(store, key)).toMatchObject({id: record.id, scopes: ['ingest'], limits: [{max: 100, window: 'minute'}]})
    expect(authenticateApiKey(store, key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))).toBeUndefined()
    expect(authenticateApiKey(store, `att_00000000_${key.slice(13)}`)).toBeUndefined()
    expect(authenticateApiKey(store, 'not-a-key')).toBeUndefined()
    touchApiKey(store, record.id, now + 60_000)
    expect(listApiKeys(store)[0].lastUsedAt).toBe(now + 60_000)
    revokeApiKey(store, 'gate', now + 120_000)
    expect(authenticateApiKey(store, key)).toBeUndefined()
  })

  it('refuses a second active key with the same name, and two limits for one window', () => {
    createApiKey(store, {name: 'gate'}, now)
    expect(() => createApiKey(store, {name: 'gate'}, now)).toThrow(ConflictError)
    expect(() =>
      addApiKey(() => store, {name: 'x', limits: [{max: 1, window: 'hour'}, {max: 2, window: 'hour'}]}, now),
    ).toThrow('Two rate limits per hour: give each window once.')
    expect(listApiKeys(store)).toHaveLength(1)
  })

  it('revokes by name, by prefix or by the key itself, and says when nothing matches', () => {
    const a = createApiKey(store, {name: 'one'}, now)
    const b = createApiKey(store, {name: 'two'}, now)
    const c = createApiKey(store, {name: 'three'}, now)
    expect(revokeApiKey(store, 'one', now).id).toBe(a.record.id)
    expect(revokeApiKey(store, b.record.prefix, now).id).toBe(b.record.id)
    expect(revokeApiKey(store, c.key, now).id).toBe(c.record.id)
    expect(() => revokeApiKey(store, 'one', now)).toThrow(`The API key "one" (prefix ${a.record.prefix}) is already revoked.`)
    expect(() => revokeApiKey(store, 'nobody', now)).toThrow(NotFoundError)
    expect(listApiKeys(store).map((k) => k.revokedAt)).toEqual([now, now, now])
    expect(listApiKeys(store, {includeRevoked: false})).toEqual([])
  })

  it('a revoked name can be reused', () => {
    createApiKey(store, {name: 'gate'}, now)
    revokeApiKey(store, 'gate', now)
    expect(createApiKey(store, {name: 'gate'}, now + 1).record.name).toBe('gate')
  })
})
