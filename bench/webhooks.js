#!/usr/bin/env node
// bench/webhooks: (1) events/s from the outbox to a local receiver — attend's deliverer (claim with
// a lease, sign, POST, record the attempt, all through a group commit) against a bare loop of the same
// signed POSTs with the same concurrency and no store, same receiver, same run; (2) what webhooks
// add to ingest: punches stored per second through the server's group commit (groups of 50
// single-punch requests, as 50 terminals pushing at once) with no endpoint, one and three endpoints
// subscribed to attendance.created and attendance_day.updated, as ratios against no endpoint. The
// ingest figures are this process's CPU time per punch (what the server spends), which a busy
// machine disturbs far less than wall-clock time; punches/s is shown too.
//   node bench/webhooks.js [--quick]
import {fork} from 'node:child_process'
import {createHmac} from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, '..', 'dist')
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const EVENTS = quick ? 3000 : 10_000
const IN_FLIGHT = 8
const PUNCHES = quick ? 4000 : 12_000
const GROUP = 50
const EMPLOYEES = 200
const ROUNDS = quick ? 2 : 3
const load = (file) => import(path.join(dist, file))

if (process.argv[2] === '--receiver') {
  // The receiver: answers every POST with 204 at once, in its own process so it takes no time from the sender.
  let received = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      res.writeHead(204)
      res.end()
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => process.send({port: server.address().port}))
  process.on('message', () => process.send({received}))
  process.on('disconnect', () => process.exit(0))
} else {
  await main()
}

async function main() {
  if (!fs.existsSync(path.join(dist, 'webhooks', 'deliverer.js'))) {
    console.error('bench/webhooks needs the built app: run `npm run build` first.')
    process.exit(1)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-webhooks-'))
  const receiver = fork(fileURLToPath(import.meta.url), ['--receiver'], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
  try {
    const {port} = await new Promise((resolve) => receiver.once('message', resolve))
    const url = `http://127.0.0.1:${port}/hooks`
    console.log(`bench/webhooks: Node ${process.version}, ${os.cpus().length} CPUs${quick ? ' (quick)' : ''}`)

    // ------------------------------------------------------------ outbox → receiver
    const rows = []
    for (let round = 0; round < ROUNDS; round++) {
      rows.push({kind: 'bare', rate: await bareRate(url)})
      rows.push({kind: 'attend', rate: await deliverRate(path.join(dir, `deliver-${round}.db`), url)})
    }
    const best = (kind) => Math.max(...rows.filter((r) => r.kind === kind).map((r) => r.rate))
    const attend = best('attend')
    const bare = best('bare')
    console.log(`\noutbox → receiver, ${EVENTS} events, ${IN_FLIGHT} requests in flight (best of ${ROUNDS})`)
    console.log(`  attend deliverer (claim, sign, POST, record)  ${attend.toFixed(0).padStart(7)} events/s`)
    console.log(`  bare signed POSTs, no store                   ${bare.toFixed(0).padStart(7)} events/s`)
    console.log(`  ratio attend ÷ bare: ${(attend / bare).toFixed(2)}`)

    // ------------------------------------------------------------ ingest with 0, 1, 3 endpoints
    const ingest = {0: [], 1: [], 3: []}
    for (let round = 0; round < ROUNDS; round++) {
      for (const endpoints of [0, 1, 3]) ingest[endpoints].push(await ingestRate(path.join(dir, `ingest-${endpoints}-${round}.db`), endpoints, url))
    }
    const cpu = (n) => Math.min(...ingest[n].map((r) => r.cpuUs))
    const rate = (n) => Math.max(...ingest[n].map((r) => r.rate))
    console.log(`\ningest through group commit, ${PUNCHES} single-punch requests in groups of ${GROUP} (best of ${ROUNDS})`)
    console.log('  endpoints    punches/s    CPU µs/punch    extra CPU µs/punch    punches per CPU-second, ratio vs none')
    for (const n of [0, 1, 3]) {
      const extra = cpu(n) - cpu(0)
      console.log(
        `  ${String(n).padStart(9)}    ${rate(n).toFixed(0).padStart(9)}    ${cpu(n).toFixed(1).padStart(12)}    ${(n === 0 ? '-' : extra.toFixed(1)).padStart(18)}    ${(cpu(0) / cpu(n)).toFixed(2).padStart(37)}`,
      )
    }
  } finally {
    receiver.kill()
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** The least a sender must do: sign and POST each event, IN_FLIGHT at a time, keep-alive. */
async function bareRate(url) {
  const key = Buffer.alloc(32, 7)
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < EVENTS) {
      const i = next++
      const id = `evt_${i}`
      const body = JSON.stringify({id, type: 'attendance.created', created_at: new Date().toISOString(), data: {id: `att_${i}`}})
      const ts = Math.floor(Date.now() / 1000)
      const signature = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`
      const res = await globalThis.fetch(url, {method: 'POST', headers: {'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature}, body, redirect: 'manual'})
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({length: IN_FLIGHT}, worker))
  return EVENTS / ((performance.now() - started) / 1000)
}

async function deliverRate(db, url) {
  const {openStore} = await load('db/open.js')
  const {writeSettings} = await load('store/sqlite/directory/settings.js')
  const {addWebhook} = await load('webhooks/service.js')
  const {queueEvents} = await load('store/sqlite/webhooks/outbox.js')
  const {Deliverer} = await load('webhooks/deliverer.js')
  const {GroupCommit} = await load('store/sqlite/group-commit.js')
  const {httpSender} = await load('webhooks/sender.js')
  const {sqliteAttendStore} = await load('store/sqlite/port.js')
  const store = openStore(db)
  const now = Date.now()
  writeSettings(store, {timezone: 'UTC'}, now)
  const port = sqliteAttendStore(store, new GroupCommit(store, {now: () => Date.now()}))
  await addWebhook(port, {url, events: 'attendance.created', maxInFlight: IN_FLIGHT}, now)
  store.transaction(() => {
    for (let i = 0; i < EVENTS; i += 500) {
      const batch = Array.from({length: Math.min(500, EVENTS - i)}, (_, j) => ({type: 'attendance.created', createdAt: now, data: {id: `att_${i + j}`}}))
      queueEvents(store, batch, now)
    }
  })
  const deliverer = new Deliverer(port.webhookQueue, {send: httpSender('attend-bench'), now: () => Date.now()})
  const started = performance.now()
  const summary = await deliverer.pass()
  const seconds = (performance.now() - started) / 1000
  if (summary.delivered !== EVENTS) throw new Error(`delivered ${summary.delivered} of ${EVENTS}`)
  store.close()
  return EVENTS / seconds
}

async function ingestRate(db, endpoints, url) {
  const {openStore} = await load('db/open.js')
  const {writeSettings} = await load('store/sqlite/directory/settings.js')
  const {createEmployee} = await load('store/sqlite/directory/employees.js')
  const {createDevice} = await load('store/sqlite/devices.js')
  const {addWebhook} = await load('webhooks/service.js')
  const {GroupCommit} = await load('store/sqlite/group-commit.js')
  const {ingestPunches} = await load('store/sqlite/ingest/pipeline.js')
  const {sqliteAttendStore} = await load('store/sqlite/port.js')
  const store = openStore(db)
  const now = Date.now()
  writeSettings(store, {timezone: 'UTC', weekOff: ['sat', 'sun']}, now)
  for (let i = 1; i <= EMPLOYEES; i++) createEmployee(store, {code: `EMP${String(i).padStart(3, '0')}`, name: `Worker ${i}`}, now)
  createDevice(store, {serial: 'BENCH-1', name: 'Bench terminal'}, now)
  const port = sqliteAttendStore(store, new GroupCommit(store, {now: () => Date.now()}))
  for (let i = 0; i < endpoints; i++) await addWebhook(port, {url, events: 'attendance.created,attendance_day.updated'}, now)
  store.sqlite.pragma('cache_size = -65536')
  const writes = new GroupCommit(store, {now: () => Date.now()})
  const start = Date.UTC(2018, 0, 1)
  const punchAt = (k) => {
    const employee = k % EMPLOYEES
    const day = Math.floor(k / (EMPLOYEES * 4))
    const slot = Math.floor(k / EMPLOYEES) % 4
    const ms = start + day * 86_400_000 + ((8 + slot * 3) * 3600 + employee * 7) * 1000
    const text = new Date(ms).toISOString()
    return {deviceUserId: `EMP${String(employee + 1).padStart(3, '0')}`, time: {kind: 'instant', ms}, timeText: text, deviceSerial: 'BENCH-1'}
  }
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let k = 0; k < PUNCHES; k += GROUP) {
    const jobs = []
    for (let j = k; j < Math.min(k + GROUP, PUNCHES); j++) {
      const punch = punchAt(j)
      jobs.push(writes.run((unit) => ingestPunches(store, [punch], {source: 'bench', now: unit.now, changes: unit.changes})))
    }
    await Promise.all(jobs)
  }
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpuStarted)
  const queued = store.sqlite.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get()
  if (endpoints > 0 && queued < PUNCHES * endpoints) throw new Error(`queued ${queued} deliveries for ${PUNCHES} punches and ${endpoints} endpoints`)
  store.close()
  return {rate: PUNCHES / seconds, cpuUs: (used.user + used.system) / PUNCHES}
}
