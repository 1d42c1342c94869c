import path from 'node:path'
import {Webhook} from 'standardwebhooks'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createDevice} from '../../src/store/sqlite/devices.js'
import {addEmployee} from '../helpers/directory.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {addWebhook} from '../../src/webhooks/service.js'
import {runAttend, tempDir} from '../helpers/cli.js'
import {until} from '../agent/helpers.js'
import {Receiver} from '../webhooks/receiver.js'
import {spawnServe, type ServeProcess} from './spawn-serve.js'
import {portOf} from '../helpers/store.js'

let dir: string
let cleanup: () => void
let receiver: Receiver
let server: ServeProcess | undefined
beforeEach(async () => {
  ;({dir, cleanup} = tempDir('attend-webhooks-serve-'))
  receiver = await Receiver.start()
})
afterEach(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL')
    await server.exited
  }
  server = undefined
  await receiver.close()
  cleanup()
})

/** A store with one employee, a CAMS device, an API key and a webhook to the receiver. */
async function prepare(events: string, maxInFlight = 4) {
  const db = path.join(dir, 'attend.db')
  const store = openStore(db)
  const now = Date.now()
  writeSettings(store, {timezone: 'UTC'}, now)
  addEmployee(store, {code: 'EMP001', name: 'Amina Hassan'}, now)
  const {token} = createDevice(store, {serial: 'CAMS1', name: 'Gate'}, now)
  const key = createApiKey(store, {name: 'test', scopes: ['ingest', 'read', 'admin'], limits: [{max: 1_000_000, window: 'hour'}]}, now).key
  const {secret} = await addWebhook(portOf(store), {url: receiver.url, events, maxInFlight}, now)
  store.close()
  return {db, key, token, secret}
}

async function post(url: string, key: string, i: number): Promise<void> {
  const body = JSON.stringify({scanId: `S-${i}`, employeeId: 'EMP001', eventType: i % 2 ? 'check_out' : 'check_in', timestamp: new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString()})
  const res = await fetch(`${url}/api/biometric/attendance`, {method: 'POST', headers: {'content-type': 'application/json', 'x-api-key': key}, body})
  expect(res.status).toBe(200)
}

const outboxIds = (db: string) => {
  const store = openStore(db)
  try {
    return store.sqlite.prepare('SELECT event_id FROM webhook_events ORDER BY id').pluck().all() as string[]
  } finally {
    store.close()
  }
}

describe('attend serve delivers webhooks in the background', () => {
  it('sends each punch as attendance.created, a new /v1 user as user.created and a device heartbeat as device.status_changed, signed', async () => {
    const {db, key, token, secret} = await prepare('attendance.created,device.status_changed,user.created')
    server = await spawnServe(['--db', db, '--log-level', 'warn'])
    for (let i = 0; i < 5; i++) await post(server.url, key, i)
    const heartbeat = await fetch(`${server.url}/api/attendance/v1/heartbeat`, {method: 'POST', headers: {sn: 'CAMS1', 'auth-token': token}})
    expect(heartbeat.status).toBe(200)
    const user = await fetch(`${server.url}/v1/users`, {
      method: 'POST',
      headers: {'content-type': 'application/json', authorization: `Bearer ${key}`},
      body: JSON.stringify({name: 'Baraka Otieno', email: 'baraka@example.com', phone: '+254700000001'}),
    })
    expect(user.status).toBe(201)
    await until(() => receiver.received.length >= 7, 30_000)
    const verifier = new Webhook(secret)
    const events = receiver.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as {type: string; data: Record<string, unknown>})
    expect(events.filter((e) => e.type === 'attendance.created').map((e) => e.data.source)).toEqual(Array(5).fill('http:worker-attendance'))
    expect(events.filter((e) => e.type === 'device.status_changed').map((e) => [e.data.serial_number, e.data.presence, e.data.previous_attributes])).toEqual([
      ['CAMS1', 'online', {presence: null}],
    ])
    expect(events.filter((e) => e.type === 'user.created').map((e) => [e.data.name, e.data.email])).toEqual([['Baraka Otieno', 'baraka@example.com']])
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })

  it('a SIGKILL during delivery loses nothing: after a restart every event arrives, at least once', async () => {
    const {db, key} = await prepare('attendance.created', 4)
    // The receiver holds every answer: the server dies with attempts in flight.
    receiver.answer = () => ({delayMs: 10_000})
    server = await spawnServe(['--db', db, '--log-level', 'silent'])
    for (let i = 0; i < 30; i++) await post(server.url, key, i)
    await until(() => receiver.received.length >= 4, 30_000)
    server.child.kill('SIGKILL')
    expect(await server.exited).toBe('SIGKILL')
    const ids = outboxIds(db)
    expect(ids).toHaveLength(30)

    // Back up (here a cron deliver, two minutes on: the dead server's leases have run out).
    receiver.answer = () => ({})
    const later = new Date(Date.now() + 120_000).toISOString()
    const result = await runAttend(['webhooks', 'deliver', '--db', db], {env: {ATTEND_NOW: later}})
    expect(result.exitCode).toBe(0)
    expect(new Set(receiver.ids)).toEqual(new Set(ids))
    const store = openStore(db)
    try {
      expect(store.sqlite.prepare(`SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status`).all()).toEqual([{status: 'delivered', n: 30}])
    } finally {
      store.close()
    }
  })
})
