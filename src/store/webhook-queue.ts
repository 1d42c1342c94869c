import type {AttemptRecord, Claim} from '../webhooks/deliveries-store.js'

export type {AttemptRecord, Claim, ClaimedDelivery} from '../webhooks/deliveries-store.js'

/** What a deliverer asks for when it claims (see WebhookQueue.claimDue). */
export interface ClaimRequest {
  endpointId: number
  /** The deliverer's name on the leases. */
  owner: string
  now: number
  leaseMs: number
  /** Rows wanted at most (the deliverer's free slots). */
  limit: number
}

/**
 * The webhook delivery queue as the deliverer and its upkeep see it: the first section of the asynchronous store
 * port (docs/architecture.md, "The store port"). Every operation is a whole unit of work, committed
 * when its promise resolves; each engine's adapter decides how (SQLite: through the group commit of
 * the process; PostgreSQL: one short transaction on a pooled connection).
 */
export interface WebhookQueue {
  /** The endpoints that may be sent to, by id, with their in-flight caps. */
  activeEndpoints(): Promise<{id: number; maxInFlight: number}[]>
  /** Whether any active endpoint has a delivery due and not leased (a read: an idle deliverer writes nothing). */
  hasDue(now: number): Promise<boolean>
  /**
   * Leases up to `limit` due deliveries of one endpoint, oldest due first, never beyond the
   * endpoint's in-flight cap counted over every holder's unexpired leases, and never a row another
   * holder's unexpired lease covers: with any number of deliverers in any number of processes, an
   * attempt is made by one of them. An expired lease is taken over (its holder died): at least once.
   */
  claimDue(request: ClaimRequest): Promise<Claim>
  /**
   * Logs the attempt and moves its delivery on (delivered, due again, failed) if `record.owner`
   * still holds the lease; a 410 disables the endpoint. Returns whether this attempt disabled it.
   */
  recordAttempt(record: AttemptRecord, now: number): Promise<{disabled: boolean}>
  /**
   * Deletes up to `limit` deliveries delivered before `before`, their attempts, and the events left
   * without a delivery. Returns how many deliveries went; callers repeat while it returns `limit`,
   * each batch a short unit of work.
   */
  pruneDelivered(before: number, limit: number): Promise<number>
  /**
   * Calls `listener` (after the commit) whenever this process queues deliveries, so a deliverer
   * sends at once instead of at its next poll; returns the unsubscribe. Absent where the engine
   * cannot tell: the deliverer then polls.
   */
  onQueued?(listener: () => void): () => void
}
