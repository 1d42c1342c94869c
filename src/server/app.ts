import rateLimit from '@fastify/rate-limit'
import Fastify, {type FastifyInstance, type FastifyServerOptions} from 'fastify'

import {ApiKeyGuard} from './auth/api-key.js'
import type {ServerDeps} from './deps.js'
import camsCallbackRoutes from './routes/cams-callback.js'
import camsHttpRoutes from './routes/cams-http.js'
import healthRoutes from './routes/health.js'
import pushLogRoutes from './routes/push-log.js'
import v1ReportsRoutes from './routes/v1-reports.js'
import v1Routes from './routes/v1.js'
import workerAttendanceRoutes from './routes/worker-attendance.js'
import zktecoRoutes from './routes/zkteco.js'

/** 1 MiB: 100 seed-000 events are ~30 KB, and a ZKTeco ATTLOG upload of several thousand lines fits. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024
/** A client that has not sent its whole request within this time is cut off (slow-loris guard). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export interface AppOptions {
  logLevel?: string
  bodyLimit?: number
  requestTimeoutMs?: number
  /** PEM key and certificate: the app serves HTTPS. */
  https?: {key: string | Buffer; cert: string | Buffer}
}

/**
 * The `attend serve` application: one encapsulated plugin per API family, each with its own error
 * format, all feeding the one punch pipeline. Not listening yet: the caller chooses the port.
 */
export async function buildApp(deps: ServerDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const config: FastifyServerOptions & {https?: AppOptions['https']} = {
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
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Schemas must reject a wrong type naming the field, not coerce "12" into 12 or `true` into
    // "true", and must not silently drop fields a route did not expect.
    ajv: {customOptions: {coerceTypes: false, removeAdditional: false, allErrors: false}},
    return503OnClosing: true,
  }
  if (options.https) config.https = options.https
  const app = Fastify(config) as unknown as FastifyInstance

  // global: false — limits are per API key (see auth/rate-limit.ts), not per route and client IP.
  await app.register(rateLimit, {global: false})
  app.decorateRequest('apiKey', null)
  app.decorate('apiKeyGuard', new ApiKeyGuard(app, deps))

  // During shutdown, answers to in-flight requests tell keep-alive clients to reconnect elsewhere,
  // so their idle connections do not hold the closing server open.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
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
  return app
}

function redactUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&]*/gi, '$1[redacted]')
}
