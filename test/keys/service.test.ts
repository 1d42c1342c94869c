import {describe, expect, it} from 'vitest'

import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {createApiKey, listApiKeys, parseRateLimit, parseScopes, revokeApiKey} from '../../src/keys/service.js'
import {describeEngines} from '../helpers/engines.js'

const now = Date.UTC(2026, 2, 12, 8)


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

describeEngines('API keys', (engine) => {
  const store = () => engine().port
  const authenticate = (key: string) => store().directory.authenticateApiKey(key)

  it('creates att_<prefix>_<secret> with default scopes and limits, stored as a hash', async () => {
    const {key, record} = await createApiKey(store(), {name: 'HR portal'}, now)
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
    const rows = await engine().all<{hash: string}>('SELECT * FROM api_keys')
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(rows)).not.toContain(key.slice(13))
  })

  it('authenticates the exact key only, and not once revoked', async () => {
    const {key, record} = await createApiKey(store(), {name: 'gate', scopes: ['ingest'], limits: [{max: 100, window: 'minute'}]}, now)
    expect(await authenticate(key)).toMatchObject({id: record.id, scopes: ['ingest'], limits: [{max: 100, window: 'minute'}]})
    expect(await authenticate(key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))).toBeUndefined()
    expect(await authenticate(`att_00000000_${key.slice(13)}`)).toBeUndefined()
    expect(await authenticate('not-a-key')).toBeUndefined()
    await store().directory.touchApiKey(record.id, now + 60_000)
    expect((await listApiKeys(store()))[0].lastUsedAt).toBe(now + 60_000)
    await revokeApiKey(store(), 'gate', now + 120_000)
    expect(await authenticate(key)).toBeUndefined()
  })

  it('refuses a second active key with the same name, and two limits for one window', async () => {
    await createApiKey(store(), {name: 'gate'}, now)
    await expect(createApiKey(store(), {name: 'gate'}, now)).rejects.toThrow(ConflictError)
    await expect(createApiKey(store(), {name: 'x', limits: [{max: 1, window: 'hour'}, {max: 2, window: 'hour'}]}, now)).rejects.toThrow(
      'Two rate limits per hour: give each window once.',
    )
    expect(await listApiKeys(store())).toHaveLength(1)
  })

  it('revokes by name, by prefix or by the key itself, and says when nothing matches', async () => {
    const a = await createApiKey(store(), {name: 'one'}, now)
    const b = await createApiKey(store(), {name: 'two'}, now)
    const c = await createApiKey(store(), {name: 'three'}, now)
    expect((await revokeApiKey(store(), 'one', now)).id).toBe(a.record.id)
    expect((await revokeApiKey(store(), b.record.prefix, now)).id).toBe(b.record.id)
    expect((await revokeApiKey(store(), c.key, now)).id).toBe(c.record.id)
    await expect(revokeApiKey(store(), 'one', now)).rejects.toThrow(`The API key "one" (prefix ${a.record.prefix}) is already revoked.`)
    await expect(revokeApiKey(store(), 'nobody', now)).rejects.toThrow(NotFoundError)
    expect((await listApiKeys(store())).map((k) => k.revokedAt)).toEqual([now, now, now])
    expect(await listApiKeys(store(), {includeRevoked: false})).toEqual([])
  })

  it('a revoked name can be reused', async () => {
    await createApiKey(store(), {name: 'gate'}, now)
    await revokeApiKey(store(), 'gate', now)
    expect((await createApiKey(store(), {name: 'gate'}, now + 1)).record.name).toBe('gate')
  })

  it('moves the api_keys revision with each create and revoke, so other servers drop their cached keys', async () => {
    const before = await store().revisions.current('api_keys')
    await createApiKey(store(), {name: 'gate'}, now)
    const created = await store().revisions.current('api_keys')
    expect(created).not.toBe(before)
    await revokeApiKey(store(), 'gate', now)
    expect(await store().revisions.current('api_keys')).not.toBe(created)
  })
})
