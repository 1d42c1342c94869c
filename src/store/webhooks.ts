import type {AttemptRow, DeliveryRow, DeliveryStatus} from '../webhooks/deliveries-store.js'
import type {WebhookEvent} from '../webhooks/events.js'

export type {AttemptRow, DeliveryRow, DeliveryStatus} from '../webhooks/deliveries-store.js'

/** An endpoint's row as stored (`events`: its JSON array of event types). */
export interface WebhookEndpoint {
  id: number
  url: string
  description: string | null
  events: string
  secret: string
  previousSecret: string | null
  previousSecretUntil: number | null
  active: boolean
  disabledReason: string | null
  maxInFlight: number
  createdAt: number
  updatedAt: number
}

export type NewWebhookEndpoint = Omit<WebhookEndpoint, 'id' | 'previousSecret' | 'previousSecretUntil' | 'disabledReason' | 'maxInFlight'> &
  Partial<Pick<WebhookEndpoint, 'maxInFlight'>>

export type WebhookEndpointPatch = Partial<Omit<WebhookEndpoint, 'id' | 'createdAt'>>

/** An endpoint's deliveries by status, as listings show them. */
export interface EndpointCounts {
  pending: number
  failed: number
  delivered: number
  lastDeliveredAt: number | null
}

export interface EndpointWithCounts {
  endpoint: WebhookEndpoint
  counts: EndpointCounts
}

export interface DeliveryFilter {
  webhookId?: number
  status?: DeliveryStatus
  /** Rows at most; undefined: all. */
  limit?: number
  offset?: number
}

export interface DeliveryDetailRow extends DeliveryRow {
  body: string
  url: string
  /** Every attempt, oldest first. */
  attemptLog: AttemptRow[]
}

/** Why re-queueing one delivery did nothing. */
export type RedeliverRefusal = 'missing' | 'in_flight'

/**
 * Webhook administration (`attend webhooks add/list/update/remove/rotate-secret/test/deliveries/
 * redeliver/recover`): a section of the store port (docs/architecture.md, "The store port"). The
 * deliverer's view of the same tables is the `webhookQueue` section. Every operation is one unit of
 * work; an operation on an endpoint or delivery that does not exist answers undefined (or
 * 'missing'), and the service words the error.
 */
export interface WebhooksSection {
  addEndpoint(values: NewWebhookEndpoint): Promise<WebhookEndpoint>
  /** Every endpoint, by id, with its deliveries' counts. */
  listEndpoints(): Promise<EndpointWithCounts[]>
  findEndpoint(id: number): Promise<EndpointWithCounts | undefined>
  /** Changes the given columns of an endpoint (`updatedAt` among them). */
  updateEndpoint(id: number, patch: WebhookEndpointPatch): Promise<EndpointWithCounts | undefined>
  /**
   * A new signing secret; the current one becomes the previous secret, still signing until
   * `previousUntil`. One unit of work, so two rotations never lose a secret between them.
   */
  rotateSecret(id: number, secret: string, previousUntil: number, now: number): Promise<EndpointWithCounts | undefined>
  /** Deletes an endpoint with its deliveries, their attempts, and the events no other endpoint still has. */
  removeEndpoint(id: number): Promise<{removed: EndpointWithCounts; deliveries: number} | undefined>
  /** Deliveries newest first, one page of them, and how many match in all. */
  listDeliveries(filter: DeliveryFilter, now: number): Promise<{total: number; rows: (DeliveryRow & {url: string})[]}>
  /** One delivery with its body, its endpoint's URL and every attempt. */
  findDelivery(id: number, now: number): Promise<DeliveryDetailRow | undefined>
  /**
   * Due again now with a fresh schedule (the same event, so the same id and body); refused while an
   * attempt is in flight, whose outcome is still to be recorded.
   */
  redeliver(id: number, now: number): Promise<(DeliveryRow & {url: string}) | RedeliverRefusal>
  /** Failed deliveries of an endpoint created since `since` become due again now; how many. Undefined: no such endpoint. */
  requeueFailed(webhookId: number, since: number, now: number): Promise<number | undefined>
  /**
   * `attend webhooks test`: `event` queued for this endpoint alone (active or not) and leased at once
   * by `owner`, so no deliverer sends it too. Returns the delivery's id.
   */
  queueClaimedEvent(event: WebhookEvent, webhookId: number, owner: string, now: number, leaseMs: number): Promise<number>
}
