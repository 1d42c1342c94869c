import {formatLocal} from '../devices/format.js'
import {renderTable} from '../render/table.js'
import {formatInZone} from '../time/parse.js'
import type {AttemptRow} from './deliveries-store.js'
import type {DeliveryDetail, DeliveryView, WebhookView} from './service.js'

/** How the webhooks commands print endpoints and deliveries (times in the site zone). */

export function describeEndpoint(webhook: WebhookView): string {
  const state = webhook.active ? 'active' : webhook.disabledReason ?? 'disabled'
  return `Webhook ${webhook.id}: ${webhook.url} (${state}); events ${webhook.events.join(', ')}; at most ${webhook.maxInFlight} requests in flight.`
}

export function webhooksTable(webhooks: readonly WebhookView[], zone: string): string {
  return renderTable(webhooks, [
    {header: 'ID', get: (w) => w.id, align: 'right'},
    {header: 'URL', get: (w) => w.url},
    {header: 'Events', get: (w) => w.events.join(',')},
    {header: 'Status', get: (w) => (w.active ? 'active' : 'disabled')},
    {header: 'Pending', get: (w) => w.pending, align: 'right'},
    {header: 'Failed', get: (w) => w.failed, align: 'right'},
    {header: 'Delivered', get: (w) => w.delivered, align: 'right'},
    {header: `Last delivery (${zone})`, get: (w) => formatLocal(w.lastDeliveredAt, zone) ?? 'never'},
  ])
}

/** The reasons of disabled endpoints, under the table. */
export function disabledNotes(webhooks: readonly WebhookView[]): string[] {
  return webhooks.filter((w) => !w.active).map((w) => `Webhook ${w.id}: ${w.disabledReason}.`)
}

function lastOutcome(d: DeliveryView): string {
  if (d.status === 'delivered') return d.lastStatus === null ? 'delivered' : `${d.lastStatus}`
  if (d.lastError) return d.lastError
  return d.leased ? 'sending now' : 'not tried yet'
}

export function deliveriesTable(deliveries: readonly DeliveryView[], zone: string): string {
  return renderTable(deliveries, [
    {header: 'ID', get: (d) => d.id, align: 'right'},
    {header: 'Webhook', get: (d) => d.webhookId, align: 'right'},
    {header: 'Event', get: (d) => d.eventId},
    {header: 'Type', get: (d) => d.eventType},
    {header: 'Status', get: (d) => d.status},
    {header: 'Attempts', get: (d) => d.attempts, align: 'right'},
    {header: `Next attempt (${zone})`, get: (d) => (d.status === 'pending' ? formatInZone(d.nextAttemptAt, zone) : null)},
    {header: 'Last answer', get: (d) => lastOutcome(d).slice(0, 60)},
  ])
}

export function deliveryDetail(d: DeliveryDetail, zone: string): string[] {
  const lines = [
    `Delivery ${d.id} of ${d.eventId} (${d.eventType}) to webhook ${d.webhookId}, ${d.url}`,
    `Status: ${d.status}${d.status === 'pending' ? `, next attempt ${formatInZone(d.nextAttemptAt, zone)}` : ''}; ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`,
    `Body: ${d.body.length > 300 ? `${d.body.slice(0, 300)}…` : d.body}`,
  ]
  if (d.attemptLog.length > 0) {
    lines.push('', attemptsTable(d.attemptLog, zone))
  }
  return lines
}

function attemptsTable(attempts: readonly AttemptRow[], zone: string): string {
  return renderTable(attempts, [
    {header: 'Attempt', get: (a) => a.attempt, align: 'right'},
    {header: `At (${zone})`, get: (a) => formatInZone(a.attemptedAt, zone)},
    {header: 'Status', get: (a) => a.statusCode},
    {header: 'ms', get: (a) => a.durationMs, align: 'right'},
    {header: 'Error', get: (a) => a.error},
    {header: 'Answer', get: (a) => (a.response ? a.response.slice(0, 60) : null)},
  ])
}
