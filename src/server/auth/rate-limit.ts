import type {FastifyInstance, FastifyRequest} from 'fastify'

import type {RateLimit} from '../../keys/service.js'
import type {RateWindow, WindowCount} from '../../store/limits.js'
import {HttpError} from '../errors/http-error.js'

const WINDOW_MS: Record<RateLimit['window'], number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

const toWindow = (limit: RateLimit): RateWindow => ({windowMs: WINDOW_MS[limit.window], max: limit.max})

/** X-RateLimit-* headers as the v1 API defines them: Reset is the window's end in UTC epoch seconds. */
function headersFor(window: WindowCount, remaining: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(window.max),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(Math.ceil(window.resetAt / 1000)),
  }
}

function retryAfterSeconds(window: WindowCount, now: number): number {
  return Math.max(1, Math.ceil((window.resetAt - now) / 1000))
}

/**
 * Per-subject limits with several windows (an API key's 1000/hour and 10 000/day by default),
 * counted in the store (the `limits` section), so they hold across every server sharing it
 * (docs/architecture.md, "The store port"). Windows are fixed: an hour's runs from the full hour, a
 * day's from midnight UTC.
 *
 * Semantics: a request is allowed only if every window has room; it is then counted in every
 * window, and the headers describe the window with the fewest requests left (the one that will
 * refuse first). A refused request is not counted, so a client hammering past its hourly limit does
 * not also burn its daily quota; the 429 names the exhausted window that resets last, and
 * Retry-After is the wait until every exhausted window has room again.
 */
export class KeyRateLimiter {
  /** The budget reads of this event-loop turn, by subject and limit (see refuseWhenExhausted). */
  private readonly peeks = new Map<string, Promise<WindowCount>>()

  constructor(
    private readonly app: FastifyInstance,
    private readonly keyOf: (request: FastifyRequest) => string,
  ) {}

  /** Counts the request against `limits`; returns the headers to send or throws a 429 HttpError. */
  async consume(request: FastifyRequest, limits: readonly RateLimit[], describe: (limit: RateLimit) => string): Promise<Record<string, string>> {
    if (limits.length === 0) return {}
    const now = Date.now()
    const {counted, windows, written} = await this.app.attendStore.limits.consume(this.keyOf(request), limits.map(toWindow), now)
    if (written) awaitBeforeAnswering(request, written)
    // Not counted: some window was full. Counted past the max: another request (on this server or
    // another) took the last slot at the same moment; the counts are exact, so this one is refused.
    const exhausted = windows.filter((w) => (counted ? w.hits > w.max : w.hits >= w.max))
    if (exhausted.length > 0) throw this.refusal(exhausted, limits, now, describe)
    let tightest = windows[0]
    for (const w of windows) if (w.max - w.hits < tightest.max - tightest.hits) tightest = w
    return headersFor(tightest, tightest.max - tightest.hits)
  }

  /**
   * Throws a 429 (with Retry-After) when the budget is used up; `describe` gets the wait in seconds.
   * Every request asks this before anything else (the failed-key budget of its address), so the
   * requests of one event-loop turn share one read per subject: a read of its own per request cost
   * as much as storing the punch (bench/serve.js). A failure counted in the same turn is seen from
   * the next, as a request on another server would be.
   */
  async refuseWhenExhausted(request: FastifyRequest, limit: RateLimit, describe: (retryAfter: number) => string): Promise<void> {
    const now = Date.now()
    const window = await this.peekThisTurn(this.keyOf(request), limit, now)
    if (window.hits < window.max) return
    const retryAfter = retryAfterSeconds(window, now)
    throw new HttpError(429, 'rate_limited', describe(retryAfter), {headers: {...headersFor(window, 0), 'retry-after': String(retryAfter)}})
  }

  private peekThisTurn(subject: string, limit: RateLimit, now: number): Promise<WindowCount> {
    const key = `${subject} ${limit.max}/${limit.window}`
    let peek = this.peeks.get(key)
    if (!peek) {
      if (this.peeks.size === 0) setImmediate(() => this.peeks.clear())
      peek = this.app.attendStore.limits.peek(subject, [toWindow(limit)], now).then(([window]) => window)
      this.peeks.set(key, peek)
    }
    return peek
  }

  /** Counts one event against a single budget and returns its headers. */
  async hit(request: FastifyRequest, limit: RateLimit): Promise<Record<string, string>> {
    const [window] = await this.app.attendStore.limits.hit(this.keyOf(request), [toWindow(limit)], Date.now())
    return headersFor(window, window.max - window.hits)
  }

  private refusal(exhausted: WindowCount[], limits: readonly RateLimit[], now: number, describe: (limit: RateLimit) => string): HttpError {
    let last = exhausted[0]
    for (const w of exhausted) if (w.resetAt > last.resetAt) last = w
    const limit = limits.find((l) => WINDOW_MS[l.window] === last.windowMs && l.max === last.max) ?? limits[0]
    const retryAfter = retryAfterSeconds(last, now)
    return new HttpError(429, 'rate_limited', `${describe(limit)}; retry in ${retryAfter} seconds.`, {
      headers: {...headersFor(last, 0), 'retry-after': String(retryAfter)},
    })
  }
}

/** Counts a request's answer waits for (see Consumption.written), by request. */
const unwrittenCounts = new WeakMap<FastifyRequest, Promise<unknown>[]>()

function awaitBeforeAnswering(request: FastifyRequest, written: Promise<unknown>): void {
  const waiting = unwrittenCounts.get(request)
  if (waiting) waiting.push(written)
  else unwrittenCounts.set(request, [written])
}

/**
 * Resolves once the rate-limit counts of `request` are committed (an onSend hook of the app): a
 * count decided before it was written reaches the store before its request is answered, so the
 * client's next request, on any server, sees it. A count that failed to be written does not fail
 * the answer.
 */
export async function countsWritten(request: FastifyRequest): Promise<void> {
  const waiting = unwrittenCounts.get(request)
  if (waiting) await Promise.allSettled(waiting)
}
