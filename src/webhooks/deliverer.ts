import {randomUUID} from 'node:crypto'
import {performance} from 'node:perf_hooks'

import type {WebhookQueue} from '../store/webhook-queue.js'
import type {ClaimedDelivery} from './deliveries-store.js'
import {judgeAttempt, type Verdict} from './retry.js'
import {DEFAULT_TIMEOUT_MS, type Sender, type SendResult} from './sender.js'
import {signedHeaders, signingSecrets} from './signing.js'

/**
 * A lease outlasts the longest attempt (the 15 s timeout) with room for the commit that records it:
 * a deliverer that is alive always finishes its attempt before anyone else may take the row.
 */
export const DEFAULT_LEASE_MS = 60_000

/** How often a deliverer looks for a slot that other deliverers hold, and for how long at most. */
const CAPPED_WAIT_MS = 20
const CAPPED_PATIENCE_MS = 5_000

export interface DelivererOptions {
  send: Sender
  /** The clock of schedules, leases and signatures (tests inject one; never real hours). */
  now: () => number
  /** For the retry jitter (tests inject one). */
  random?: () => number
  leaseMs?: number
  timeoutMs?: number
  /** This deliverer's name on its leases (default: a fresh random one). */
  owner?: string
  /** Told about every attempt as it is recorded (the server logs them). */
  onAttempt?: (attempt: AttemptReport) => void
  /** An outcome that could not be recorded (the store refused the write): its lease lapses and it is sent again. */
  onError?: (error: unknown) => void
}

export interface AttemptReport {
  deliveryId: number
  webhookId: number
  eventId: string
  eventType: string
  attempt: number
  status: number | null
  durationMs: number
  verdict: Verdict
  disabled: boolean
}

export interface PassSummary {
  /** Attempts made in this pass. */
  attempts: number
  delivered: number
  /** Attempts that failed and will be retried later. */
  retrying: number
  /** Deliveries that failed for good in this pass (no more attempts). */
  failed: number
  /** Endpoints this pass disabled (410 Gone). */
  disabled: number[]
}

/**
 * Sends what the outbox holds (docs/architecture.md, "Webhooks"). A pass drains every active
 * endpoint in parallel, each with at most its in-flight cap of attempts at once: claim due rows
 * with a lease (one write), send, record each outcome (one write) — all through the queue, whose
 * adapter decides how they are committed (on SQLite they join the server's group commits and never
 * hold the write lock on their own). A pass ends when nothing is due: retries scheduled for later
 * wait for a later pass.
 */
export class Deliverer {
  readonly owner: string
  private readonly leaseMs: number
  private readonly timeoutMs: number

  constructor(
    private readonly queue: WebhookQueue,
    private readonly options: DelivererOptions,
  ) {
    this.owner = options.owner ?? randomUUID()
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  /** One pass over every endpoint; `signal` stops claiming (attempts in flight still finish and are recorded). */
  async pass(signal?: AbortSignal): Promise<PassSummary> {
    const summary: PassSummary = {attempts: 0, delivered: 0, retrying: 0, failed: 0, disabled: []}
    const endpoints = await this.queue.activeEndpoints()
    await Promise.all(endpoints.map((endpoint) => this.drain(endpoint.id, endpoint.maxInFlight, summary, signal)))
    return summary
  }

  /**
   * Keeps up to `cap` attempts in flight to one endpoint until none is due. While other deliverers
   * hold the whole cap, it waits for a slot rather than leaving their backlog to them alone.
   */
  private async drain(endpointId: number, cap: number, summary: PassSummary, signal?: AbortSignal): Promise<void> {
    const inFlight = new Set<Promise<void>>()
    let cappedSince: number | undefined
    for (;;) {
      if (!signal?.aborted && inFlight.size < cap) {
        const {claimed, capped} = await this.queue.claimDue({
          endpointId, owner: this.owner, now: this.options.now(), leaseMs: this.leaseMs, limit: cap - inFlight.size,
        })
        if (capped && inFlight.size === 0) {
          // Real time, not the injected clock: slots held by a deliverer that died free up only
          // when its leases lapse, and a pass does not wait that long.
          cappedSince ??= performance.now()
          if (performance.now() - cappedSince > CAPPED_PATIENCE_MS) return
          await new Promise((resolve) => setTimeout(resolve, CAPPED_WAIT_MS))
          continue
        }
        cappedSince = undefined
        for (const delivery of claimed) {
          const attempt: Promise<void> = this.attempt(delivery, summary).then(
            () => {},
            () => {},
          )
          void attempt.finally(() => inFlight.delete(attempt))
          inFlight.add(attempt)
        }
        if (claimed.length > 0) continue
      }
      if (inFlight.size === 0) return
      // Wait for a slot, then claim again: new rows may be due by then.
      await Promise.race(inFlight)
    }
  }

  /**
   * Sends one claimed delivery and records how it went. Never throws: an attempt that cannot be
   * recorded keeps its lease, which lapses, and the delivery is sent again (at least once).
   */
  async attempt(delivery: ClaimedDelivery, summary?: PassSummary, options: {retry?: boolean} = {}): Promise<SendResult> {
    const sentAt = this.options.now()
    const headers = signedHeaders(signingSecrets(delivery, sentAt), delivery.eventId, Math.floor(sentAt / 1000), delivery.body)
    const result = await this.options.send({url: delivery.url, headers, body: delivery.body, timeoutMs: this.timeoutMs})
    const now = this.options.now()
    let verdict = judgeAttempt(result, delivery.attempt, now, this.options.random)
    // A test's answer is the point: it is shown, not retried.
    if (verdict.kind === 'retry' && options.retry === false) verdict = {kind: 'failed', reason: `${verdict.reason} (a test is not retried)`}
    const recorded = await this.queue
      .recordAttempt(
        {
          deliveryId: delivery.id, webhookId: delivery.webhookId, owner: this.owner, attempt: delivery.attempt, attemptedAt: sentAt,
          statusCode: result.status, durationMs: result.durationMs, error: result.error ?? null, response: result.response, verdict,
        },
        now,
      )
      .catch((error: unknown) => {
        this.options.onError?.(error)
        return undefined
      })
    if (summary && recorded) {
      summary.attempts++
      if (verdict.kind === 'delivered') summary.delivered++
      else if (verdict.kind === 'retry') summary.retrying++
      else summary.failed++
      if (recorded.disabled) summary.disabled.push(delivery.webhookId)
    }
    this.options.onAttempt?.({
      deliveryId: delivery.id, webhookId: delivery.webhookId, eventId: delivery.eventId, eventType: delivery.eventType, attempt: delivery.attempt,
      status: result.status, durationMs: result.durationMs, verdict, disabled: recorded?.disabled ?? false,
    })
    return result
  }
}
