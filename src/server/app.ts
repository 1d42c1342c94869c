import rateLimit from '@fastify/rate-limit'
import Fastify, {type FastifyInstance, type FastifyRequest, type FastifyServerOptions} from 'fastify'
import type http from 'node:http'
import type https from 'node:https'

import {ApiKeyGuard} from './auth/api-key.js'
import {BackgroundCheckpointer} from './checkpointer.js'
import {DeviceGuard} from './auth/device-guard.js'
import type {RateLimit} from '../keys/service.js'
import type {ServerDeps} from './deps.js'
import {describeRequestError, type RequestFailure} from './errors/describe.js'
import {type FailureRenderer, sendFailure} from './errors/family.js'
import {HttpError} from './errors/http-error.js'
import {GroupCommit} from './group-commit.js'
import {v1ErrorBody} from './errors/v1.js'
import camsCallbackRoutes, {CAMS_SEED_PATH} from './routes/cams-callback.js'
import camsHttpRoutes from './routes/cams-http.js'
import healthRoutes from './routes/health.js'
import pushLogRoutes from './routes/push-log.js'
import v1ReportsRoutes from './routes/v1-reports.js'
import v1Routes, {V1_PREFIX} from './routes/v1.js'
import workerAttendanceRoutes, {WORKER_ATTENDANCE_PATH} from './routes/worker-attendance.js'
import zktecoRoutes from './routes/zkteco.js'

/** 1 MiB: 100 seed-000 events are ~30 KB, and a ZKTeco ATTLOG upload of several thousand lines fits. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024
/** A client that has not sent its whole request within this time is cut off (slow-loris guard). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export interface AppOptions {
  logLevel?: string
  bodyLimit?: number
  requestTimeoutMs?: number
  /** Requests per device for the device-token families (default DEVICE_RATE_LIMIT). */
  deviceRateLimit?: RateLimit
  /** PEM key and certificate: the app serves HTTPS. */
  https?: {key: string | Buffer; cert: string | Buffer}
}

/**
 * The `attend serve` application: one encapsulated plugin per API family, each with its own error
 * format, all feeding the one punch pipeline. Not listening yet: the caller chooses the port.
 */
export async function buildApp(deps: ServerDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const config: FastifyServerOptions & {http?: http.ServerOptions; https?: https.ServerOptions} = {
    logger: {
      level: options.logLevel ?? 'info',
      serializers: {
        // Seed 000 allows ?api_key=…: a key must never reach the log.
        req: (request: {method: string; url: string; ip?: string; socket?: {remoteAddress?: string}}) => ({
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip ?? request.socket?.remoteAddress,
        }),
      },
    },
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout,
    // Schemas must reject a wrong type naming the field, not coerce "12" into 12 or `true` into
    // "true", and must not silently drop fields a route did not expect.
    ajv: {customOptions: {coerceTypes: false, removeAdditional: false, allErrors: false}},
    // While draining, requests already on open connections are served normally (answered with
    // Connection: close, below) rather than by Fastify's own 503, which no family's client expects
    // and which would break the CAMS gateway's always-200 contract.
    return503OnClosing: false,
  }
  // Node checks request timeouts only every connectionsCheckingInterval (30 s) and keeps its own
  // 60 s headers timeout: without these a slow client outlives requestTimeout by a minute or more.
  const timeouts = {headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.max(100, Math.min(1000, requestTimeout / 4))}
  config.http = timeouts
  if (options.https) config.https = {...timeouts, ...options.https}
  const app = Fastify(config) as unknown as FastifyInstance

  // global: false — limits are per API key (see auth/rate-limit.ts), not per route and client IP.
  await app.register(rateLimit, {global: false})
  app.decorateRequest('apiKey', null)
  app.decorate('apiKeyGuard', new ApiKeyGuard(app, deps))
  app.decorateRequest('device', null)
  app.decorate('deviceGuard', new DeviceGuard(app, options.deviceRateLimit))
  app.decorate('writes', new GroupCommit(deps.store))

  // During shutdown, answers to in-flight requests tell keep-alive clients to reconnect elsewhere,
  // so their idle connections do not hold the closing server open.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Only a listening server checkpoints in the background; an app used through inject() has no
  // load to move off its requests.
  const checkpointer = new BackgroundCheckpointer(deps.store, (message) => app.log.warn({err: message}, 'background WAL checkpoint failed'))
  app.addHook('onListen', async () => {
    // Not awaited: the thread takes a moment to load SQLite, and requests need not wait for it.
    void checkpointer.start()
  })
  app.addHook('onClose', async () => checkpointer.stop())
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })

  const routeOptions = {deps}
  await app.register(healthRoutes, routeOptions)
  await app.register(workerAttendanceRoutes, routeOptions)
  await app.register(v1Routes, routeOptions)
  await app.register(v1ReportsRoutes, routeOptions)
  await app.register(camsHttpRoutes, routeOptions)
  await app.register(camsCallbackRoutes, routeOptions)
  await app.register(pushLogRoutes, routeOptions)
  await app.register(async function iclock(scope) {
    // The ZKTeco push protocol is plain text whatever Content-Type a firmware sends (often none,
    // text/plain or even application/json): inside this scope every body arrives as a raw string.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', {parseAs: 'string'}, (_request, body, done) => done(null, body))
    await scope.register(zktecoRoutes, routeOptions)
  })

  // A path no route matches (or a method a route does not take) still belongs to a family by its
  // prefix, and its client only understands that family's format (DESIGN §7). The error handler
  // covers what fails before the 404 is reached, e.g. an unreadable body sent to an unknown path.
  app.setNotFoundHandler(async (request) => {
    throw familyOf(pathOf(request)).notFound(request)
  })
  app.setErrorHandler((error, request, reply) => {
    const family = familyOf(pathOf(request))
    const failure = describeRequestError(error, request, app.initialConfig.bodyLimit)
    return sendFailure(reply, family.alwaysOk ? {...failure, statusCode: 200, headers: {}} : failure, family.render, error)
  })
  return app
}

interface Family {
  matches(path: string): boolean
  notFound(request: FastifyRequest): HttpError
  render: FailureRenderer
  /** Seed 003's gateway retries anything but 200 and holds its queue meanwhile. */
  alwaysOk?: boolean
}

const CAMS_CALLBACK_PATH = '/api/cams/callback'
const PUSH_LOG_PATH = '/api/v1/biometric/push-log'
const CAMS_HTTP_BASE = '/api/attendance/v1'
/** Seed 002's operations and the methods each accepts. */
const CAMS_HTTP_OPERATIONS: Record<string, string> = {punch: 'POST', heartbeat: 'GET, POST', validity: 'GET, POST', config: 'GET, POST'}

const routeNotFound = (request: FastifyRequest, hint: string) =>
  new HttpError(404, 'route_not_found', `Unknown route: ${request.method} ${pathOf(request)}: ${hint}.`)

const families: Family[] = [
  {
    matches: (path) => under(path, '/api/cams'),
    notFound: (request) =>
      new HttpError(404, 'route_not_found', pathOf(request) === CAMS_CALLBACK_PATH ? 'Use POST for the CAMS callback' : `Unknown CAMS path ${pathOf(request)}: use POST ${CAMS_CALLBACK_PATH}`),
    render: (failure) => ({status: 'error', message: failure.message}),
    alwaysOk: true,
  },
  {
    matches: (path) => path.startsWith('/api/method/navari_cams_biometric'),
    notFound: (request) =>
      new HttpError(404, 'route_not_found', pathOf(request) === CAMS_SEED_PATH ? 'Use POST for the CAMS callback' : `Unknown CAMS path ${pathOf(request)}: use POST ${CAMS_SEED_PATH}`),
    render: (failure) => ({status: 'error', message: failure.message}),
    alwaysOk: true,
  },
  {
    matches: (path) => under(path, CAMS_HTTP_BASE),
    notFound(request) {
      const operation = pathOf(request).slice(CAMS_HTTP_BASE.length).replace(/^\/+|\/+$/g, '')
      const allowed = Object.hasOwn(CAMS_HTTP_OPERATIONS, operation) ? CAMS_HTTP_OPERATIONS[operation] : undefined
      if (allowed) {
        return new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${CAMS_HTTP_BASE}/${operation}: use ${allowed}.`, {headers: {allow: allowed}})
      }
      return new HttpError(404, 'unknown_operation', `Unknown operation ${operation || '(none)'}: expected punch, heartbeat, validity or config.`)
    },
    render: (failure) => ({ok: false, error: failure.message}),
  },
  {
    matches: (path) => under(path, '/api/biometric'),
    notFound: (request) => routeNotFound(request, `attendance is sent with POST ${WORKER_ATTENDANCE_PATH}`),
    render: (failure) => ({success: false, message: failure.message}),
  },
  {
    matches: (path) => under(path, '/api/v1/biometric'),
    notFound: (request) => routeNotFound(request, `device logs are sent with POST ${PUSH_LOG_PATH}`),
    render: (failure) => ({success: false, message: failure.message}),
  },
  {
    matches: (path) => under(path, '/iclock'),
    notFound: (request) => routeNotFound(request, 'the ZKTeco push protocol uses /iclock/cdata, /iclock/getrequest and /iclock/devicecmd'),
    render: (failure) => `${failure.message}\n`,
  },
  {
    matches: (path) => under(path, V1_PREFIX),
    notFound: (request) => routeNotFound(request, `see the ${V1_PREFIX} API reference`),
    render: (failure) => v1ErrorBody(failure),
  },
]

/** Everything outside the families: a plain JSON 404 naming the path. */
const fallbackFamily: Family = {
  matches: () => true,
  notFound: () => new HttpError(404, 'not_found', 'Not found'),
  render: (failure: RequestFailure, request) => ({error: failure.message, path: pathOf(request)}),
}

function under(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`)
}

function familyOf(path: string): Family {
  return families.find((family) => family.matches(path)) ?? fallbackFamily
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]
}

/** Query parameters that carry a secret: seed 000's API key, CAMS gateways' device token. */
const SECRET_PARAMS = new Set(['api_key', 'apikey', 'authtoken', 'auth_token', 'access_token', 'token'])

/**
 * The URL as logged, with secret values replaced. Names are compared decoded and case-folded, as
 * the query parser reads them: `?api%5Fkey=…` authenticates, so it must not reach the log either.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const pairs = url.slice(at + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    let name: string
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '))
    } catch {
      name = rawName
    }
    return SECRET_PARAMS.has(name.trim().toLowerCase()) ? `${rawName}=[redacted]` : pair
  })
  return `${url.slice(0, at)}?${pairs.join('&')}`
}
