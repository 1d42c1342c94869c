import type {FastifyInstance, FastifyRequest, onRequestAsyncHookHandler} from 'fastify'
import crypto from 'node:crypto'

import type {ApiKeyRecord, ApiScope, RateLimit} from '../../keys/service.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {KeyRateLimiter} from './rate-limit.js'

/** Where a family accepts the key: the worker attendance API uses X-API-Key or ?api_key=, the v1 API a Bearer token. */
export type KeySource = 'x-api-key' | 'query' | 'bearer'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; absent = any valid key (e.g. an unknown /v1 route answering 404). */
    scope?: ApiScope
  }
  interface FastifyRequest {
    /** The key that authenticated this request (set by the API-key guard). */
    apiKey: ApiKeyRecord | null
  }
  interface FastifyInstance {
    apiKeyGuard: ApiKeyGuard
  }
}

/**
 * Failed attempts one client address may make per minute before every request from it is refused
 * without checking the key: guessing keys costs a minute per 60 tries, while a device with a
 * mistyped key still gets a clear 401 for its first attempts.
 */
export const FAILED_AUTH_BUDGET: RateLimit = {max: 60, window: 'minute'}

/** Verified keys remembered at most (a site has a handful; the bound only guards memory). */
const VERIFIED_CACHE_SIZE = 1000

/** lastUsedAt is a "still in use?" signal, not an audit log: one write per key per minute is enough. */
const TOUCH_INTERVAL_MS = 60_000

const SOURCE_WORDING: Record<KeySource, string> = {
  'x-api-key': 'the X-API-Key header',
  query: 'the api_key query parameter',
  bearer: 'an Authorization: Bearer header',
}

/**
 * Authenticates API keys for the key-based families: finds the key where the family accepts it,
 * verifies it against the stored hash (authenticateApiKey, constant time), enforces the
 * route's scope and the key's rate limits, and records use. Failures are HttpErrors, so each
 * family's error handler renders them in its own format.
 */
export class ApiKeyGuard {
  private readonly keyLimiter: KeyRateLimiter
  private readonly failureLimiter: KeyRateLimiter
  private readonly lastTouched = new Map<number, number>()
  /** sha256(presented key) → its record; emptied whenever any key is created or revoked. */
  private readonly verified = new Map<string, ApiKeyRecord>()
  private keysRevision = Number.NaN
  /** The api_keys revision check of this event-loop turn, shared by the requests that arrived in it. */
  private revisionCheck: Promise<void> | undefined

  constructor(
    private readonly app: FastifyInstance,
    private readonly deps: ServerDeps,
  ) {
    this.keyLimiter = new KeyRateLimiter(app, (request) => `key:${request.apiKey?.id ?? 'none'}`)
    this.failureLimiter = new KeyRateLimiter(app, (request) => `auth-failures:${request.ip}`)
  }

  /** An onRequest hook for a family: runs before the body is read, so refused bodies are never parsed. */
  hook(sources: readonly KeySource[]): onRequestAsyncHookHandler {
    return async (request, reply) => {
      const headers = await this.authorize(request, sources)
      reply.headers(headers)
    }
  }

  /** Authenticates `request` for its route's scope; returns the X-RateLimit-* headers to send. */
  async authorize(request: FastifyRequest, sources: readonly KeySource[]): Promise<Record<string, string>> {
    await this.failureLimiter.refuseWhenExhausted(request, FAILED_AUTH_BUDGET, (wait) => `Too many failed API key attempts from this address; retry in ${wait} seconds.`)

    const presented = this.presentedKey(request, sources)
    const record = typeof presented === 'string' ? await this.verify(presented) : undefined
    if (!record) {
      const headers = await this.failureLimiter.hit(request, FAILED_AUTH_BUDGET)
      const accepted = orList(sources.map((source) => SOURCE_WORDING[source]))
      if (presented === undefined) throw new HttpError(401, 'missing_api_key', `Missing API key: send it in ${accepted}.`, {headers})
      if (typeof presented !== 'string') {
        throw new HttpError(401, 'invalid_authorization', 'The Authorization header must be "Bearer <api key>".', {param: 'Authorization', headers})
      }
      throw new HttpError(401, 'invalid_api_key', 'Invalid API key: it is unknown or has been revoked.', {headers})
    }
    request.apiKey = record

    const headers = await this.keyLimiter.consume(request, record.limits, (limit) => `Rate limit of ${limit.max} requests per ${limit.window} exceeded for API key "${record.name}"`)
    const scope = request.routeOptions.config.scope
    if (scope && !hasScope(record, scope)) {
      throw new HttpError(403, 'insufficient_scope', `This API key lacks the "${scope}" scope needed for ${request.method} ${request.routeOptions.url}; its scopes are: ${record.scopes.join(', ') || 'none'}.`, {headers})
    }
    this.touch(record.id)
    return headers
  }

  /**
   * The directory's authenticateApiKey (hash lookup, constant-time comparison) on a key's first
   * use; later uses of the same key are a map hit, which matters for throughput (the lookup costs as
   * much as storing the punch). Revocation takes effect on the next event-loop turn: the api_keys
   * revision is read once per turn — once for the group of requests that arrived together, as group
   * commit stores them — and the cache is dropped as soon as it changes, whichever process (or
   * server, on PostgreSQL) changed the table.
   */
  private async verify(presented: string): Promise<ApiKeyRecord | undefined> {
    await this.checkRevision()
    const digest = crypto.createHash('sha256').update(presented).digest('hex')
    const known = this.verified.get(digest)
    if (known) return known
    const record = await this.app.attendStore.directory.authenticateApiKey(presented)
    if (record) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear()
      this.verified.set(digest, record)
    }
    return record
  }

  private checkRevision(): Promise<void> {
    this.revisionCheck ??= this.app.attendStore.revisions
      .current('api_keys')
      .then((revision) => {
        if (revision !== this.keysRevision) {
          this.verified.clear()
          this.keysRevision = revision
        }
      })
      .finally(() =>
        setImmediate(() => {
          this.revisionCheck = undefined
        }),
      )
    return this.revisionCheck
  }

  private presentedKey(request: FastifyRequest, sources: readonly KeySource[]): string | {malformed: true} | undefined {
    for (const source of sources) {
      if (source === 'x-api-key') {
        const value = request.headers['x-api-key']
        const key = Array.isArray(value) ? value[0] : value
        if (key?.trim()) return key.trim()
      } else if (source === 'query') {
        const value = (request.query as Record<string, unknown> | undefined)?.api_key
        const key = Array.isArray(value) ? value[0] : value
        if (typeof key === 'string' && key.trim()) return key.trim()
      } else {
        const header = request.headers.authorization
        if (!header) continue
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
        return match ? match[1] : {malformed: true}
      }
    }
    return undefined
  }

  private touch(id: number): void {
    const now = this.deps.now()
    const last = this.lastTouched.get(id)
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS && now >= last) return
    this.lastTouched.set(id, now)
    this.app.attendStore.directory.touchApiKey(id, now).catch((error: unknown) => this.app.log.warn({err: error}, 'could not record an API key as used'))
  }
}

/** `admin` includes `read` and `ingest`: an admin key can do everything the narrower keys can. */
export function hasScope(record: Pick<ApiKeyRecord, 'scopes'>, scope: ApiScope): boolean {
  return record.scopes.includes(scope) || record.scopes.includes('admin')
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
