import type {FastifyInstance, FastifyRequest} from 'fastify'

import type {RateLimit} from '../../keys/service.js'
import {HttpError} from '../errors/http-error.js'

const WINDOW_MS: Record<RateLimit['window'], number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>

interface WindowState {
  max: number
  /** Requests counted in the current window (after this one when incremented). */
  current: number
  /** Milliseconds until the window resets (0 for a window not started yet). */
  ttl: number
  windowMs: number
}

/** X-RateLimit-* headers as the v1 API defines them: Reset is the window's end in UTC epoch seconds. */
function headersFor(state: WindowState, remaining: number, nowMs: number): Record<string, string> {
  const resetMs = nowMs + (state.ttl > 0 ? state.ttl : state.windowMs)
  return {
    'x-ratelimit-limit': String(state.max),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
  }
}

/**
 * Per-key limits with several windows (1000/hour and 10 000/day by default), counted by
 * @fastify/rate-limit's in-memory store, one limiter per (max, window).
 *
 * Semantics: a request is allowed only if every window has room; it is then counted in every
 * window, and the headers describe the window with the fewest requests left (the one that will
 * refuse first). A refused request is not counted, so a client hammering past its hourly limit does
 * not also burn its daily quota; the 429 names the exhausted window that resets last, and
 * Retry-After is the wait until every exhausted window has room again.
 */
export class KeyRateLimiter {
  private readonly limiters = new Map<string, Limiter>()
  /**
   * What this process last counted per (key, limit): requests left and when the window ends. A key
   * with room to spare is counted without being peeked at first, and a key never counted in its
   * window cannot be exhausted — two lookups saved on nearly every request.
   */
  private readonly known = new Map<string, {remaining: number; resetAt: number}>()

  constructor(
    private readonly app: FastifyInstance,
    private readonly keyOf: (request: FastifyRequest) => string,
  ) {}

  /** Counts the request against `limits`; returns the headers to send or throws a 429 HttpError. */
  async consume(request: FastifyRequest, limits: readonly RateLimit[], describe: (limit: RateLimit) => string): Promise<Record<string, string>> {
    if (limits.length === 0) return {}
    const now = Date.now()
    const key = this.keyOf(request)
    if (!limits.every((limit) => this.roomFor(key, limit, now))) {
      const peeked = await Promise.all(limits.map((limit) => this.read(request, limit, false)))
      const exhausted = peeked.map((state, i) => ({state, limit: limits[i]})).filter(({state}) => state.current >= state.max)
      if (exhausted.length > 0) throw this.refusal(exhausted, now, describe)
    }

    const counted = await Promise.all(limits.map((limit) => this.read(request, limit, true)))
    counted.forEach((state, i) => this.remember(key, limits[i], state, now))
    // Two concurrent requests may both have seen room; the counters are exact, so re-check.
    const raced = counted.map((state, i) => ({state, limit: limits[i]})).filter(({state}) => state.current > state.max)
    if (raced.length > 0) throw this.refusal(raced, now, describe)

    let tightest = counted[0]
    for (const state of counted) if (state.max - state.current < tightest.max - tightest.current) tightest = state
    return headersFor(tightest, tightest.max - tightest.current, now)
  }

  /** Reads (without counting) whether a budget is exhausted. */
  private async peek(request: FastifyRequest, limit: RateLimit): Promise<{exhausted: boolean; headers: Record<string, string>; retryAfter: number}> {
    const state = await this.read(request, limit, false)
    const now = Date.now()
    return {exhausted: state.current >= state.max, headers: headersFor(state, state.max - state.current, now), retryAfter: retryAfterSeconds(state)}
  }

  /** Throws a 429 (with Retry-After) when the budget is used up; `describe` gets the wait in seconds. */
  async refuseWhenExhausted(request: FastifyRequest, limit: RateLimit, describe: (retryAfter: number) => string): Promise<void> {
    if (this.roomFor(this.keyOf(request), limit, Date.now())) return
    const budget = await this.peek(request, limit)
    if (budget.exhausted) {
      throw new HttpError(429, 'rate_limited', describe(budget.retryAfter), {headers: {...budget.headers, 'retry-after': String(budget.retryAfter)}})
    }
  }

  /** Counts one event against a single budget and returns its headers. */
  async hit(request: FastifyRequest, limit: RateLimit): Promise<Record<string, string>> {
    const state = await this.read(request, limit, true)
    const now = Date.now()
    this.remember(this.keyOf(request), limit, state, now)
    return headersFor(state, state.max - state.current, now)
  }

  /**
   * True when this key certainly has room under `limit`: never counted in a window still running,
   * or more than one request left when last counted. Otherwise the store must be asked.
   */
  private roomFor(key: string, limit: RateLimit, now: number): boolean {
    const last = this.known.get(`${key}|${limit.max}/${limit.window}`)
    if (!last || now >= last.resetAt) return limit.max >= 1 && (!last || now >= last.resetAt + 1000)
    return last.remaining > 1
  }

  private remember(key: string, limit: RateLimit, state: WindowState, now: number): void {
    if (this.known.size >= 100_000) this.known.clear()
    this.known.set(`${key}|${limit.max}/${limit.window}`, {remaining: state.max - state.current, resetAt: now + (state.ttl > 0 ? state.ttl : state.windowMs)})
  }

  private refusal(exhausted: {state: WindowState; limit: RateLimit}[], now: number, describe: (limit: RateLimit) => string): HttpError {
    let last = exhausted[0]
    for (const entry of exhausted) if (entry.state.ttl > last.state.ttl) last = entry
    const retryAfter = retryAfterSeconds(last.state)
    return new HttpError(429, 'rate_limited', `${describe(last.limit)}; retry in ${retryAfter} seconds.`, {
      headers: {...headersFor(last.state, 0, now), 'retry-after': String(retryAfter)},
    })
  }

  private async read(request: FastifyRequest, limit: RateLimit, increment: boolean): Promise<WindowState> {
    const windowMs = WINDOW_MS[limit.window]
    const result = await this.limiter(limit)(request, {increment})
    if (result.isAllowed) return {max: limit.max, current: 0, ttl: 0, windowMs}
    return {max: result.max, current: result.max - result.remaining + (result.isExceeded ? 1 : 0), ttl: result.ttl, windowMs}
  }

  private limiter(limit: RateLimit): Limiter {
    const id = `${limit.max}/${limit.window}`
    let limiter = this.limiters.get(id)
    if (!limiter) {
      limiter = this.app.createRateLimit({max: limit.max, timeWindow: WINDOW_MS[limit.window], keyGenerator: this.keyOf})
      this.limiters.set(id, limiter)
    }
    return limiter
  }
}

function retryAfterSeconds(state: WindowState): number {
  return Math.max(1, Math.ceil((state.ttl > 0 ? state.ttl : state.windowMs) / 1000))
}
