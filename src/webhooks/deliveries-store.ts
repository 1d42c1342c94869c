import type {Verdict} from './retry.js'

/**
 * The delivery queue's shapes and the one rule of how an attempt moves a delivery on, shared by
 * both store adapters (src/store/sqlite/webhook-rows.ts, src/store/pg/webhook-queue.ts).
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

/** A delivery a deliverer holds the lease of: everything needed to send its next attempt. */
export interface ClaimedDelivery {
  id: number
  webhookId: number
  eventId: string
  eventType: string
  body: string
  /** The number of the attempt about to be made (1 = the first). */
  attempt: number
  url: string
  secret: string
  previousSecret: string | null
  previousSecretUntil: number | null
}

export interface Claim {
  claimed: ClaimedDelivery[]
  /** Nothing taken because other deliverers hold the endpoint's whole in-flight cap. */
  capped: boolean
}

export interface AttemptRow {
  attempt: number
  attemptedAt: number
  /** HTTP status; null when no answer came. */
  statusCode: number | null
  durationMs: number
  error: string | null
  /** The first few KB of the answer. */
  response: string | null
}

/** One attempt as it went, and what it means (see judgeAttempt). */
export interface AttemptRecord extends AttemptRow {
  deliveryId: number
  webhookId: number
  owner: string
  verdict: Verdict
}

/** What an attempt writes on its delivery row, whichever engine stores it. */
export interface AttemptUpdate {
  status: DeliveryStatus
  attempt: number
  /** A retry's due time; otherwise the attempt's time (pruning reads a delivered row's through the due index). */
  nextAttemptAt: number
  statusCode: number | null
  error: string | null
  attemptedAt: number
  deliveredAt: number | null
  /** The reason an endpoint that answered 410 Gone is disabled with, if it did. */
  disableReason: string | null
}

/** The delivery row's new state after `record` (see judgeAttempt): the rule both store adapters apply. */
export function attemptUpdate(record: AttemptRecord, now: number): AttemptUpdate {
  const {verdict} = record
  return {
    status: verdict.kind === 'delivered' ? 'delivered' : verdict.kind === 'retry' ? 'pending' : 'failed',
    attempt: record.attempt,
    nextAttemptAt: verdict.kind === 'retry' ? verdict.at : record.attemptedAt,
    statusCode: record.statusCode,
    error: verdict.kind === 'delivered' ? null : verdict.reason,
    attemptedAt: record.attemptedAt,
    deliveredAt: verdict.kind === 'delivered' ? now : null,
    disableReason:
      verdict.kind === 'failed' && verdict.disable
        ? `disabled on ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${verdict.disable} to delivery ${record.deliveryId} (re-enable with attend webhooks update ${record.webhookId} --enable)`
        : null,
  }
}

export interface DeliveryRow {
  id: number
  webhookId: number
  eventId: string
  eventType: string
  status: DeliveryStatus
  attempts: number
  nextAttemptAt: number
  lastStatus: number | null
  lastError: string | null
  lastAttemptAt: number | null
  createdAt: number
  deliveredAt: number | null
  /** Held by a deliverer right now (an attempt in flight). */
  leased: boolean
}
