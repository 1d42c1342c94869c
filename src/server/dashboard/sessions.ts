import {parse as parseCookies, serialize as serializeCookie} from 'cookie'
import type {FastifyInstance, FastifyRequest} from 'fastify'
import crypto from 'node:crypto'

import type {RateLimit} from '../../keys/service.js'
import {hasScope} from '../auth/api-key.js'
import {KeyRateLimiter} from '../auth/rate-limit.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'

export const SESSION_COOKIE = 'attend_session'
/** A session nobody has used for this long is over: a phone left signed in does not stay so for ever. */
export const SESSION_IDLE_MS = 12 * 3_600_000
/** The longest a session lasts however much it is used (a wall screen signs in again monthly). */
export const SESSION_MAX_MS = 30 * 86_400_000
/** Use moves the idle expiry forward at most this often: one write per session per few minutes. */
const RENEW_STEP_MS = 5 * 60_000
/** Wrong keys one address may try per minute on the sign-in form before it has to wait. */
export const SIGN_IN_FAILURES: RateLimit = {max: 10, window: 'minute'}

export interface DashboardSession {
  idHash: string
  keyName: string
  expiresAt: number
}

const hashOf = (id: string) => crypto.createHash('sha256').update(id).digest('hex')

/**
 * Sign-in to the status page with an API key that has the `read` scope (or `admin`). The browser
 * keeps a random session id in an HttpOnly, SameSite=Strict cookie — never the key, never in a URL
 * or in local storage; the store keeps only its hash. A session ends at sign-out, at its expiry, or
 * as soon as its key is revoked or loses `read` (docs/architecture.md, "Status page").
 */
export class DashboardSessions {
  private readonly failures: KeyRateLimiter

  constructor(
    private readonly app: FastifyInstance,
    private readonly deps: ServerDeps,
  ) {
    this.failures = new KeyRateLimiter(app, (request) => `dashboard-sign-in:${request.ip}`)
  }

  /** Checks the key typed on the form; returns the Set-Cookie value of a new session. Throws HttpErrors with the sentence to show. */
  async signIn(request: FastifyRequest, typed: unknown): Promise<string> {
    await this.failures.refuseWhenExhausted(request, SIGN_IN_FAILURES, (wait) => `Too many wrong API keys from this address: try again in ${wait} seconds.`)
    const key = typeof typed === 'string' ? typed.trim() : ''
    if (!key) throw new HttpError(400, 'missing_api_key', 'Enter an API key with the read scope (attend keys create --name wall-screen --scopes read creates one).', {param: 'key'})
    const record = await this.app.attendStore.directory.authenticateApiKey(key)
    if (!record) {
      await this.failures.hit(request, SIGN_IN_FAILURES)
      throw new HttpError(401, 'invalid_api_key', 'That API key is not valid: it is unknown or has been revoked (attend keys list shows the keys).', {param: 'key'})
    }
    if (!hasScope(record, 'read')) {
      throw new HttpError(
        403,
        'insufficient_scope',
        `The API key "${record.name}" cannot open the status page: it lacks the read scope (its scopes: ${record.scopes.join(', ') || 'none'}). Create one with attend keys create --name wall-screen --scopes read.`,
        {param: 'key'},
      )
    }
    const id = crypto.randomBytes(32).toString('base64url')
    const now = this.deps.now()
    const session = {idHash: hashOf(id), apiKeyId: record.id, createdAt: now, expiresAt: now + SESSION_IDLE_MS}
    await this.app.attendStore.dashboard.createSession(session)
    return this.cookie(request, id, SESSION_MAX_MS / 1000)
  }

  /**
   * The request's session, or null: no cookie, an unknown or expired session, or a key revoked or
   * without `read` since. Use moves the idle expiry forward.
   */
  async current(request: FastifyRequest): Promise<DashboardSession | null> {
    const id = this.idOf(request)
    return id === undefined ? null : this.check(hashOf(id))
  }

  /** Whether a session (by hash) still holds: the live feed asks again every minute. */
  async check(idHash: string): Promise<DashboardSession | null> {
    const stored = await this.app.attendStore.dashboard.findSession(idHash)
    const now = this.deps.now()
    if (!stored || stored.expiresAt <= now || stored.keyRevokedAt !== null || !hasScope({scopes: stored.keyScopes}, 'read')) return null
    const renewed = Math.min(stored.createdAt + SESSION_MAX_MS, now + SESSION_IDLE_MS)
    if (renewed - stored.expiresAt >= RENEW_STEP_MS) {
      // Not awaited: the request need not wait for the renewal, which a later use retries.
      this.app.attendStore.dashboard.extendSession(idHash, renewed).catch((error: unknown) => this.app.log.warn({err: error}, 'could not extend a status page session'))
    }
    return {idHash, keyName: stored.keyName, expiresAt: Math.max(stored.expiresAt, renewed)}
  }

  /** Ends the request's session (if any); returns the Set-Cookie value that clears the cookie. */
  async signOut(request: FastifyRequest): Promise<string> {
    const id = this.idOf(request)
    if (id !== undefined) await this.app.attendStore.dashboard.deleteSession(hashOf(id))
    return this.cookie(request, '', 0)
  }

  private idOf(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie
    if (!header) return undefined
    const id = parseCookies(header)[SESSION_COOKIE]
    return id && /^[A-Za-z0-9_-]{43}$/.test(id) ? id : undefined
  }

  private cookie(request: FastifyRequest, value: string, maxAge: number): string {
    return serializeCookie(SESSION_COOKIE, value, {httpOnly: true, sameSite: 'strict', path: '/', maxAge, secure: reachedOverHttps(request)})
  }
}

/**
 * Whether the browser reached us over HTTPS: `attend serve --tls-cert`, or a reverse proxy that
 * ended TLS and says so. Believing the header costs nothing: a client that lies about it only gets
 * a cookie its own plain-HTTP requests will not carry.
 */
function reachedOverHttps(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return true
  const forwarded = request.headers['x-forwarded-proto']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]
  return first?.trim().toLowerCase() === 'https'
}
