import Fastify, {type FastifyInstance, type FastifyServerOptions} from 'fastify'
import type http from 'node:http'
import type https from 'node:https'

import {ApiKeyGuard} from './auth/api-key.js'
import {countsWritten} from './auth/rate-limit.js'
import {DeviceGuard} from './auth/device-guard.js'
import type {RateLimit} from '../keys/service.js'
import type {ServerDeps} from './deps.js'
import {describeRequestError} from './errors/describe.js'
import {decodeContentEncoding} from './kit/content-encoding.js'
import {familyErrorHandler, familyOf, pathOf, RouteTable, sendFamilyFailure, unmatched} from './kit/family.js'
import {frameworkErrorHandler, parserErrorHandler} from './kit/parser-errors.js'
import {useRawBody} from './raw-body.js'
import type {AttendStore} from '../store/port.js'
import {families} from './routes/index.js'

/** 1 MiB: 100 worker attendance events are ~30 KB; a CAMS batch of several thousand rows fits. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024
/** A client that has not sent its whole request within this time is cut off (slow-loris guard). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
/** How often the rate-limit rows of windows that have ended are deleted. */
const LIMITS_PRUNE_MS = 60_000

declare module 'fastify' {
  interface FastifyInstance {
    /** The store port every route's service takes. */
    attendStore: AttendStore
  }
}

export interface AppOptions {
  logLevel?: string
  bodyLimit?: number
  /** Body limit of the /iclock family instead of the one it declares (tests). */
  iclockBodyLimit?: number
  requestTimeoutMs?: number
  /** Requests per device for the device-token families (default DEVICE_RATE_LIMIT). */
  deviceRateLimit?: RateLimit
  /** PEM key and certificate: the app serves HTTPS. */
  https?: {key: string | Buffer; cert: string | Buffer}
}

/**
 * The `attend serve` application: one encapsulated plugin per API family (src/server/routes/), each
 * declaring its paths and error format once, all feeding the one punch pipeline through group
 * commit. Not listening yet: the caller chooses the port.
 */
export async function buildApp(deps: ServerDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const config: FastifyServerOptions & {http?: http.ServerOptions; https?: https.ServerOptions} = {
    logger: {
      level: options.logLevel ?? 'info',
      serializers: {
        // The worker attendance API allows ?api_key=…: a key must never reach the log.
        req: (request: {method: string; url: string; ip?: string; socket?: {remoteAddress?: string}}) => ({
          method: request.method,
          url: redactUrl(request.url).slice(0, 512),
          remoteAddress: request.ip ?? request.socket?.remoteAddress,
        }),
      },
    },
    bodyLimit,
    requestTimeout,
    // Schemas must reject a wrong type naming the field, not coerce "12" into 12 or `true` into
    // "true", and must not silently drop fields a route did not expect.
    ajv: {customOptions: {coerceTypes: false, removeAdditional: false, allErrors: false}},
    // While draining, requests already on open connections are served normally (answered with
    // Connection: close, below) rather than by Fastify's own 503, which no family's client expects
    // and which would break the CAMS gateway's always-200 contract.
    return503OnClosing: false,
    // What node's HTTP parser and fastify's router refuse is answered in the family's format too.
    clientErrorHandler: parserErrorHandler(families),
    frameworkErrors: frameworkErrorHandler(families),
  }
  // Node checks request timeouts only every connectionsCheckingInterval (30 s) and keeps its own
  // 60 s headers timeout: without these a slow client outlives requestTimeout by a minute or more.
  const timeouts = {headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.max(100, Math.min(1000, requestTimeout / 4))}
  config.http = timeouts
  if (options.https) config.https = {...timeouts, ...options.https}
  const app = Fastify(config) as unknown as FastifyInstance

  app.decorate('attendStore', deps.attendStore)
  app.decorateRequest('apiKey', null)
  app.decorate('apiKeyGuard', new ApiKeyGuard(app, deps))
  app.decorateRequest('device', null)
  app.decorate('deviceGuard', new DeviceGuard(app, options.deviceRateLimit))

  // During shutdown, answers to in-flight requests tell keep-alive clients to reconnect elsewhere,
  // so their idle connections do not hold the closing server open.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Only a listening server runs the store's upkeep (SQLite: WAL checkpoints on a thread of their
  // own) and prunes ended rate-limit windows; an app used through inject() has no load to move off
  // its requests. Stopped once in-flight requests have finished, leaving the store self-contained.
  const serving = app.attendStore.serving
  let pruner: NodeJS.Timeout | undefined
  app.addHook('onListen', async () => {
    // Not awaited: SQLite's thread takes a moment to load, and requests need not wait for it.
    void serving.start((message) => app.log.warn({err: message}, 'background WAL checkpoint failed'))
    pruner = setInterval(() => {
      app.attendStore.limits.prune(Date.now()).catch((error: unknown) => app.log.warn({err: error}, 'could not prune rate-limit windows'))
    }, LIMITS_PRUNE_MS)
    pruner.unref()
  })
  app.addHook('onClose', async () => {
    if (!pruner) return
    clearInterval(pruner)
    await serving.stop()
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    await countsWritten(request)
    return payload
  })
  app.addHook('preParsing', decodeContentEncoding(bodyLimit))

  const routes = new RouteTable()
  app.addHook('onRoute', (route) => routes.add(route.url, route.method, route.config))
  for (const family of families) {
    await app.register(async (scope) => {
      const limit = (family.name === 'iclock' ? options.iclockBodyLimit : undefined) ?? family.bodyLimit
      // A family's own limit applies to every one of its routes (and so to its decoded bodies).
      if (limit) scope.addHook('onRoute', (route) => void (route.bodyLimit ??= limit))
      if (family.rawBody) useRawBody(scope)
      scope.setErrorHandler(familyErrorHandler(family, limit ?? bodyLimit))
      if (family.contentType) {
        const type = family.contentType
        scope.addHook('onSend', async (_request, reply, payload) => {
          reply.header('content-type', type)
          return payload
        })
      }
      await family.routes(scope, {deps, unmatched: (request) => unmatched(family, routes, request)})
    })
  }

  // A path no route matches (or a method a route does not take) still belongs to a family by its
  // prefix, and its client only understands that family's format (docs/architecture.md, "Families"): 404, or 405 with
  // Allow. The error handler covers what fails before that, e.g. an unreadable body sent to an
  // unknown path.
  app.setNotFoundHandler(async (request) => {
    throw unmatched(familyOf(families, pathOf(request.url)), routes, request)
  })
  app.setErrorHandler((error, request, reply) => {
    const family = familyOf(families, pathOf(request.url))
    return sendFamilyFailure(family, reply, describeRequestError(error, request, bodyLimit), error)
  })
  return app
}


/** Query parameters that carry a secret: the worker attendance API's key, CAMS gateways' device token. */
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
