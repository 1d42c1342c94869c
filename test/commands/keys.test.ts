import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {authenticateApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())
beforeAll(async () => {
  await runAttend(['init', '--timezone', 'UTC'], {env})
})

describe('attend keys', () => {
  it('creates a key shown once, lists and revokes it', async () => {
    const created = await runAttend(['keys', 'create', '--name', 'gate bridge', '--scopes', 'ingest', '--limit', '100/minute', '--limit', '1000/hour'], {env})
    expect(created.exitCode).toBe(0)
    const [summary, label, keyLine] = created.stdout.split('\n')
    const key = keyLine.trim()
    expect(key).toMatch(/^att_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/)
    const prefix = key.slice(4, 12)
    expect(summary).toBe(`Created API key "gate bridge" (prefix ${prefix}): scopes ingest; limits 100/minute, 1000/hour.`)
    expect(label).toBe('Key (shown once; only its hash is stored):')

    const store = openStore(db)
    expect(authenticateApiKey(store, key)?.name).toBe('gate bridge')
    store.close()

    const list = await runAttend(['keys', 'list'], {env})
    expect(list.stdout.split('\n')[1]).toMatch(new RegExp(`^gate bridge\\s+${prefix}\\s+ingest\\s+100/minute, 1000/hour\\s+2026-03-12 09:00\\s+never\\s+-$`))
    expect(list.stdout).not.toContain(key.slice(13))

    const revoked = await runAttend(['keys', 'revoke', prefix], {env})
    expect(revoked.stdout).toBe(`Revoked API key "gate bridge" (prefix ${prefix}).\n`)
    const json = (await runJson<{keys: {name: string; revokedAt: number | null; scopes: string[]}[]}>(['keys', 'list'], {env})).keys
    expect(json).toMatchObject([{name: 'gate bridge', scopes: ['ingest'], revokedAt: Date.parse('2026-03-12T09:00:00Z')}])
  })

  it('names a bad limit without opening the store', async () => {
    const fresh = path.join(tmp.dir, 'never.db')
    const result = await runAttend(['keys', 'create', '--name', 'x', '--limit', '100/fortnight', '--db', fresh])
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe('Error: Invalid rate limit "100/fortnight": expected COUNT/WINDOW such as 100/minute (windows: second, minute, hour, day).')
  })
})
