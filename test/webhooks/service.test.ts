import {describe, expect, it} from 'vitest'

import type {Sender} from '../../src/webhooks/sender.js'
import {
  addWebhook,
  deliverOnce,
  listDeliveries,
  listWebhooks,
  parseSince,
  recover,
  redeliver,
  removeWebhook,
  rotateSecret,
  showDelivery,
  showWebhook,
  testWebhook,
  updateWebhook,
} from '../../src/webhooks/service.js'
import {describeEngines, type EngineStore} from '../helpers/engines.js'

const T = Date.parse('2026-03-12T09:00:00Z')
const H = 3_600_000

/**
 * The receiver's answers without HTTP: these tests are about the store's bookkeeping; the HTTP path
 * is tested against a real receiver (deliverer.test.ts).
 */
const answering = (status: (body: string) => number): Sender => async (request) => ({status: status(request.body), durationMs: 1, response: null})

/** Queues `names` as user.created events for endpoint 1, as the outbox does: statements both engines take. */
async function queue(store: EngineStore, names: readonly string[], at: number): Promise<void> {
  for (const name of names) {
    await store.exec(`INSERT INTO webhook_events (event_id, type, created_at, body) VALUES ('evt_${name}', 'user.created', ${at}, '{"id":"evt_${name}","data":{"name":"${name}"}}')`)
    await store.exec(
      `INSERT INTO webhook_deliveries (webhook_id, event, status, attempts, next_attempt_at, created_at)
       SELECT 1, id, 'pending', 0, ${at}, ${at} FROM webhook_events WHERE event_id = 'evt_${name}'`,
    )
  }
}

const count = async (store: EngineStore, sql: string) => Number((await store.all<{n: number | string}>(sql))[0].n)

describeEngines(
  'webhook administration',
  (store) => {
    const add = (events = 'user.created') => addWebhook(store().port, {url: 'https://payroll.example.com/hooks', events, description: 'Payroll'}, T)

    it('adds, lists, updates, disables and removes an endpoint, counting its deliveries', async () => {
      const {webhook, secret} = await add('user.created,attendance.created')
      expect(secret).toMatch(/^whsec_/)
      expect(webhook).toMatchObject({id: 1, url: 'https://payroll.example.com/hooks', events: ['attendance.created', 'user.created'], active: true, maxInFlight: 4, pending: 0})
      await queue(store(), ['a', 'b'], T)

      expect(await listWebhooks(store().port, T)).toMatchObject([{id: 1, pending: 2, failed: 0, delivered: 0, lastDeliveredAt: null}])
      const updated = await updateWebhook(store().port, 1, {url: 'https://erp.example.com/in', maxInFlight: 8, description: ''}, T + H)
      expect(updated).toMatchObject({url: 'https://erp.example.com/in', maxInFlight: 8, description: null, updatedAt: T + H, pending: 2})
      const disabled = await updateWebhook(store().port, 1, {enabled: false}, T + H)
      expect(disabled).toMatchObject({active: false, disabledReason: 'disabled by an admin on 2026-03-12 10:00 UTC'})
      expect((await updateWebhook(store().port, 1, {enabled: true}, T + H)).disabledReason).toBeNull()

      const removed = await removeWebhook(store().port, 1, T + H)
      expect(removed).toMatchObject({webhook: {id: 1, pending: 2}, deliveries: 2})
      expect(await listWebhooks(store().port, T)).toEqual([])
      expect(await count(store(), 'SELECT count(*) AS n FROM webhook_events')).toBe(0)
    })

    it('rotates the secret: the old one keeps signing for the grace period', async () => {
      const {secret} = await add()
      const rotated = await rotateSecret(store().port, 1, {graceMinutes: 60}, T)
      expect(rotated.secret).not.toBe(secret)
      expect(rotated).toMatchObject({previousValidUntil: T + H, webhook: {previousSecretUntil: T + H}})
      const [row] = await store().all<{secret: string; previous_secret: string}>('SELECT secret, previous_secret FROM webhooks')
      expect(row).toEqual({secret: rotated.secret, previous_secret: secret})
    })

    it('answers an unknown endpoint or delivery with one sentence', async () => {
      await expect(showWebhook(store().port, 7, T)).rejects.toThrow('No webhook with id 7: see attend webhooks list.')
      await expect(updateWebhook(store().port, 7, {enabled: true}, T)).rejects.toThrow('No webhook with id 7')
      await expect(removeWebhook(store().port, 7, T)).rejects.toThrow('No webhook with id 7')
      await expect(rotateSecret(store().port, 7, {}, T)).rejects.toThrow('No webhook with id 7')
      await expect(recover(store().port, 7, '1d', T)).rejects.toThrow('No webhook with id 7')
      await expect(listDeliveries(store().port, {webhookId: 7}, T)).rejects.toThrow('No webhook with id 7')
      await expect(showDelivery(store().port, 9, T)).rejects.toThrow('No webhook delivery with id 9: see attend webhooks deliveries.')
      await expect(redeliver(store().port, 9, T)).rejects.toThrow('No webhook delivery with id 9')
      await expect(updateWebhook(store().port, 1, {}, T)).rejects.toThrow('Nothing to update')
    })

    it('sends a test ping to one endpoint, disabled or not, and logs it as a delivery with its attempt', async () => {
      await add()
      await updateWebhook(store().port, 1, {enabled: false}, T)
      const sent: string[] = []
      const result = await testWebhook(store().port, 1, {now: () => T, send: async (request) => (sent.push(request.body), {status: 204, durationMs: 3, response: null})})
      expect(result).toMatchObject({webhookId: 1, deliveryId: 1, status: 204, delivered: true})
      expect(JSON.parse(sent[0])).toMatchObject({type: 'webhook.ping', data: {webhook_id: 1}})
      const detail = await showDelivery(store().port, result.deliveryId, T)
      expect(detail).toMatchObject({status: 'delivered', attempts: 1, eventType: 'webhook.ping', leased: false, url: 'https://payroll.example.com/hooks'})
      expect(detail.attemptLog).toEqual([{attempt: 1, attemptedAt: T, statusCode: 204, durationMs: 3, error: null, response: null}])

      // A failed test is not retried.
      const failed = await testWebhook(store().port, 1, {now: () => T, send: answering(() => 500)})
      expect(failed.delivered).toBe(false)
      expect(await showDelivery(store().port, failed.deliveryId, T)).toMatchObject({status: 'failed', lastStatus: 500})
    })

    it('lists deliveries newest first, a page at a time, the failed ones alone', async () => {
      await add()
      await queue(store(), ['a', 'b', 'c'], T)
      await deliverOnce(store().port, {now: () => T, send: answering((body) => (body.includes('"b"') ? 400 : 200))})
      const page = await listDeliveries(store().port, {limit: 2}, T)
      expect(page).toMatchObject({total: 3, offset: 0, limit: 2})
      expect(page.rows.map((d) => [d.id, d.status, d.url])).toEqual([
        [3, 'delivered', 'https://payroll.example.com/hooks'],
        [2, 'failed', 'https://payroll.example.com/hooks'],
      ])
      const failed = await listDeliveries(store().port, {failed: true, webhookId: 1}, T)
      expect(failed.rows.map((d) => [d.eventId, d.lastStatus, d.lastError])).toEqual([['evt_b', 400, 'answered 400: not retried (only network errors, 5xx, 408 and 429 are)']])
    })

    it('deletes deliveries delivered before the retention with their attempts and events, and keeps failed and pending ones', async () => {
      await store().exec(`UPDATE settings SET value = '120' WHERE key = 'webhookRetentionMinutes'`)
      await store().exec(`INSERT INTO settings (key, value, updated_at) SELECT 'webhookRetentionMinutes', '120', ${T} WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'webhookRetentionMinutes')`)
      await add()
      await queue(store(), ['delivered', 'refused'], T)
      const first = await deliverOnce(store().port, {now: () => T, send: answering((body) => (body.includes('refused') ? 400 : 200))})
      expect(first).toMatchObject({delivered: 1, failed: 1, pruned: 0})
      await queue(store(), ['later'], T + H)
      await deliverOnce(store().port, {now: () => T + H, send: answering(() => 500)})

      // Three hours on, only the one delivered at T is past the 2 h retention.
      const later = await deliverOnce(store().port, {now: () => T + 3 * H, send: answering(() => 500)})
      expect(later.pruned).toBe(1)
      expect((await listDeliveries(store().port, {}, T + 3 * H)).rows.map((d) => d.status).sort()).toEqual(['failed', 'pending'])
      expect(await count(store(), 'SELECT count(*) AS n FROM webhook_events')).toBe(2)
      expect(await count(store(), 'SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = 1')).toBe(0)
      expect(await count(store(), 'SELECT count(*) AS n FROM webhook_attempts')).toBeGreaterThan(0)
    })

    it('re-queues with a fresh schedule, keeping the event id and body; never while an attempt is in flight', async () => {
      await add()
      await queue(store(), ['early'], T)
      await queue(store(), ['late'], T + 2 * H)
      await deliverOnce(store().port, {now: () => T + 2 * H, send: answering(() => 404)})
      const before = (await listDeliveries(store().port, {}, T)).rows
      expect(before.map((d) => [d.status, d.attempts])).toEqual([
        ['failed', 1],
        ['failed', 1],
      ])

      // Site-local times: 15:00 in Nairobi is after both; 13:00 is after the first only.
      expect((await recover(store().port, 1, '2026-03-12 15:00', T + 3 * H)).requeued).toBe(0)
      expect((await recover(store().port, 1, '2026-03-12 13:00', T + 3 * H)).requeued).toBe(1)
      const requeued = await redeliver(store().port, 1, T + 3 * H)
      expect(requeued).toMatchObject({id: 1, status: 'pending', attempts: 0, nextAttemptAt: T + 3 * H, eventId: 'evt_early', url: 'https://payroll.example.com/hooks'})
      const seen: string[] = []
      await deliverOnce(store().port, {now: () => T + 3 * H, send: async (request) => (seen.push(request.headers['webhook-id']), {status: 204, durationMs: 1, response: null})})
      expect(seen.sort()).toEqual(['evt_early', 'evt_late'])

      await store().exec(`UPDATE webhook_deliveries SET lease_owner = 'other', lease_until = ${T + 4 * H} WHERE id = 2`)
      await expect(redeliver(store().port, 2, T + 3 * H)).rejects.toThrow('Delivery 2 is being sent right now; wait for the attempt to finish.')
    })
  },
  {timezone: 'Africa/Nairobi'},
)

describe('--since', () => {
  it('reads a date, a local time, an instant or a span ago', () => {
    const zone = 'Africa/Nairobi'
    expect(parseSince('2026-03-12', zone, T)).toBe(Date.parse('2026-03-11T21:00:00Z'))
    expect(parseSince('2026-03-12 08:00', zone, T)).toBe(Date.parse('2026-03-12T05:00:00Z'))
    expect(parseSince('2026-03-12T08:00:00Z', zone, T)).toBe(Date.parse('2026-03-12T08:00:00Z'))
    expect(parseSince('2d', zone, T)).toBe(T - 48 * H)
    expect(parseSince('90m', zone, T)).toBe(T - 1.5 * H)
    expect(() => parseSince('yesterday', zone, T)).toThrow('Invalid --since "yesterday"')
  })
})
