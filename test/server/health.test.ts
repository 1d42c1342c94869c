import {afterEach, expect, it} from 'vitest'

import {getJson, startTestServer, type TestServer} from './helpers.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

it('GET /health reads the store and reports version and uptime, without auth', async () => {
  server = await startTestServer()
  server.store.sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at) VALUES ('x', '1', 1, 'test', 1)`).run()
  const res = await getJson(`${server.url}/health`)
  expect(res.status).toBe(200)
  expect(res.body).toEqual({
    status: 'ok',
    version: '0.0.0-test',
    uptime_seconds: expect.any(Number),
    time: expect.stringMatching(/Z$/),
    store: {reachable: true, last_punch_id: 1},
  })
})

it('GET /health is a 503 naming the problem when the store cannot be read', async () => {
  server = await startTestServer()
  server.store.sqlite.exec('DROP TABLE punches')
  const res = await getJson(`${server.url}/health`)
  expect(res.status).toBe(503)
  expect(res.body.status).toBe('error')
  expect(res.body.store).toEqual({reachable: false, error: expect.stringMatching(/no such table: punches/)})
})

it('the server cuts off clients that do not finish their request in time (30 s by default, configurable)', async () => {
  server = await startTestServer()
  expect(server.app.server.requestTimeout).toBe(30_000)
  expect(server.app.initialConfig.bodyLimit).toBe(1024 * 1024)
  await server.close()
  server = await startTestServer({requestTimeoutMs: 5000, bodyLimit: 4096})
  expect(server.app.server.requestTimeout).toBe(5000)
  expect(server.app.initialConfig.bodyLimit).toBe(4096)
})
