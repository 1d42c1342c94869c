import {performance} from 'node:perf_hooks'

import type {AttemptOutcome} from './retry.js'
import type {SignedHeaders} from './signing.js'

/** What a receiver gets, and how long it has to answer. */
export interface WebhookRequest {
  url: string
  headers: SignedHeaders
  body: string
  timeoutMs: number
}

export interface SendResult extends AttemptOutcome {
  durationMs: number
  /** The start of the answer's body (RESPONSE_EXCERPT bytes at most); null when none came. */
  response: string | null
}

/** Sends one attempt. The HTTP sender below; tests and benchmarks may pass their own. */
export type Sender = (request: WebhookRequest) => Promise<SendResult>

/** Receivers send an error page back; the attempt log keeps the first 4 KB of it. */
export const RESPONSE_EXCERPT = 4096
/** A receiver must answer within this (the Standard Webhooks recommendation is "quickly"). */
export const DEFAULT_TIMEOUT_MS = 15_000

/**
 * POST with Node's built-in fetch (keep-alive connections per origin): the body as JSON, the
 * Standard Webhooks headers, no redirect followed (a 3xx comes back as the answer), the whole
 * exchange — connection, answer and the excerpt of its body — within the timeout.
 */
export function httpSender(userAgent: string): Sender {
  return async (request) => {
    const started = performance.now()
    const signal = AbortSignal.timeout(request.timeoutMs)
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'user-agent': userAgent, ...request.headers},
        body: request.body,
        redirect: 'manual',
        signal,
      })
      const excerpt = await readExcerpt(response)
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        location: response.headers.get('location'),
        durationMs: Math.round(performance.now() - started),
        response: excerpt,
      }
    } catch (error) {
      return {status: null, error: describeFailure(error, request.timeoutMs), durationMs: Math.round(performance.now() - started), response: null}
    }
  }
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < RESPONSE_EXCERPT) {
      const {done, value} = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    // The rest is not wanted: cancelling frees the connection instead of reading megabytes.
    if (size >= RESPONSE_EXCERPT) await reader.cancel().catch(() => {})
    else reader.releaseLock()
  }
  const text = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT).toString('utf8')
  return text === '' ? null : text
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'answer stalled',
}

/** One short reason for a failed attempt: "connection refused", "no answer within 15 s", … */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as {name?: string}).name
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`
  const cause = (error as {cause?: {code?: string; message?: string}}).cause
  const code = cause?.code
  if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code]
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
  return message.slice(0, 300)
}
