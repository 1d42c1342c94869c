import {describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {pgWebhookQueue} from '../../src/store/pg/webhook-queue.js'
import {sqliteWebhookQueue} from '../../src/store/sqlite/webhook-queue.js'
import type {AttemptRecord, WebhookQueue} from '../../src/store/webhook-queue.js'
import {Deliverer} from '../../src/webhooks/deliverer.js'
import type {Verdict} from '../../src/webhooks/retry.js'
import {httpSender} from '../../src/webhooks/sender.js'
import {describePg} from '../helpers/pg.js'
import {Receiver} from '../webhooks/receiver.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: its queue, a second process's queue on the same store, and raw SQL. */
interface Engine {
  queue: WebhookQueue
  /** The queue of another process on the same store (its own connections). */
  other: WebhookQueue
  exec(sql: string): Promise<void>
  all<T>(sql: string): Promise<T[]>
}

interface DeliveryState {
  id: number
  status: string
  attempts: number
  nextAttemptAt: number
  leaseOwner: string | null
  leaseUntil: number | null
  lastStatus: number | null
  lastError: string | null
  deliveredAt: number | null
}

const NOW = 1_773_302_400_000
const LEASE = 60_000

/**
 * Endpoint 1 (active, cap `cap`) with a delivery per entry of `due` (its next_attempt_at; an
 * attempt count with it), endpoint 2 inactive with one due delivery. Plain SQL both engines take.
 */
async function seed(engine: Engine, due: Array<number | [number, number]>, cap = 3): Promise<void> {
  await engine.exec(
    `INSERT INTO webhooks (id, url, events, secret, previous_secret, previous_secret_until, active, max_in_flight, created_at, updated_at) VALUES
       (1, 'https://payroll.example/hooks', '["*"]', 'whsec_new', 'whsec_old', ${NOW + 3_600_000}, true, ${cap}, 1, 1),
       (2, 'https://gone.example/hooks', '["*"]', 'whsec_b', NULL, NULL, false, 4, 1, 1)`,
  )
  const rows = [...due.map((d) => (Array.isArray(d) ? d : [d, 0])), [NOW - 1, 0]]
  await engine.exec(
    `INSERT INTO webhook_events (id, event_id, type, created_at, body) VALUES ${rows.map((_, i) => `(${i + 1}, 'evt_${i + 1}', 'attendance.created', 1, '{"n":${i + 1}}')`).join(', ')}`,
  )
  await engine.exec(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, attempts, next_attempt_at, created_at) VALUES ${rows
      .map(([at, attempts], i) => `(${i + 1}, ${i === rows.length - 1 ? 2 : 1}, ${i + 1}, ${attempts}, ${at}, 1)`)
      .join(', ')}`,
  )
}

const deliveries = (engine: Engine) =>
  engine.all<DeliveryState>(
    `SELECT id, status, attempts, next_attempt_at AS "nextAttemptAt", lease_owner AS "leaseOwner", lease_until AS "leaseUntil",
       last_status AS "lastStatus", last_error AS "lastError", delivered_at AS "deliveredAt"
     FROM webhook_deliveries WHERE webhook_id = 1 ORDER BY id`,
  )

function record(deliveryId: number, owner: string, verdict: Verdict, attempt = 1): AttemptRecord {
  return {
    deliveryId, webhookId: 1, owner, attempt, attemptedAt: NOW + 10, statusCode: verdict.kind === 'delivered' ? 200 : 503,
    durationMs: 12, error: null, response: '{"ok":true}', verdict,
  }
}

const claim = (queue: WebhookQueue, owner: string, limit: number, now = NOW) => queue.claimDue({endpointId: 1, owner, now, leaseMs: LEASE, limit})

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function webhookQueueContract(engine: () => Engine): void {
  it('lists the active endpoints with their caps', async () => {
    await seed(engine(), [NOW])
    expect(await engine().queue.activeEndpoints()).toEqual([{id: 1, maxInFlight: 3}])
  })

  it('claims the due rows of an endpoint oldest first, each with its event, its next attempt and the signing secrets', async () => {
    await seed(engine(), [NOW - 50, NOW - 90, [NOW - 70, 2], NOW + 1, NOW - 80])
    const {claimed, capped} = await claim(engine().queue, 'a', 3)
    expect(capped).toBe(false)
    expect(claimed.map((d) => [d.id, d.attempt])).toEqual([[2, 1], [5, 1], [3, 3]])
    expect(claimed[0]).toEqual({
      id: 2, webhookId: 1, eventId: 'evt_2', eventType: 'attendance.created', body: '{"n":2}', attempt: 1,
      url: 'https://payroll.example/hooks', secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretUntil: NOW + 3_600_000,
    })
    const leased = (await deliveries(engine())).filter((d) => d.leaseOwner === 'a')
    expect(leased.map((d) => [d.id, d.leaseUntil])).toEqual([[2, NOW + LEASE], [3, NOW + LEASE], [5, NOW + LEASE]])
  })

  it('never leases beyond the endpoint’s cap, counting every holder’s unexpired leases', async () => {
    await seed(engine(), [NOW - 5, NOW - 4, NOW - 3, NOW - 2, NOW - 1], 3)
    expect((await claim(engine().queue, 'a', 2)).claimed).toHaveLength(2)
    expect((await claim(engine().other, 'b', 5)).claimed.map((d) => d.id)).toEqual([3])
    expect(await claim(engine().queue, 'c', 5)).toEqual({claimed: [], capped: true})
  })

  it('does not lease a leased row again until its lease has run out; then it is sent again, as the same attempt', async () => {
    await seed(engine(), [[NOW - 2, 1], NOW - 1], 10)
    expect((await claim(engine().queue, 'dead', 10)).claimed).toHaveLength(2)
    expect(await claim(engine().other, 'b', 10, NOW + LEASE - 1)).toEqual({claimed: [], capped: false})
    const retaken = await claim(engine().other, 'b', 10, NOW + LEASE)
    expect(retaken.claimed.map((d) => [d.id, d.attempt])).toEqual([[1, 2], [2, 1]])
  })

  it('leases nothing of an inactive or unknown endpoint', async () => {
    await seed(engine(), [NOW])
    expect(await engine().queue.claimDue({endpointId: 2, owner: 'a', now: NOW, leaseMs: LEASE, limit: 5})).toEqual({claimed: [], capped: false})
    expect(await engine().queue.claimDue({endpointId: 9, owner: 'a', now: NOW, leaseMs: LEASE, limit: 5})).toEqual({claimed: [], capped: false})
  })

  it('says whether anything is due for an active endpoint, leased rows not counted', async () => {
    await seed(engine(), [NOW + 5])
    expect(await engine().queue.hasDue(NOW)).toBe(false)
    expect(await engine().queue.hasDue(NOW + 5)).toBe(true)
    await claim(engine().queue, 'a', 5, NOW + 5)
    expect(await engine().queue.hasDue(NOW + 6)).toBe(false)
  })

  it('records each outcome: delivered, due again later, failed; every attempt logged', async () => {
    await seed(engine(), [NOW - 3, NOW - 2, NOW - 1])
    await claim(engine().queue, 'a', 3)
    const later = NOW + 300_000
    expect(await engine().queue.recordAttempt(record(1, 'a', {kind: 'delivered'}), NOW + 20)).toEqual({disabled: false})
    await engine().queue.recordAttempt(record(2, 'a', {kind: 'retry', at: later, reason: 'answered 503'}), NOW + 20)
    await engine().queue.recordAttempt(record(3, 'a', {kind: 'failed', reason: 'answered 400'}), NOW + 20)
    expect(await deliveries(engine())).toEqual([
      {id: 1, status: 'delivered', attempts: 1, nextAttemptAt: NOW + 10, leaseOwner: null, leaseUntil: null, lastStatus: 200, lastError: null, deliveredAt: NOW + 20},
      {id: 2, status: 'pending', attempts: 1, nextAttemptAt: later, leaseOwner: null, leaseUntil: null, lastStatus: 503, lastError: 'answered 503', deliveredAt: null},
      {id: 3, status: 'failed', attempts: 1, nextAttemptAt: NOW + 10, leaseOwner: null, leaseUntil: null, lastStatus: 503, lastError: 'answered 400', deliveredAt: null},
    ])
    const log = await engine().all<{deliveryId: number; attempt: number; statusCode: number; response: string}>(
      `SELECT delivery_id AS "deliveryId", attempt, status_code AS "statusCode", response FROM webhook_attempts ORDER BY delivery_id`,
    )
    expect(log).toEqual([1, 2, 3].map((deliveryId, i) => ({deliveryId, attempt: 1, statusCode: i === 0 ? 200 : 503, response: '{"ok":true}'})))
  })

  it('logs the attempt of a holder that lost its lease but leaves the row to the new holder', async () => {
    await seed(engine(), [NOW - 1])
    await claim(engine().queue, 'slow', 1)
    await claim(engine().other, 'b', 1, NOW + LEASE)
    await engine().queue.recordAttempt(record(1, 'slow', {kind: 'delivered'}), NOW + LEASE + 5)
    expect(await deliveries(engine())).toMatchObject([{id: 1, status: 'pending', attempts: 0, leaseOwner: 'b', leaseUntil: NOW + 2 * LEASE}])
    expect(await engine().all(`SELECT delivery_id FROM webhook_attempts`)).toHaveLength(1)
  })

  it('disables an endpoint that answered 410 Gone, with the reason, once', async () => {
    await seed(engine(), [NOW - 2, NOW - 1])
    await claim(engine().queue, 'a', 2)
    const gone: Verdict = {kind: 'failed', reason: 'answered 410', disable: 'it answered 410 Gone'}
    expect(await engine().queue.recordAttempt(record(1, 'a', gone), NOW + 20)).toEqual({disabled: true})
    expect(await engine().queue.recordAttempt(record(2, 'a', gone), NOW + 21)).toEqual({disabled: false})
    const [endpoint] = await engine().all<{active: unknown; reason: string}>(`SELECT active, disabled_reason AS reason FROM webhooks WHERE id = 1`)
    expect(Boolean(endpoint.active)).toBe(false)
    expect(endpoint.reason).toBe('disabled on 2026-03-12 08:00 UTC: it answered 410 Gone to delivery 1 (re-enable with attend webhooks update 1 --enable)')
    expect(await engine().queue.activeEndpoints()).toEqual([])
  })

  it('prunes delivered rows from before a time in batches, with their attempts and the events no delivery still needs', async () => {
    await seed(engine(), [NOW - 500, NOW - 400, NOW - 300, NOW, NOW - 100])
    await engine().exec(`UPDATE webhook_deliveries SET status = 'delivered' WHERE id IN (1, 2, 3, 4)`)
    // Event 3 is also queued for the other endpoint: it stays.
    await engine().exec(`INSERT INTO webhook_deliveries (id, webhook_id, event, next_attempt_at, created_at) VALUES (7, 2, 3, ${NOW}, 1)`)
    await engine().exec(`INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, duration_ms) VALUES (1, 1, 1, 5), (1, 2, 2, 5), (4, 1, 3, 5)`)
    expect(await engine().queue.pruneDelivered(NOW - 150, 2)).toBe(2)
    expect(await engine().queue.pruneDelivered(NOW - 150, 2)).toBe(1)
    expect(await engine().queue.pruneDelivered(NOW - 150, 2)).toBe(0)
    const ids = async (table: string, column = 'id') => (await engine().all<{id: number}>(`SELECT ${column} AS id FROM ${table} ORDER BY 1`)).map((r) => r.id)
    expect(await ids('webhook_deliveries')).toEqual([4, 5, 6, 7])
    expect(await ids('webhook_attempts', 'delivery_id')).toEqual([4])
    expect(await ids('webhook_events')).toEqual([3, 4, 5, 6])
  })

  it('gives each row to one of many claimers in two processes at once, never beyond the cap', async () => {
    const rows = 60
    await seed(engine(), Array.from({length: rows}, (_, i) => NOW - rows + i), 5)
    const taken = new Map<number, string>()
    let inFlight = 0
    let maxInFlight = 0
    const claimer = async (queue: WebhookQueue, owner: string) => {
      for (let idle = 0; idle < 50; ) {
        const {claimed} = await claim(queue, owner, 2)
        if (claimed.length === 0) {
          idle++
          await new Promise((resolve) => setTimeout(resolve, 2))
          continue
        }
        inFlight += claimed.length
        maxInFlight = Math.max(maxInFlight, inFlight)
        for (const d of claimed) {
          expect(taken.get(d.id), `delivery ${d.id} claimed twice`).toBeUndefined()
          taken.set(d.id, owner)
        }
        await new Promise((resolve) => setTimeout(resolve, 1))
        for (const d of claimed) {
          inFlight--
          await queue.recordAttempt(record(d.id, owner, {kind: 'delivered'}), NOW)
        }
        if (taken.size === rows) return
      }
    }
    await Promise.all(['a', 'b', 'c'].flatMap((name) => [claimer(engine().queue, `${name}1`), claimer(engine().other, `${name}2`)]))
    expect(taken.size).toBe(rows)
    expect(maxInFlight).toBeLessThanOrEqual(5)
    expect(new Set(taken.values()).size).toBeGreaterThan(1)
    expect((await deliveries(engine())).every((d) => d.status === 'delivered')).toBe(true)
  })

  it('lets two deliverers in two processes deliver each event once to a real receiver, within the cap', async () => {
    const receiver = await Receiver.start()
    try {
      await seed(engine(), Array.from({length: 80}, (_, i) => NOW - 80 + i), 6)
      await engine().exec(`UPDATE webhooks SET url = '${receiver.url}', previous_secret = NULL WHERE id = 1`)
      receiver.answer = () => ({delayMs: Math.floor(Math.random() * 4)})
      const deliverer = (queue: WebhookQueue) => new Deliverer(queue, {send: httpSender('attend-test'), now: () => NOW, random: () => 0.5})
      const [a, b] = await Promise.all([deliverer(engine().queue).pass(), deliverer(engine().other).pass()])
      expect(a.delivered + b.delivered).toBe(80)
      expect(receiver.received).toHaveLength(80)
      expect(new Set(receiver.ids).size).toBe(80)
      expect(receiver.maxInFlight).toBeLessThanOrEqual(6)
    } finally {
      await receiver.close()
    }
  })
}

describe('the webhook queue on SQLite', () => {
  const stores = useSqliteStores()
  const queue = (s: Store) => sqliteWebhookQueue(s, new GroupCommit(s, {now: () => NOW}))
  webhookQueueContract(() => ({
    queue: queue(stores.first), other: queue(stores.second), all: stores.all,
    exec: async (sql) => void stores.first.sqlite.exec(sql),
  }))
})

describePg('the webhook queue on PostgreSQL', () => {
  const stores = usePgStores({clear: 'DELETE FROM webhook_attempts; DELETE FROM webhook_deliveries; DELETE FROM webhook_events; DELETE FROM webhooks'})
  webhookQueueContract(() => ({
    queue: pgWebhookQueue(stores.first), other: pgWebhookQueue(stores.second), all: stores.all,
    exec: async (sql) => void (await stores.first.pool.query(sql)),
  }))
})
