import type {FastifyInstance} from 'fastify'

import {createDevice} from '../../src/store/sqlite/devices.js'
import {type Device, type DeviceInput} from '../../src/devices/service.js'
import {type ApiKeyRecord, type ApiScope, type RateLimit} from '../../src/keys/service.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {buildApp, type AppOptions} from '../../src/server/app.js'
import type {ServerDeps} from '../../src/server/deps.js'
import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {testStore} from '../helpers/store.js'

/** A real `attend serve` app listening on a random local port, with its own temporary store. */
export interface TestServer {
  app: FastifyInstance
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string
  store: Store & {dir: string}
  /** The server's group commit: every write of its routes and background jobs is one of its jobs. */
  writes: GroupCommit
  deps: ServerDeps
  /** Closes the server, then the store, then removes the temp dir. */
  close(): Promise<void>
}

export interface TestServerOptions extends Omit<AppOptions, 'logLevel'> {
  /** Site time zone (default UTC). */
  timezone?: string
  /** Pinned clock for services (default: the real clock). */
  now?: () => number
  logLevel?: string
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = testStore({timezone: options.timezone ?? 'UTC'})
  const now = options.now ?? (() => Date.now())
  const writes = new GroupCommit(store, {now})
  const deps: ServerDeps = {attendStore: sqliteAttendStore(store, writes), now, version: '0.0.0-test', startedAt: Date.now()}
  const {timezone: _timezone, now: _now, logLevel, ...appOptions} = options
  const app = await buildApp(deps, {logLevel: logLevel ?? 'silent', ...appOptions})
  await app.listen({port: 0, host: '127.0.0.1'})
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('The test server has no TCP address.')
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    store,
    writes,
    deps,
    async close() {
      await app.close()
      store.cleanup()
    },
  }
}

/** An API key in the server's store; `key` is the secret to send. */
export function createTestKey(
  store: Store,
  input: {name?: string; scopes?: ApiScope[]; limits?: RateLimit[]} = {},
): {key: string; record: ApiKeyRecord} {
  return createApiKey(store, {name: input.name ?? `test-key-${Math.random().toString(36).slice(2, 10)}`, scopes: input.scopes, limits: input.limits}, Date.now())
}

/** A registered device with a token (`token` is the secret devices send). */
export function createTestDevice(store: Store, input: Partial<DeviceInput> & {serial: string}): {device: Device; token: string} {
  return createDevice(store, {name: input.name ?? `Device ${input.serial}`, ...input}, Date.now())
}

/** Tests read response bodies field by field; a loose JSON type keeps them short. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export interface HttpResult<T = Json> {
  status: number
  headers: Headers
  /** Parsed JSON when the response is JSON, else undefined. */
  body: T
  text: string
}

/** Any request; `body` objects are sent as JSON, strings and Buffers as they are. */
export async function request<T = Json>(
  url: string,
  init: {method?: string; headers?: Record<string, string>; body?: unknown} = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {...init.headers}
  let body: string | Buffer | undefined
  if (typeof init.body === 'string' || Buffer.isBuffer(init.body)) body = init.body
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body)
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  }
  const response = await fetch(url, {method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body})
  const text = await response.text()
  let parsed: unknown
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text)
  return {status: response.status, headers: response.headers, body: parsed as T, text}
}

/** POST `body` as JSON (objects) or raw (strings); extra headers as given. */
export function postJson<T = Json>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  return request<T>(url, {method: 'POST', headers, body})
}

export function getJson<T = Json>(url: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  return request<T>(url, {method: 'GET', headers})
}
