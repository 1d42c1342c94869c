import {NotFoundError, UsageError} from '../errors.js'
import {quote} from '../formats/input-policy.js'
import {pageRequest, type Page, type Paging} from '../listing/page.js'
import type {AttendStore} from '../store/port.js'
import type {WebhookQueue} from '../store/webhook-queue.js'
import type {EndpointCounts, EndpointWithCounts, WebhookEndpoint, WebhookEndpointPatch} from '../store/webhooks.js'
import {parseTimestamp, resolveWallClock, startOfLocalDate} from '../time/parse.js'
import type {AttemptRow, DeliveryRow, DeliveryStatus} from './deliveries-store.js'
import {Deliverer, DEFAULT_LEASE_MS, type PassSummary} from './deliverer.js'
import {buildEvent, parseEventTypes, PING_EVENT, type WebhookEventType} from './events.js'
import type {Sender} from './sender.js'
import {generateSecret, parseSecret} from './signing.js'

/** A webhook endpoint as admins see it: never its secret. */
export interface WebhookView {
  id: number
  url: string
  description: string | null
  events: WebhookEventType[]
  active: boolean
  /** Why it is disabled (by an admin, or by a 410 Gone answer); null when active. */
  disabledReason: string | null
  maxInFlight: number
  /** Until when the previous secret still signs (after rotate-secret); null when none does. */
  previousSecretUntil: number | null
  pending: number
  failed: number
  delivered: number
  lastDeliveredAt: number | null
  createdAt: number
  updatedAt: number
}

export interface WebhookInput {
  url: string
  events: string
  secret?: string
  description?: string
  maxInFlight?: number
}

export interface WebhookPatch {
  url?: string
  events?: string
  description?: string | null
  /** true: re-enable (clears the reason it was disabled); false: disable. */
  enabled?: boolean
  maxInFlight?: number
}

const NO_COUNTS: EndpointCounts = {pending: 0, failed: 0, delivered: 0, lastDeliveredAt: null}

function toView(row: WebhookEndpoint, counts: EndpointCounts = NO_COUNTS, now = Date.now()): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as WebhookEventType[],
    active: row.active,
    disabledReason: row.active ? null : (row.disabledReason ?? 'disabled by an admin'),
    maxInFlight: row.maxInFlight,
    previousSecretUntil: row.previousSecret && row.previousSecretUntil !== null && row.previousSecretUntil > now ? row.previousSecretUntil : null,
    pending: counts.pending,
    failed: counts.failed,
    delivered: counts.delivered,
    lastDeliveredAt: counts.lastDeliveredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** An endpoint URL: absolute http(s), at most 2000 characters. */
export function validateUrl(value: string): string {
  const text = value.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`Invalid webhook URL ${quote(value)}: expected an absolute http:// or https:// URL such as https://payroll.example.com/hooks/attend.`, 'invalid_url')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`Invalid webhook URL ${quote(value)}: the scheme must be https:// or http://, not ${url.protocol.replace(':', '')}.`, 'invalid_url')
  }
  if (text.length > 2000) throw new UsageError(`Invalid webhook URL: it is ${text.length} characters long, the limit is 2000.`, 'invalid_url')
  return url.toString()
}

function validateMaxInFlight(value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 1 || value > 64) throw new UsageError(`Invalid --max-in-flight ${value}: expected a whole number from 1 to 64.`, 'invalid_max_in_flight')
  return value
}

function noSuchEndpoint(id: number): NotFoundError {
  return new NotFoundError(`No webhook with id ${id}: see attend webhooks list.`)
}

function noSuchDelivery(id: number): NotFoundError {
  return new NotFoundError(`No webhook delivery with id ${id}: see attend webhooks deliveries.`)
}

function found(id: number, found: EndpointWithCounts | undefined, now: number): WebhookView {
  if (!found) throw noSuchEndpoint(id)
  return toView(found.endpoint, found.counts, now)
}

/** `webhooks add`: validates first (a typo never opens the store); the secret is returned once. */
export async function addWebhook(store: AttendStore, input: WebhookInput, now: number): Promise<{webhook: WebhookView; secret: string}> {
  const url = validateUrl(input.url)
  const events = parseEventTypes(input.events)
  const secret = input.secret === undefined ? generateSecret() : parseSecret(input.secret)
  const maxInFlight = validateMaxInFlight(input.maxInFlight)
  const row = await store.webhooks.addEndpoint({
    url, events: JSON.stringify(events), secret, description: input.description?.trim() || null, active: true,
    ...(maxInFlight === undefined ? {} : {maxInFlight}), createdAt: now, updatedAt: now,
  })
  return {webhook: toView(row, NO_COUNTS, now), secret}
}

export async function listWebhooks(store: AttendStore, now: number): Promise<WebhookView[]> {
  return (await store.webhooks.listEndpoints()).map(({endpoint, counts}) => toView(endpoint, counts, now))
}

export async function showWebhook(store: AttendStore, id: number, now: number): Promise<WebhookView> {
  return found(id, await store.webhooks.findEndpoint(id), now)
}

export async function updateWebhook(store: AttendStore, id: number, patch: WebhookPatch, now: number): Promise<WebhookView> {
  const values: WebhookEndpointPatch = {}
  if (patch.url !== undefined) values.url = validateUrl(patch.url)
  if (patch.events !== undefined) values.events = JSON.stringify(parseEventTypes(patch.events))
  if (patch.description !== undefined) values.description = patch.description?.trim() || null
  if (patch.maxInFlight !== undefined) values.maxInFlight = validateMaxInFlight(patch.maxInFlight)
  if (patch.enabled !== undefined) {
    values.active = patch.enabled
    values.disabledReason = patch.enabled ? null : `disabled by an admin on ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`
  }
  if (Object.keys(values).length === 0) throw new UsageError('Nothing to update: pass at least one of --url, --events, --description, --enable/--disable, --max-in-flight.')
  return found(id, await store.webhooks.updateEndpoint(id, {...values, updatedAt: now}), now)
}

export async function removeWebhook(store: AttendStore, id: number, now: number): Promise<{webhook: WebhookView; deliveries: number}> {
  const result = await store.webhooks.removeEndpoint(id)
  if (!result) throw noSuchEndpoint(id)
  return {webhook: toView(result.removed.endpoint, result.removed.counts, now), deliveries: result.deliveries}
}

/** The grace period of a rotated-out secret unless given: a day, time to deploy the new one. */
export const DEFAULT_ROTATION_GRACE_MINUTES = 24 * 60

/**
 * A new secret, returned once; the old one keeps signing (both signatures are sent) for the grace
 * period, so receivers can switch at their pace without rejecting a single event.
 */
export async function rotateSecret(
  store: AttendStore,
  id: number,
  options: {graceMinutes?: number},
  now: number,
): Promise<{webhook: WebhookView; secret: string; previousValidUntil: number}> {
  const grace = options.graceMinutes ?? DEFAULT_ROTATION_GRACE_MINUTES
  if (!Number.isInteger(grace) || grace < 0 || grace > 30 * 24 * 60) throw new UsageError(`Invalid --grace ${grace}: expected minutes from 0 to 43200 (30 days).`, 'invalid_grace')
  const secret = generateSecret()
  const previousValidUntil = now + grace * 60_000
  return {webhook: found(id, await store.webhooks.rotateSecret(id, secret, previousValidUntil, now), now), secret, previousValidUntil}
}

export interface TestResult {
  webhookId: number
  url: string
  deliveryId: number
  eventId: string
  status: number | null
  durationMs: number
  error: string | null
  response: string | null
  delivered: boolean
}

/**
 * `webhooks test`: a `webhook.ping` event sent now to this endpoint alone (active or not), signed
 * like any other, logged as a delivery with its attempt. Not retried: the answer is the point.
 */
export async function testWebhook(store: AttendStore, id: number, options: {now: () => number; send: Sender}): Promise<TestResult> {
  const endpoint = (await store.webhooks.findEndpoint(id))?.endpoint
  if (!endpoint) throw noSuchEndpoint(id)
  const now = options.now()
  const event = buildEvent({type: PING_EVENT, createdAt: now, data: {webhook_id: endpoint.id, message: 'A test event from attend webhooks test.'}})
  const deliverer = new Deliverer(store.webhookQueue, {send: options.send, now: options.now, random: () => 0.5, owner: `test-${event.id}`})
  const deliveryId = await store.webhooks.queueClaimedEvent(event, endpoint.id, deliverer.owner, now, DEFAULT_LEASE_MS)
  const result = await deliverer.attempt(
    {
      id: deliveryId, webhookId: endpoint.id, eventId: event.id, eventType: event.type, body: event.body, attempt: 1,
      url: endpoint.url, secret: endpoint.secret, previousSecret: endpoint.previousSecret, previousSecretUntil: endpoint.previousSecretUntil,
    },
    undefined,
    {retry: false},
  )
  const delivered = result.status !== null && result.status >= 200 && result.status < 300
  return {
    webhookId: endpoint.id, url: endpoint.url, deliveryId, eventId: event.id, status: result.status, durationMs: result.durationMs,
    error: result.error ?? null, response: result.response, delivered,
  }
}

export interface DeliverSummary extends PassSummary {
  /** Devices announced offline by the presence check that runs first. */
  wentOffline: number
  /** Delivered deliveries deleted after the retention period. */
  pruned: number
}

/** Deleted per transaction when pruning, so a long backlog never holds the write lock for long. */
const PRUNE_BATCH = 1000

/**
 * `attend webhooks deliver` (cron, no server): announces devices whose window ran out as
 * offline, sends everything due once, and prunes deliveries past their retention. On either engine.
 */
export async function deliverOnce(store: AttendStore, options: {now: () => number; send: Sender; random?: () => number}): Promise<DeliverSummary> {
  const settings = await store.siteSettings.read()
  const wentOffline = await store.devicePresence.sweep(options.now(), settings.deviceOfflineAfterMinutes * 60_000)
  const pass = await new Deliverer(store.webhookQueue, {send: options.send, now: options.now, random: options.random}).pass()
  const pruned = await pruneOld(store.webhookQueue, settings.webhookRetentionMinutes * 60_000, options.now())
  return {...pass, wentOffline, pruned}
}

/** Deletes delivered rows older than `retentionMs`, a batch per unit of work. */
export async function pruneOld(queue: WebhookQueue, retentionMs: number, now: number): Promise<number> {
  const before = now - retentionMs
  let pruned = 0
  for (;;) {
    const n = await queue.pruneDelivered(before, PRUNE_BATCH)
    pruned += n
    if (n < PRUNE_BATCH) return pruned
  }
}

export interface DeliveryView extends DeliveryRow {
  url: string
}

/** `webhooks deliveries`: newest first, 50 to a page unless `limit` says otherwise. */
export async function listDeliveries(
  store: AttendStore,
  filter: {webhookId?: number; failed?: boolean} & Paging,
  now: number,
): Promise<Page & {rows: DeliveryView[]}> {
  if (filter.webhookId !== undefined && !(await store.webhooks.findEndpoint(filter.webhookId))) throw noSuchEndpoint(filter.webhookId)
  const page = pageRequest(filter, 50)
  const status: DeliveryStatus | undefined = filter.failed ? 'failed' : undefined
  const {total, rows} = await store.webhooks.listDeliveries({webhookId: filter.webhookId, status, limit: page.limit ?? undefined, offset: page.offset}, now)
  return {total, ...page, rows}
}

export interface DeliveryDetail extends DeliveryView {
  body: string
  /** Every attempt, oldest first. */
  attemptLog: AttemptRow[]
}

export async function showDelivery(store: AttendStore, id: number, now: number): Promise<DeliveryDetail> {
  const row = await store.webhooks.findDelivery(id, now)
  if (!row) throw noSuchDelivery(id)
  return row
}

/** `webhooks redeliver ID`: the delivery is due again now with a fresh schedule (same event id). */
export async function redeliver(store: AttendStore, id: number, now: number): Promise<DeliveryView> {
  const result = await store.webhooks.redeliver(id, now)
  if (result === 'missing') throw noSuchDelivery(id)
  if (result === 'in_flight') throw new UsageError(`Delivery ${id} is being sent right now; wait for the attempt to finish.`, 'delivery_in_flight')
  return result
}

const AGO_UNITS: Record<string, number> = {m: 60_000, h: 3_600_000, d: 86_400_000}

/**
 * `--since`: a date (`2026-03-12`, from its start in the site zone), a site-local time
 * (`2026-03-12 08:00`), an instant with an offset (`2026-03-12T08:00:00Z`), or a span ago (`2d`, `12h`).
 */
export function parseSince(text: string, zone: string, now: number): number {
  const value = text.trim()
  const ago = /^(\d{1,5})\s*([mhd])$/i.exec(value)
  if (ago) return now - Number(ago[1]) * AGO_UNITS[ago[2].toLowerCase()]
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return startOfLocalDate(value, zone)
    const time = parseTimestamp(value)
    return time.kind === 'instant' ? time.ms : resolveWallClock(time.local, zone)
  } catch {
    throw new UsageError(`Invalid --since ${quote(text)}: expected a date (2026-03-12), a local time (2026-03-12 08:00), an ISO instant, or a span ago such as 2d or 12h.`, 'invalid_since')
  }
}

/** `webhooks recover ID --since TIME`: every failed delivery of the endpoint since then is due again now. */
export async function recover(
  store: AttendStore,
  id: number,
  sinceText: string,
  now: number,
): Promise<{webhook: WebhookView; since: number; requeued: number}> {
  const {timezone} = await store.siteSettings.read()
  const since = parseSince(sinceText, timezone, now)
  const requeued = await store.webhooks.requeueFailed(id, since, now)
  if (requeued === undefined) throw noSuchEndpoint(id)
  return {webhook: await showWebhook(store, id, now), since, requeued}
}
