/**
 * What an attempt's outcome means for the delivery, and when to try again. Pure: the dispatcher
 * passes the clock and the random source, so tests walk the whole schedule without waiting.
 */

/**
 * Delay before each attempt after the first (which is immediate): 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h, 24 h — ten attempts over about three days, long enough to outlast a receiver
 * that is down for a weekend day. After the tenth the delivery is `failed`.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000] as const
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

/** ±20 %: deliverers that failed together (a receiver restarting) do not retry together. */
const JITTER = 0.2

/** What one attempt came to: an answer (status, headers read), or none (refused, timeout, reset). */
export interface AttemptOutcome {
  /** HTTP status; null when no answer came. */
  status: number | null
  /** Seconds or an HTTP date, as the receiver sent it. */
  retryAfter?: string | null
  /** Location of a redirect, which is not followed. */
  location?: string | null
  /** Why there was no answer (or what was wrong with it). */
  error?: string | null
}

export type Verdict =
  | {kind: 'delivered'}
  /** Try again at `at`. */
  | {kind: 'retry'; at: number; reason: string}
  /** No more attempts: the delivery is failed. `disable`: the endpoint is gone (410) and is switched off. */
  | {kind: 'failed'; reason: string; disable?: string}

/**
 * 2xx delivers. Network errors, 5xx, 408 and 429 are worth retrying (429 and 503 not before their
 * Retry-After); a 410 Gone means the receiver has removed the endpoint, which is disabled; any
 * other status — other 4xx, a redirect, which would send the signed body somewhere else — fails at
 * once: the same request would get the same answer.
 */
export function judgeAttempt(outcome: AttemptOutcome, attempt: number, now: number, random: () => number = Math.random): Verdict {
  const {status} = outcome
  if (status !== null && status >= 200 && status < 300) return {kind: 'delivered'}
  if (status === 410) return {kind: 'failed', reason: 'answered 410 Gone', disable: 'it answered 410 Gone'}
  if (status !== null && status >= 300 && status < 400) {
    const where = outcome.location ? ` to ${outcome.location.slice(0, 200)}` : ''
    return {kind: 'failed', reason: `answered ${status}, a redirect${where}: redirects are not followed (update the endpoint's URL)`}
  }
  const retryable = status === null || status >= 500 || status === 408 || status === 429
  const reason = status === null ? (outcome.error ?? 'no answer') : `answered ${status}`
  if (!retryable) return {kind: 'failed', reason: `${reason}: not retried (only network errors, 5xx, 408 and 429 are)`}
  if (attempt >= MAX_ATTEMPTS) return {kind: 'failed', reason: `${reason}; gave up after ${MAX_ATTEMPTS} attempts`}
  const delay = jittered(RETRY_DELAYS_MS[attempt - 1], random)
  const asked = status === 429 || status === 503 ? retryAfterMs(outcome.retryAfter, now) : null
  // A receiver's Retry-After is honoured up to the schedule's longest wait: it cannot park a delivery for ever.
  const wait = asked === null ? delay : Math.max(delay, Math.min(asked, RETRY_DELAYS_MS.at(-1)!))
  return {kind: 'retry', at: now + wait, reason}
}

export function jittered(delayMs: number, random: () => number): number {
  return Math.round(delayMs * (1 - JITTER + 2 * JITTER * random()))
}

/** `Retry-After: 120` or an HTTP date → milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (!value) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}
