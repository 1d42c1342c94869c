import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {setConfig} from '../helpers/directory.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {queueEvents} from '../../src/store/sqlite/webhooks/outbox.js'
import type {Sender} from '../../src/webhooks/sender.js'
import {addWebhook, deliverOnce, listDeliveries, parseSince, redeliver, recover} from '../../src/webhooks/service.js'
import {testStore} from '../helpers/store.js'

const T = Date.parse('2026-03-12T09:00:00Z')
const H = 3_600_000

let store: ReturnType<typeof testStore>
beforeEach(() => {
  store = testStore({timezone: 'Africa/Nairobi'})
})
afterEach(() => store.cleanup())

/**
 * The receiver's answers without HTTP: these tests are about the store's bookkeeping; the HTTP path
 * is tested against a real receiver (deliverer.test.ts).
 */
const answering = (status: (body: string) => number): Sender => async (request) => ({status: status(request.body), durationMs: 1, response: null})

/** The store through the port, as `attend webhooks deliver` opens it. */
const port = () => sqliteAttendStore(store, new GroupCommit(store, {now: () => T}))

const count = (sql: string) => store.sqlite.prepare(sql).pluck().get() as number

describe('pruning delivered rows', () => {
  it('deletes deliveries delivered before the retention with their attempts and events, and keeps failed and pending ones', async () => {
    setConfig(store, 'webhook-retention', '2h', T)
    addWebhook(() => store, {url: 'https://payroll.example.com/hooks', events: 'user.created'}, T)
    const event = (name: string) => ({type: 'user.created' as const, createdAt: T, data: {name}})
    queueEvents(store, [event('delivered'), event('refused')], T)
    const first = await deliverOnce(port(), {now: () => T, send: answering((body) => (body.includes('refused') ? 400 : 200))})
    expect(first).toMatchObject({delivered: 1, failed: 1, pruned: 0})
    queueEvents(store, [event('later')], T + H)
    await deliverOnce(port(), {now: () => T + H, send: answering(() => 500)})

    // Three hours on, only the one delivered at T is past the 2 h retention.
    const later = await deliverOnce(port(), {now: () => T + 3 * H, send: answering(() => 500)})
    expect(later.pruned).toBe(1)
    expect(listDeliveries(store, {}, T + 3 * H).rows.map((d) => d.status).sort()).toEqual(['failed', 'pending'])
    expect(count('SELECT count(*) FROM webhook_events')).toBe(2)
    expect(count('SELECT count(*) FROM webhook_attempts WHERE delivery_id = 1')).toBe(0)
    expect(count('SELECT count(*) FROM webhook_attempts')).toBeGreaterThan(0)
  })
})

describe('redeliver and recover', () => {
  it('re-queue with a fresh schedule, keeping the event id and body', async () => {
    addWebhook(() => store, {url: 'https://payroll.example.com/hooks', events: 'user.created'}, T)
    queueEvents(store, [{type: 'user.created', createdAt: T, data: {}}, {type: 'user.created', createdAt: T + 2 * H, data: {}}], T)
    store.sqlite.prepare('UPDATE webhook_deliveries SET created_at = ? WHERE id = 2').run(T + 2 * H)
    await deliverOnce(port(), {now: () => T + 2 * H, send: answering(() => 404)})
    const before = listDeliveries(store, {}, T).rows
    expect(before.map((d) => [d.status, d.attempts])).toEqual([['failed', 1], ['failed', 1]])

    // Site-local times: 15:00 in Nairobi is after both; 13:00 is after the first only.
    expect(recover(() => store, 1, '2026-03-12 15:00', T + 3 * H).requeued).toBe(0)
    expect(recover(() => store, 1, '2026-03-12 13:00', T + 3 * H).requeued).toBe(1)
    const requeued = redeliver(() => store, 1, T + 3 * H)
    expect(requeued).toMatchObject({id: 1, status: 'pending', attempts: 0, nextAttemptAt: T + 3 * H, eventId: before[1].eventId})
    const seen: string[] = []
    await deliverOnce(port(), {now: () => T + 3 * H, send: async (request) => (seen.push(request.headers['webhook-id']), {status: 204, durationMs: 1, response: null})})
    expect(seen.sort()).toEqual(before.map((d) => d.eventId).sort())
  })

  it('reads --since as a date, a local time, an instant or a span ago', () => {
    const zone = 'Africa/Nairobi'
    expect(parseSince('2026-03-12', zone, T)).toBe(Date.parse('2026-03-11T21:00:00Z'))
    expect(parseSince('2026-03-12 08:00', zone, T)).toBe(Date.parse('2026-03-12T05:00:00Z'))
    expect(parseSince('2026-03-12T08:00:00Z', zone, T)).toBe(Date.parse('2026-03-12T08:00:00Z'))
    expect(parseSince('2d', zone, T)).toBe(T - 48 * H)
    expect(parseSince('90m', zone, T)).toBe(T - 1.5 * H)
    expect(() => parseSince('yesterday', zone, T)).toThrow('Invalid --since "yesterday"')
  })
})
