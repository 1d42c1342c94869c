import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openStore, type Store} from '../../src/db/open.js'
import {buildApp} from '../../src/server/app.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import type {FastifyInstance} from 'fastify'
import {createTestKey, getJson, startTestServer, type TestServer} from './helpers.js'

const bearer = (key: string) => ({authorization: `Bearer ${key}`})

describe('rate limits shared by two servers on one store', () => {
  let first: TestServer
  let secondStore: Store
  let second: FastifyInstance
  let secondUrl: string

  beforeEach(async () => {
    first = await startTestServer()
    // Another server: its own connection to the same store file, its own process state.
    secondStore = openStore(first.store.path)
    second = await buildApp({attendStore: sqliteAttendStore(secondStore, new GroupCommit(secondStore)), now: () => Date.now(), version: 'test', startedAt: Date.now()}, {logLevel: 'silent'})
    await second.listen({port: 0, host: '127.0.0.1'})
    secondUrl = `http://127.0.0.1:${(second.server.address() as {port: number}).port}`
  })
  afterEach(async () => {
    await second.close()
    secondStore.close()
    await first.close()
  })

  it('counts an API key once across both: the limit is the limit, not the limit per server', async () => {
    const {key} = createTestKey(first.store, {scopes: ['read'], limits: [{max: 4, window: 'day'}]})
    const answers = []
    for (const url of [first.url, secondUrl, first.url, secondUrl, first.url, secondUrl]) answers.push(await getJson(`${url}/v1/users`, bearer(key)))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429, 429])
    expect(answers.slice(0, 4).map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['3', '2', '1', '0'])
    expect(answers[5].body.error).toMatchObject({code: 'rate_limited'})
    expect(answers[5].body.error.message).toMatch(/^Rate limit of 4 requests per day exceeded for API key "[^"]+"; retry in \d+ seconds\.$/)
  })

  it('far from the limit too (counted at once, written with the next group): the other server counts on from each answered request', async () => {
    const {key} = createTestKey(first.store, {scopes: ['read'], limits: [{max: 1000, window: 'day'}]})
    const remaining = []
    for (const url of [first.url, secondUrl, first.url, secondUrl, secondUrl, first.url]) remaining.push((await getJson(`${url}/v1/users`, bearer(key))).headers.get('x-ratelimit-remaining'))
    expect(remaining).toEqual(['999', '998', '997', '996', '995', '994'])
  })

  it('counts failed API keys from one address across both', async () => {
    const answers = []
    for (let i = 0; i < 61; i++) answers.push((await getJson(`${i % 2 ? first.url : secondUrl}/v1/users`, bearer(`ak_live_wrong${i}`))).status)
    expect(answers.slice(0, 60).every((status) => status === 401)).toBe(true)
    expect(answers[60]).toBe(429)
  })
})
