import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {Webhook} from 'standardwebhooks'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {copyStore} from '../../src/db/admin/copy.js'
import {openStore} from '../../src/db/open.js'
import {createDevice} from '../../src/store/sqlite/devices.js'
import {addEmployee} from '../helpers/directory.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {addWebhook} from '../../src/webhooks/service.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {portOf, withStoreAt} from '../helpers/store.js'
import {Receiver} from '../webhooks/receiver.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
// Real time: the reference library refuses signatures more than 5 minutes from its clock.
const env = {ATTEND_DB: db}
let receiver: Receiver
let secret = ''

beforeAll(async () => {
  receiver = await Receiver.start()
  withStoreAt(db, (store) => {
    writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.now())
    addEmployee(store, {code: 'EMP001', name: 'Amina Hassan'}, Date.now())
    createDevice(store, {serial: 'ZK1', name: 'Gate'}, Date.now())
  })
})
afterAll(async () => {
  await receiver.close()
  tmp.cleanup()
})

const outboxIds = () => withStoreAt(db, (store) => store.sqlite.prepare('SELECT event_id FROM webhook_events ORDER BY id').pluck().all() as string[])

describe('attend webhooks', () => {
  it('adds an endpoint and prints its secret once; lists it without the secret', async () => {
    const added = await runAttend(['webhooks', 'add', receiver.url, '--events', 'attendance.created,user.created', '--description', 'Payroll'], {env})
    expect(added.exitCode).toBe(0)
    const lines = added.stdout.split('\n')
    expect(lines[0]).toBe(`Added webhook 1: ${receiver.url} (active); events attendance.created, user.created; at most 4 requests in flight.`)
    expect(lines[1]).toBe('Signing secret (shown once; the receiver verifies webhook-signature with it):')
    secret = lines[2].trim()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const list = await runAttend(['webhooks', 'list'], {env})
    expect(list.stdout).not.toContain(secret)
    expect(list.stdout.split('\n')[1]).toMatch(/^ 1\s+http:\/\/127\.0\.0\.1:\d+\/hooks\s+attendance\.created,user\.created\s+active\s+0\s+0\s+0\s+never$/)
  })

  it('refuses a bad URL, an unknown event or a malformed secret with exit 2, naming the value', async () => {
    const cases: [string[], string][] = [
      [['webhooks', 'add', 'ftp://x.example', '--events', 'all'], 'Invalid webhook URL "ftp://x.example": the scheme must be https:// or http://, not ftp.'],
      [['webhooks', 'add', 'https://x.example', '--events', 'attendance.deleted'], 'Unknown event "attendance.deleted" in --events'],
      [['webhooks', 'add', 'https://x.example', '--events', 'all', '--secret', 'hunter2'], 'Invalid --secret: it must start with whsec_.'],
    ]
    for (const [args, message] of cases) {
      const result = await runAttend(args, {env})
      expect(result.exitCode, args.join(' ')).toBe(2)
      expect(errorText(result.stderr)).toContain(message)
    }
  })

  it('test sends a signed webhook.ping and prints the answer', async () => {
    receiver.answer = () => ({body: '{"pong":true}'})
    const result = await runAttend(['webhooks', 'test', '1'], {env})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^Sent evt_[0-9a-f]{32} to http:\/\/127\.0\.0\.1:\d+\/hooks: HTTP 200 in \d+ ms \(delivery 1\)\.\n\{"pong":true\}\n$/)
    const request = receiver.received.at(-1)!
    const event = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as {type: string; data: unknown}
    expect(event).toMatchObject({type: 'webhook.ping', data: {webhook_id: 1}})
    receiver.answer = () => ({status: 503, body: 'maintenance'})
    const failed = await runAttend(['webhooks', 'test', '1'], {env})
    expect(failed.exitCode).toBe(1)
    expect(failed.stdout).toContain(': HTTP 503 in ')
    expect(failed.stdout).toContain('maintenance')
  })

  it('deliver sends what is due once and exits 0; with failures it exits 3 and they wait for their retry', async () => {
    receiver.answer = () => ({})
    await runAttend(['punches', 'add', 'EMP001', '--at', '2026-03-12 08:05'], {env})
    const before = receiver.received.length
    const first = await runAttend(['webhooks', 'deliver'], {env})
    expect(first.stdout).toBe('Webhooks: 1 attempts, 1 delivered, 0 to retry, 0 failed.\n')
    expect(first.exitCode).toBe(0)
    expect(receiver.received.slice(before).map((r) => JSON.parse(r.body).type)).toEqual(['attendance.created'])

    receiver.answer = () => ({status: 500, body: 'oops'})
    await runAttend(['punches', 'add', 'EMP001', '--at', '2026-03-12 17:05'], {env})
    const second = await runAttend(['webhooks', 'deliver'], {env})
    expect(second.stdout).toBe('Webhooks: 1 attempts, 0 delivered, 1 to retry, 0 failed.\n')
    expect(second.exitCode).toBe(3)
    const again = await runAttend(['webhooks', 'deliver'], {env})
    expect(again.stdout).toBe('Webhooks: 0 attempts, 0 delivered, 0 to retry, 0 failed.\n')
  })

  it('lists deliveries, shows one with its attempts, redelivers it and recovers failed ones', async () => {
    const listed = await runJson<{total: number; offset: number; limit: number; deliveries: {id: number; status: string; eventType: string; attempts: number}[]}>(
      ['webhooks', 'deliveries', '--webhook', '1'],
      {env},
    )
    expect(listed).toMatchObject({total: 4, offset: 0, limit: 50})
    const all = listed.deliveries
    expect(all.map((d) => [d.eventType, d.status, d.attempts])).toEqual([
      ['attendance.created', 'pending', 1],
      ['attendance.created', 'delivered', 1],
      ['webhook.ping', 'failed', 1],
      ['webhook.ping', 'delivered', 1],
    ])
    const failed = await runAttend(['webhooks', 'deliveries', '--failed'], {env})
    expect(failed.stdout.split('\n')[1]).toMatch(/^\s*2\s+1\s+evt_\S+\s+webhook\.ping\s+failed\s+1\s+-\s+answered 503 \(a test is not retried\)/)
    const shown = await runAttend(['webhooks', 'deliveries', String(all[0].id)], {env})
    expect(shown.stdout).toMatch(/^Delivery \d+ of evt_\S+ \(attendance\.created\) to webhook 1, http:\/\/127\.0\.0\.1:\d+\/hooks\nStatus: pending, next attempt /)
    expect(shown.stdout).toMatch(/\n\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+500\s+\d+\s+-\s+oops\n/)

    receiver.answer = () => ({})
    const redelivered = await runAttend(['webhooks', 'redeliver', String(all[0].id)], {env})
    expect(redelivered.stdout).toMatch(/^Delivery \d+ \(evt_\S+, attendance\.created\) to webhook 1 is due again now\.\n$/)
    expect((await runAttend(['webhooks', 'deliver'], {env})).stdout).toBe('Webhooks: 1 attempts, 1 delivered, 0 to retry, 0 failed.\n')

    const recovered = await runAttend(['webhooks', 'recover', '1', '--since', '1d'], {env})
    expect(recovered.stdout).toMatch(/^Re-queued 1 failed deliveries of webhook 1 since \d{4}-\d\d-\d\d \d\d:\d\d \(Africa\/Nairobi\)\.\n$/)
    const bad = await runAttend(['webhooks', 'recover', '1', '--since', 'last week'], {env})
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toContain('Invalid --since "last week"')
  })

  it('rotates the secret: during the grace period both the old and the new secret verify', async () => {
    const rotated = await runAttend(['webhooks', 'rotate-secret', '1', '--grace', '60'], {env})
    expect(rotated.exitCode).toBe(0)
    const lines = rotated.stdout.split('\n')
    expect(lines[0]).toMatch(/^New signing secret for webhook 1 \(.+\); the previous one also signs until \d{4}-\d\d-\d\d \d\d:\d\d \(Africa\/Nairobi\)\.$/)
    const fresh = lines[2].trim()
    expect(fresh).toMatch(/^whsec_/)
    expect(fresh).not.toBe(secret)
    await runAttend(['webhooks', 'test', '1'], {env})
    const request = receiver.received.at(-1)!
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2)
    for (const key of [secret, fresh]) expect(new Webhook(key).verify(request.body, request.headers as Record<string, string>)).toBeTruthy()
  })

  it('updates, disables and removes an endpoint', async () => {
    const disabled = await runAttend(['webhooks', 'update', '1', '--disable'], {env})
    expect(disabled.stdout).toMatch(/^Updated webhook 1: .+ \(disabled by an admin on \d{4}-\d\d-\d\d \d\d:\d\d UTC\); events attendance\.created, user\.created;/)
    const list = await runAttend(['webhooks', 'list'], {env})
    expect(list.stdout).toMatch(/\nWebhook 1: disabled by an admin on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n/)
    const enabled = await runJson<{active: boolean; events: string[]}>(['webhooks', 'update', '1', '--enable', '--events', 'all'], {env})
    expect(enabled).toMatchObject({active: true, events: ['attendance.created', 'attendance_day.updated', 'user.created', 'user.updated', 'device.status_changed']})
    const nothing = await runAttend(['webhooks', 'update', '1'], {env})
    expect(nothing.exitCode).toBe(2)
    const removed = await runAttend(['webhooks', 'remove', '1'], {env})
    expect(removed.stdout).toMatch(/^Removed webhook 1 \(.+\) and its \d+ deliveries\.\n$/)
    expect(withStoreAt(db, (store) => store.sqlite.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get())).toBe(0)
    expect(outboxIds()).toEqual([])
    const missing = await runAttend(['webhooks', 'remove', '1'], {env})
    expect(missing.exitCode).toBe(1)
    expect(errorText(missing.stderr)).toBe('Error: No webhook with id 1: see attend webhooks list.')
  })
})

describe('attend import --no-webhooks', () => {
  it('stores a back-fill without queueing events; the same import without it queues them', async () => {
    await runAttend(['webhooks', 'add', receiver.url, '--events', 'attendance.created,attendance_day.updated'], {env})
    const file = path.join(tmp.dir, 'backfill.csv')
    fs.writeFileSync(file, 'user,time\nEMP001,2026-02-02 08:00\nEMP001,2026-02-02 17:00\n')
    const quiet = await runAttend(['import', file, '--no-webhooks'], {env})
    expect(quiet.exitCode).toBe(0)
    expect(outboxIds()).toEqual([])
    fs.writeFileSync(file, 'user,time\nEMP001,2026-02-03 08:00\n')
    await runAttend(['import', file], {env})
    expect(withStoreAt(db, (store) => store.sqlite.prepare('SELECT type FROM webhook_events ORDER BY id').pluck().all())).toEqual(['attendance.created', 'attendance_day.updated'])
  })
})

describe('two attend webhooks deliver at once', () => {
  it('never send the same attempt twice', async () => {
    const file = path.join(tmp.dir, 'many.csv')
    fs.writeFileSync(file, ['user,time', ...Array.from({length: 150}, (_, i) => `EMP001,2026-01-${String(1 + (i % 28)).padStart(2, '0')} ${String(6 + Math.floor(i / 28)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`)].join('\n'))
    withStoreAt(db, (store) => store.sqlite.prepare('UPDATE webhooks SET max_in_flight = 8').run())
    await runAttend(['import', file], {env})
    const ids = outboxIds()
    expect(ids.length).toBeGreaterThan(150)
    const before = receiver.received.length
    receiver.answer = () => ({delayMs: 2})
    const [a, b] = await Promise.all([runJson<{delivered: number}>(['webhooks', 'deliver'], {env}), runJson<{delivered: number}>(['webhooks', 'deliver'], {env})])
    const received = receiver.ids.slice(before)
    expect(a.delivered + b.delivered).toBe(received.length)
    expect(new Set(received).size).toBe(received.length)
    expect(withStoreAt(db, (store) => store.sqlite.prepare(`SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'`).pluck().get())).toBe(0)
  })
})

describe('presence in attend webhooks deliver', () => {
  it('announces a device not seen within device-offline-after as offline, once', async () => {
    await runAttend(['webhooks', 'add', receiver.url, '--events', 'device.status_changed'], {env})
    await runAttend(['config', 'set', 'device-offline-after', '10m'], {env})
    const seenAt = Math.floor(Date.now() / 1000) * 1000 - 30 * 60_000
    withStoreAt(db, (store) => store.sqlite.prepare(`UPDATE devices SET presence = 'online', last_seen_at = ? WHERE serial = 'ZK1'`).run(seenAt))
    const before = receiver.received.length
    const first = await runAttend(['webhooks', 'deliver'], {env})
    expect(first.stdout).toContain('Devices gone offline: 1.')
    const second = await runAttend(['webhooks', 'deliver'], {env})
    expect(second.stdout).not.toContain('Devices gone offline')
    const events = receiver.received.slice(before).map((r) => JSON.parse(r.body) as {type: string; created_at: string; data: {serial_number: string; presence: string}})
    expect(events.filter((e) => e.type === 'device.status_changed').map((e) => [e.data.serial_number, e.data.presence, e.created_at])).toEqual([
      ['ZK1', 'offline', new Date(seenAt + 10 * 60_000).toISOString().replace('.000Z', 'Z')],
    ])
  })
})

describePg('attend webhooks deliver on PostgreSQL', () => {
  const database = usePgDatabase()

  it('sends what a store moved to PostgreSQL holds, announces lapsed devices, and sends nothing twice', async () => {
    const site = tempDir()
    try {
      // A site as SQLite made it (employees with their user.created events queued), then moved to PostgreSQL.
      const file = path.join(site.dir, 'site.db')
      const now = Date.now()
      const seenAt = Math.floor(now / 1000) * 1000 - 30 * 60_000
      const made = openStore(file)
      writeSettings(made, {timezone: 'Africa/Nairobi', deviceOfflineAfterMinutes: 10}, now)
      await addWebhook(portOf(made), {url: receiver.url, events: 'user.created,device.status_changed'}, now)
      made.close()
      withStoreAt(file, (store) => {
        for (const [code, name] of [['EMP101', 'Wanjiru Kamau'], ['EMP102', 'Otieno Odhiambo'], ['EMP103', 'Achieng Auma']]) addEmployee(store, {code, name}, now)
        createDevice(store, {serial: 'ZK-PG-1', name: 'Gate'}, now)
        store.sqlite.prepare(`UPDATE devices SET presence = 'online', last_seen_at = ? WHERE serial = 'ZK-PG-1'`).run(seenAt)
      })
      await copyStore({engine: 'sqlite', path: file}, {engine: 'postgres', url: database.url})
      const before = receiver.received.length

      const first = await runJson<{attempts: number; delivered: number; wentOffline: number}>(['webhooks', 'deliver', '--db', database.url])
      expect(first).toMatchObject({attempts: 4, delivered: 4, wentOffline: 1})
      const sent = receiver.received.slice(before).map((r) => JSON.parse(r.body) as {type: string; data: {employee_code?: string; serial_number?: string; presence?: string}})
      expect(sent.filter((e) => e.type === 'user.created')).toHaveLength(3)
      expect(sent.filter((e) => e.type === 'device.status_changed').map((e) => [e.data.serial_number, e.data.presence])).toEqual([['ZK-PG-1', 'offline']])

      const second = await runAttend(['webhooks', 'deliver', '--db', database.url])
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toBe('Webhooks: 0 attempts, 0 delivered, 0 to retry, 0 failed.\n')
      expect(receiver.received.length).toBe(before + 4)
      const client = new pg.Client({connectionString: database.url})
      await client.connect()
      try {
        const {rows} = await client.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status`)
        expect(rows).toEqual([{status: 'delivered', n: 4}])
      } finally {
        await client.end()
      }
    } finally {
      site.cleanup()
    }
  })

  it('administers endpoints on PostgreSQL: add, list, update, test, deliveries, redeliver, recover, rotate-secret, remove', async () => {
    const site = tempDir()
    try {
      const file = path.join(site.dir, 'site.db')
      withStoreAt(file, (store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.now()))
      await copyStore({engine: 'sqlite', path: file}, {engine: 'postgres', url: database.url}, {force: true})
      const db = ['--db', database.url]

      const added = await runJson<{webhook: {id: number}; secret: string}>(['webhooks', 'add', receiver.url, '--events', 'user.created', ...db])
      expect(added.secret).toMatch(/^whsec_/)
      const id = String(added.webhook.id)
      expect((await runAttend(['webhooks', 'update', id, '--disable', '--max-in-flight', '2', ...db])).stdout).toContain('at most 2 requests in flight')
      const list = await runAttend(['webhooks', 'list', ...db])
      expect(list.stdout).toMatch(/Webhook \d+: disabled by an admin on \d{4}-\d\d-\d\d \d\d:\d\d UTC\./)

      const before = receiver.received.length
      const tested = await runJson<{deliveryId: number; status: number; delivered: boolean}>(['webhooks', 'test', id, ...db])
      expect(tested).toMatchObject({status: 200, delivered: true})
      expect(receiver.received.length).toBe(before + 1)
      const detail = await runAttend(['webhooks', 'deliveries', String(tested.deliveryId), ...db])
      expect(detail.stdout).toContain(`Delivery ${tested.deliveryId} of`)
      expect(detail.stdout).toContain('webhook.ping')
      const listed = await runJson<{total: number; deliveries: {id: number; status: string}[]}>(['webhooks', 'deliveries', '--webhook', id, ...db])
      expect(listed).toMatchObject({total: 1, deliveries: [{id: tested.deliveryId, status: 'delivered'}]})

      expect((await runAttend(['webhooks', 'redeliver', String(tested.deliveryId), ...db])).stdout).toContain('is due again now')
      expect((await runAttend(['webhooks', 'recover', id, '--since', '1d', ...db])).stdout).toMatch(/^Re-queued 0 failed deliveries of webhook \d+ since .* \(Africa\/Nairobi\)\.\n$/)
      const rotated = await runJson<{secret: string}>(['webhooks', 'rotate-secret', id, '--grace', '0', ...db])
      expect(rotated.secret).not.toBe(added.secret)
      expect((await runAttend(['webhooks', 'remove', id, ...db])).stdout).toBe(`Removed webhook ${id} (${receiver.url}) and its 1 deliveries.\n`)
      const missing = await runAttend(['webhooks', 'remove', id, ...db])
      expect(missing.exitCode).toBe(1)
      expect(errorText(missing.stderr)).toContain(`No webhook with id ${id}: see attend webhooks list.`)
    } finally {
      site.cleanup()
    }
  })
})
