import path from 'node:path'
import {Webhook} from 'standardwebhooks'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openStore, type Store} from '../../src/db/open.js'
import {addEmployee} from '../helpers/directory.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {sqliteWebhookQueue} from '../../src/store/sqlite/webhook-queue.js'
import {parseTimestamp} from '../../src/time/parse.js'
import {claimDue, selectAttempts, selectDeliveries} from '../../src/store/sqlite/webhook-rows.js'
import {Deliverer, DEFAULT_LEASE_MS} from '../../src/webhooks/deliverer.js'
import {httpSender} from '../../src/webhooks/sender.js'
import {addWebhook, listWebhooks, updateWebhook} from '../../src/webhooks/service.js'
import {portOf, testStore} from '../helpers/store.js'
import {Receiver} from './receiver.js'

const S = 1000
const MIN = 60 * S

let receiver: Receiver
let store: ReturnType<typeof testStore>
let clock: number
const extra: Store[] = []

beforeEach(async () => {
  receiver = await Receiver.start()
  store = testStore()
  // Near real time: the reference library refuses signatures whose timestamp is 5 minutes off.
  clock = Date.now()
  addEmployee(store, {code: 'EMP001', name: 'Amina Hassan'}, clock)
})
afterEach(async () => {
  await receiver.close()
  for (const s of extra.splice(0)) s.close()
  store.cleanup()
})

async function subscribe(options: {maxInFlight?: number; events?: string} = {}): Promise<string> {
  return (await addWebhook(portOf(store), {url: receiver.url, events: options.events ?? 'attendance.created', maxInFlight: options.maxInFlight}, clock)).secret
}

/** `n` punches of EMP001 through the pipeline: n attendance.created events in the outbox. */
function punch(n: number, s: Store = store): void {
  const punches = Array.from({length: n}, (_, i) => {
    const text = new Date(Date.UTC(2026, 2, 2) + i * 60_000).toISOString()
    return {deviceUserId: 'EMP001', time: parseTimestamp(text), timeText: text, deviceSerial: 'ZK1'}
  })
  ingestPunches(s, punches, {source: 'test', now: clock})
}

function deliverer(s: Store = store, options: {timeoutMs?: number} = {}): Deliverer {
  return new Deliverer(sqliteWebhookQueue(s, new GroupCommit(s, {now: () => clock})), {send: httpSender('attend-test'), now: () => clock, random: () => 0.5, ...options})
}

function deliveries(s: Store = store) {
  return selectDeliveries(s, {limit: 10_000, now: clock}).reverse()
}

describe('the deliverer, against a real HTTP receiver', () => {
  it('delivers every event once, signed: the reference library verifies each, and every attempt is logged', async () => {
    const secret = await subscribe()
    punch(20)
    const summary = await deliverer().pass()
    expect(summary).toEqual({attempts: 20, delivered: 20, retrying: 0, failed: 0, disabled: []})
    expect(new Set(receiver.ids).size).toBe(20)
    const verifier = new Webhook(secret)
    for (const request of receiver.received) {
      const headers = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }
      const event = verifier.verify(request.body, headers) as {id: string; type: string; created_at: string; data: Record<string, unknown>}
      expect(event.id).toBe(headers['webhook-id'])
      expect(request.headers['content-type']).toBe('application/json')
      expect(Object.keys(event)).toEqual(['id', 'type', 'created_at', 'data'])
      expect(event).toMatchObject({type: 'attendance.created', data: {user_id: 'usr_1', type: null, employee_code: 'EMP001', device_serial: 'ZK1', source: 'test'}})
      expect(Object.keys(event.data).slice(0, 5)).toEqual(['id', 'user_id', 'device_id', 'type', 'timestamp'])
    }
    const rows = deliveries()
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatus === 200)).toBe(true)
    expect(selectAttempts(store, rows[0].id)).toEqual([{attempt: 1, attemptedAt: clock, statusCode: 200, durationMs: expect.any(Number), error: null, response: '{"ok":true}'}])
  })

  it('keeps the events of a receiver that is down, and once it is back delivers each exactly once, with the same ids', async () => {
    await subscribe()
    await receiver.down()
    punch(5)
    const ids = deliveries().map((d) => d.eventId)
    expect(await deliverer().pass()).toMatchObject({attempts: 5, delivered: 0, retrying: 5})
    expect(deliveries().map((d) => [d.status, d.nextAttemptAt, d.lastError])).toEqual(Array(5).fill(['pending', clock + 5 * S, 'connection refused']))

    await receiver.up()
    // Not due yet: nothing is sent before its time.
    expect(await deliverer().pass()).toMatchObject({attempts: 0})
    expect(receiver.received).toHaveLength(0)
    clock += 5 * S
    expect(await deliverer().pass()).toMatchObject({attempts: 5, delivered: 5})
    expect(receiver.ids.sort()).toEqual([...ids].sort())
    const log = selectAttempts(store, deliveries()[0].id)
    expect(log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([[1, null, 'connection refused'], [2, 200, null]])
  })

  it('after 500 three times, delivers on the fourth attempt, on the schedule (5 s, 5 min, 30 min), with the same id and body', async () => {
    await subscribe()
    receiver.answer = (_request, n) => (n <= 3 ? {status: 500, body: 'database down'} : {})
    punch(1)
    const start = clock
    const waits = [5 * S, 5 * MIN, 30 * MIN]
    for (const wait of waits) {
      expect(await deliverer().pass()).toMatchObject({attempts: 1, retrying: 1})
      expect(deliveries()[0]).toMatchObject({status: 'pending', nextAttemptAt: clock + wait, lastStatus: 500, lastError: 'answered 500'})
      clock += wait - 1
      expect(await deliverer().pass()).toMatchObject({attempts: 0})
      clock += 1
    }
    expect(await deliverer().pass()).toMatchObject({attempts: 1, delivered: 1})
    expect(clock - start).toBe(35 * MIN + 5 * S)
    expect(new Set(receiver.ids).size).toBe(1)
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-timestamp'])).size).toBe(4)
    const log = selectAttempts(store, deliveries()[0].id)
    expect(log.map((a) => [a.attempt, a.statusCode, a.response])).toEqual([[1, 500, 'database down'], [2, 500, 'database down'], [3, 500, 'database down'], [4, 200, '{"ok":true}']])
  })

  it('waits as long as a 429 Retry-After asks', async () => {
    await subscribe()
    receiver.answer = (_request, n) => (n === 1 ? {status: 429, headers: {'retry-after': '120'}} : {})
    punch(1)
    await deliverer().pass()
    expect(deliveries()[0]).toMatchObject({status: 'pending', nextAttemptAt: clock + 120 * S, lastStatus: 429})
    clock += 60 * S
    expect(await deliverer().pass()).toMatchObject({attempts: 0})
    clock += 60 * S
    expect(await deliverer().pass()).toMatchObject({delivered: 1})
  })

  it('disables the endpoint on 410 Gone, says why, sends it nothing more and queues no new events for it', async () => {
    await subscribe({maxInFlight: 1})
    receiver.answer = () => ({status: 410})
    punch(3)
    const summary = await deliverer().pass()
    expect(summary).toMatchObject({attempts: 1, failed: 1, disabled: [1]})
    expect(receiver.received).toHaveLength(1)
    const [webhook] = await listWebhooks(portOf(store), clock)
    expect(webhook).toMatchObject({active: false, pending: 2, failed: 1})
    expect(webhook.disabledReason).toMatch(/^disabled on \d{4}-\d\d-\d\d \d\d:\d\d UTC: it answered 410 Gone to delivery 1 \(re-enable with attend webhooks update 1 --enable\)$/)
    punch(1)
    expect((await listWebhooks(portOf(store), clock))[0].pending).toBe(2)

    // Re-enabled, it gets what was waiting.
    receiver.answer = () => ({})
    await updateWebhook(portOf(store), 1, {enabled: true}, clock)
    expect(await deliverer().pass()).toMatchObject({delivered: 2})
  })

  it('fails a redirect without following it', async () => {
    await subscribe()
    receiver.answer = () => ({status: 302, headers: {location: '/elsewhere'}})
    punch(1)
    expect(await deliverer().pass()).toMatchObject({failed: 1})
    expect(receiver.received).toHaveLength(1)
    expect(deliveries()[0]).toMatchObject({status: 'failed', lastStatus: 302, lastError: expect.stringContaining('a redirect to /elsewhere: redirects are not followed')})
  })

  it('gives up on an answer that takes longer than the timeout, and retries it', async () => {
    await subscribe()
    receiver.answer = () => ({delayMs: 1500})
    punch(1)
    expect(await deliverer(store, {timeoutMs: 1000}).pass()).toMatchObject({retrying: 1})
    expect(deliveries()[0]).toMatchObject({status: 'pending', lastError: 'no answer within 1 s'})
  })

  it('keeps only the first 4 KB of an answer', async () => {
    await subscribe()
    receiver.answer = () => ({body: 'x'.repeat(100_000)})
    punch(1)
    await deliverer().pass()
    expect(selectAttempts(store, deliveries()[0].id)[0].response).toHaveLength(4096)
  })

  it('never has more requests in flight to an endpoint than its cap', async () => {
    await subscribe({maxInFlight: 3})
    receiver.answer = () => ({delayMs: 15})
    punch(30)
    expect(await deliverer().pass()).toMatchObject({delivered: 30})
    expect(receiver.maxInFlight).toBe(3)
  })

  it('two deliverers on one store never send the same attempt twice', async () => {
    await subscribe({maxInFlight: 8})
    receiver.answer = () => ({delayMs: Math.floor(Math.random() * 4)})
    punch(200)
    const other = openStore(path.join(store.dir, 'attend.db'))
    extra.push(other)
    const [a, b] = await Promise.all([deliverer().pass(), deliverer(other).pass()])
    expect(a.delivered + b.delivered).toBe(200)
    expect(a.delivered).toBeGreaterThan(0)
    expect(b.delivered).toBeGreaterThan(0)
    expect(receiver.received).toHaveLength(200)
    expect(new Set(receiver.ids).size).toBe(200)
    // Together they still respected the endpoint's cap.
    expect(receiver.maxInFlight).toBeLessThanOrEqual(8)
  })

  it('sends again what a deliverer claimed and never finished, once its lease has run out: at least once', async () => {
    await subscribe()
    punch(2)
    // A deliverer that died holding both leases.
    const {claimed} = store.transaction(() => claimDue(store, {endpointId: 1, owner: 'dead', now: clock, leaseMs: DEFAULT_LEASE_MS, limit: 10}))
    expect(claimed.map((d) => d.attempt)).toEqual([1, 1])
    expect(await deliverer().pass()).toMatchObject({attempts: 0})
    clock += DEFAULT_LEASE_MS
    expect(await deliverer().pass()).toMatchObject({delivered: 2})
    expect(new Set(receiver.ids).size).toBe(2)
  })
})
