import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {attendTypes} from '../../src/db/pg/types.js'
import {runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {withStoreAt} from '../helpers/store.js'
import {Receiver} from '../webhooks/receiver.js'
import {spawnServe, type ServeProcess} from './spawn-serve.js'

/*
 * Two real `attend serve` processes (dist/) on one PostgreSQL, as behind a balancer, and two
 * clients sending overlapping punches through different families to both: a terminal's ATTLOG
 * uploads (/iclock) and an integration's worker attendance API batches naming the same terminal,
 * so the same punch arrives up to four times by two roads. One server is SIGKILLed mid-stream; what
 * it had acknowledged must be stored, and the clients carry on against the other, as a balancer
 * would send them. Then: the store holds exactly the unique set, every attendance day equals a
 * fresh recompute of a copy, and every webhook event reached the receiver (docs/architecture.md,
 * "The store port").
 */

const SERIAL = 'ZK-TWIN-01'
const PINS = ['101', '102', '103', '104', '105', '106']
const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04']
const SLOTS = ['07:58:10', '12:01:20', '12:59:30', '17:03:40']

interface Punch {
  pin: string
  /** `YYYY-MM-DD HH:MM:SS`, UTC (the site's zone). */
  local: string
  instant: number
  checkIn: boolean
}

const every: Punch[] = DAYS.flatMap((day) =>
  PINS.flatMap((pin, p) =>
    SLOTS.map((slot, s) => {
      // A few seconds apart per person, so no two people share an instant.
      const local = `${day} ${slot.slice(0, 6)}${String(Number(slot.slice(6)) + p).padStart(2, '0')}`
      return {pin, local, instant: Date.parse(`${local.replace(' ', 'T')}Z`), checkIn: s % 2 === 0}
    }),
  ),
)
// The terminal uploads every punch; the integration two thirds of them (the overlap) and a few of
// its own (a late-night check the terminal never saw).
const terminal = every
const integration = [
  ...every.filter((_, i) => i % 3 !== 0),
  ...PINS.map((pin, p) => {
    const local = `2026-03-04 21:3${p}:00`
    return {pin, local, instant: Date.parse(`${local.replace(' ', 'T')}Z`), checkIn: false}
  }),
]
const unique = new Set([...terminal, ...integration].map((p) => `${p.pin}@${p.instant}`))

const attlog = (punches: readonly Punch[]) => punches.map((p) => `${p.pin}\t${p.local}\t${p.checkIn ? 0 : 1}\t1\t0\t0`).join('\n') + '\n'
const events = (punches: readonly Punch[]) =>
  JSON.stringify({
    device_info: {device_id: SERIAL},
    events: punches.map((p) => ({
      scanId: `twin-${p.pin}-${p.instant}`,
      employeeId: p.pin,
      eventType: p.checkIn ? 'check_in' : 'check_out',
      timestamp: new Date(p.instant).toISOString(),
    })),
  })

describePg('two attend serve processes on one PostgreSQL', () => {
  const database = usePgDatabase()
  const site = tempDir()
  let receiver: Receiver
  let key = ''
  const servers: ServeProcess[] = []

  beforeAll(async () => {
    receiver = await Receiver.start()
    // The site as an admin sets it up (on SQLite), moved to PostgreSQL with attend db copy.
    const db = path.join(site.dir, 'site.db')
    const attend = async (...args: string[]) => {
      const result = await runAttend([...args, '--db', db])
      if (result.exitCode !== 0) throw new Error(`attend ${args.join(' ')}: ${result.stderr}`)
      return result.stdout
    }
    await attend('init', '--timezone', 'UTC')
    fs.writeFileSync(path.join(site.dir, 'staff.csv'), `code,name\n${PINS.map((pin) => `${pin},Worker ${pin}`).join('\n')}\n`)
    await attend('employees', 'import', path.join(site.dir, 'staff.csv'))
    await attend('devices', 'add', '--serial', SERIAL, '--name', 'Main gate')
    fs.writeFileSync(path.join(site.dir, 'map.csv'), `device_user_id,employee_code,device\n${PINS.map((pin) => `${pin},${pin},`).join('\n')}\n`)
    await attend('map', 'import', path.join(site.dir, 'map.csv'))
    key = (await runJson<{key: string}>(['keys', 'create', '--name', 'integration', '--scopes', 'ingest', '--db', db])).key
    await attend('webhooks', 'add', receiver.url, '--events', 'attendance.created', '--max-in-flight', '8')
    const copied = await runAttend(['db', 'copy', '--from', db, '--to', database.url])
    expect(copied.exitCode, copied.stderr).toBe(0)
    servers.push(await spawnServe(['--db', database.url, '--log-level', 'warn']), await spawnServe(['--db', database.url, '--log-level', 'warn']))
  }, 120_000)

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
    await receiver?.close()
    site.cleanup()
  })

  it('stores the unique set once, recomputes every day right, sends every event, and loses nothing a killed server acknowledged', async () => {
    const acknowledged = new Set<string>()
    const alive = () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null)
    /** Sends to `server`; on a dead one (refused, reset) to another that lives, as a balancer fails over. */
    const send = async (preferred: ServeProcess, request: (url: string) => Promise<Response>, punches: readonly Punch[]) => {
      for (const server of [preferred, ...alive().filter((s) => s !== preferred)]) {
        let response: Response
        try {
          response = await request(server.url)
        } catch {
          continue
        }
        const text = await response.text()
        expect(response.status, text).toBe(200)
        for (const p of punches) acknowledged.add(`${p.pin}@${p.instant}`)
        return
      }
      throw new Error('no server answered')
    }
    const uploadTerminal = (server: ServeProcess, punches: readonly Punch[]) =>
      send(server, (url) => fetch(`${url}/iclock/cdata?SN=${SERIAL}&table=ATTLOG&Stamp=1`, {method: 'POST', body: attlog(punches), headers: {'content-type': 'text/plain'}}), punches)
    const postIntegration = (server: ServeProcess, punches: readonly Punch[]) =>
      send(server, (url) => fetch(`${url}/api/biometric/attendance`, {method: 'POST', body: events(punches), headers: {'content-type': 'application/json', 'x-api-key': key}}), punches)

    const [first, second] = servers
    const chunks = <T>(items: readonly T[], size: number) => Array.from({length: Math.ceil(items.length / size)}, (_, i) => items.slice(i * size, (i + 1) * size))
    const terminalChunks = chunks(terminal, 6)
    const integrationChunks = chunks(integration, 4)
    // Each client sends every chunk to both servers at once (a retry after a lost answer, a
    // second integration path): the overlap is within a family and across the two.
    const terminalRun = (async () => {
      for (const [i, chunk] of terminalChunks.entries()) {
        if (i === Math.floor(terminalChunks.length / 2)) second.child.kill('SIGKILL')
        await Promise.all([uploadTerminal(first, chunk), uploadTerminal(second, chunk)])
      }
    })()
    const integrationRun = (async () => {
      for (const chunk of integrationChunks) await Promise.all([postIntegration(second, chunk), postIntegration(first, chunk)])
    })()
    await Promise.all([terminalRun, integrationRun])
    expect(await second.exited).toBe('SIGKILL')
    expect(acknowledged).toEqual(unique)

    const client = new pg.Client({connectionString: database.url, types: attendTypes})
    await client.connect()
    try {
      // Exactly the unique set: every acknowledged punch, each once.
      const stored = await client.query<{deviceUserId: string; instant: number}>('SELECT device_user_id AS "deviceUserId", instant FROM punches')
      const keys = stored.rows.map((r) => `${r.deviceUserId}@${r.instant}`)
      expect(keys).toHaveLength(unique.size)
      expect(new Set(keys)).toEqual(unique)

      // Every event reaches the receiver at least once, none missing (the survivor takes over what
      // the killed server had leased once its lease runs out).
      const outbox = async () => (await client.query<{eventId: string}>(`SELECT event_id AS "eventId" FROM webhook_events WHERE type = 'attendance.created'`)).rows.map((r) => r.eventId)
      const deadline = Date.now() + 100_000
      for (;;) {
        const pending = await client.query<{n: number}>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'`)
        if (pending.rows[0].n === 0) break
        if (Date.now() > deadline) throw new Error(`${pending.rows[0].n} webhook deliveries still not delivered`)
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      const queued = await outbox()
      expect(queued).toHaveLength(unique.size)
      const received = new Set(receiver.ids)
      expect(queued.filter((id) => !received.has(id))).toEqual([])
    } finally {
      await client.end()
    }

    // Every attendance day equals a fresh recompute: a copy of the store, recomputed by attend.
    const copy = path.join(site.dir, 'copy.db')
    expect((await runAttend(['db', 'copy', '--from', database.url, '--to', copy])).exitCode).toBe(0)
    const days = () =>
      withStoreAt(copy, (store) =>
        store.sqlite
          .prepare(
            `SELECT e.code, d.date, d.status, d.first_in, d.last_out, d.worked_minutes, d.late_minutes, d.punch_count, d.missed_punch
             FROM attendance_days d JOIN employees e ON e.id = d.employee_id WHERE d.date BETWEEN '2026-03-02' AND '2026-03-04' ORDER BY e.code, d.date`,
          )
          .all(),
      )
    const served = days()
    expect(served).toHaveLength(PINS.length * DAYS.length)
    const recomputed = await runAttend(['recompute', '--from', '2026-03-02', '--to', '2026-03-04', '--db', copy])
    expect(recomputed.exitCode, recomputed.stderr).toBe(0)
    expect(days()).toEqual(served)
  }, 240_000)
})
