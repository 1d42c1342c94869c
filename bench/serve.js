#!/usr/bin/env node
// bench/serve: `attend serve` (fastify, auth, rate limits, the punch pipeline, attendance recompute)
// against a bare node:http server that parses the body and inserts into a minimal punches table
// (the dedup key only) with better-sqlite3 — the least any server storing punches must do. Same
// load generator, same run, 50 connections (a site's terminals and integrations pushing at once).
// Two loads: worker-API single events (one punch per request, unique scanIds) and 100-line ZKTeco
// ATTLOG posts to /iclock/cdata. Each server runs in its own child process; autocannon runs here.
// The punches look like a real site's: 200 employees (ATTLOG PINs mapped to them) punching four
// times a day, day after day — so attend recomputes real attendance days as it goes, and the cost
// of a day does not grow with the length of the run (a day holds four punches per person, not the
// thousands that one-second steps from a single start would pile on it).
// Target (docs/architecture.md, "Performance targets"): attend ≥ 0.6 × bare.   node bench/serve.js [--quick] [--connections N]
import autocannon from 'autocannon'
import {fork} from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, '..', 'dist')
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const DURATION = quick ? 3 : 10
const CONNECTIONS = Number(argValue('--connections') ?? 50)
const ATTLOG_LINES = 100
const SERIAL = 'BENCH-ZK-01'
const EMPLOYEES = 200
const PUNCHES_PER_DAY = 4
// Each load has its own years, so their punches never land on the same employee-days.
const EVENTS_START = Date.UTC(2017, 0, 1)
const ATTLOG_START = Date.UTC(2019, 0, 1)

const load = (file) => import(path.join(dist, file))
function argValue(name) {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
// Punches handed out so far, per load and server: every request body is unique (scanIds, times).
const counters = new Map()
function nextNumber(key) {
  const n = (counters.get(key) ?? 0) + 1
  counters.set(key, n)
  return n
}

// ---------------------------------------------------------------- server processes
if (process.argv[2] === '--server') {
  await runServer(process.argv[3], process.argv[4])
} else {
  await main()
}

async function runServer(kind, db) {
  let port
  if (kind === 'attend') {
    const {openStore} = await load('db/open.js')
    const store = openStore(db)
    const {buildApp} = await load('server/app.js')
    const {sqliteAttendStore} = await load('store/sqlite/port.js')
    const {GroupCommit} = await load('store/sqlite/group-commit.js')
    const now = () => Date.now()
    // Request logs off for both sides: the baseline does not log either.
    // Limits out of the way on both loads, as the bench key's are: the bench measures ingest, not refusals.
    const app = await buildApp({attendStore: sqliteAttendStore(store, new GroupCommit(store, {now})), now, version: 'bench', startedAt: Date.now()}, {logLevel: 'warn', deviceRateLimit: {max: 1_000_000_000, window: 'day'}})
    await app.listen({host: '127.0.0.1', port: 0})
    port = app.server.address().port
  } else {
    const server = bareServer(await minimalStore(db))
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = server.address().port
  }
  // The driver owns us: when it goes (finished or crashed), so do we.
  process.on('disconnect', () => process.exit(0))
  process.send({port})
}

/**
 * The baseline's store: one table with the dedup key as its only index, WAL and synchronous=NORMAL
 * as attend uses — no other indexes, no foreign keys, no attendance tables.
 */
async function minimalStore(file) {
  const {default: Database} = await import('better-sqlite3')
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.exec(`CREATE TABLE IF NOT EXISTS punches (
    id INTEGER PRIMARY KEY, device_key TEXT NOT NULL, device_user_id TEXT NOT NULL, instant INTEGER NOT NULL,
    local_time TEXT, direction TEXT, source TEXT NOT NULL, scan_id TEXT, temperature REAL, mask INTEGER,
    received_at INTEGER NOT NULL, raw TEXT, UNIQUE (device_key, device_user_id, instant))`)
  return sqlite
}

/**
 * The baseline: what any hand-written server must do at least — read the body, parse it, insert
 * with a prepared statement (one transaction per request), answer. No auth, no validation
 * beyond the shape, no employee resolution, no attendance, no indexes but the dedup key.
 */
function bareServer(sqlite) {
  const insert = sqlite.prepare(
    `INSERT INTO punches (device_key, device_user_id, instant, local_time, direction, source, scan_id, temperature, mask, received_at, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  )
  const insertMany = sqlite.transaction((rows) => {
    let n = 0
    for (const row of rows) n += insert.run(...row).changes
    return n
  })
  return http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const now = Date.now()
      if (req.url.startsWith('/api/biometric/attendance')) {
        const e = JSON.parse(text)
        const id = insertMany([[ 'bare', e.employeeId, Date.parse(e.timestamp), e.timestamp, e.eventType === 'check_in' ? 'in' : 'out', 'bare', e.scanId, e.temperature ?? null, e.maskDetected ? 1 : 0, now, text ]])
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify({success: true, message: 'Attendance data processed successfully', processed: 1, successful: id, failed: 0, results: []}))
      } else {
        const rows = []
        for (const line of text.split('\n')) {
          if (!line) continue
          const f = line.split('\t')
          rows.push([SERIAL, f[0], Date.parse(f[1].replace(' ', 'T') + 'Z'), f[1], null, 'bare', null, null, null, now, line])
        }
        const n = insertMany(rows)
        res.writeHead(200, {'content-type': 'text/plain'})
        res.end(`OK: ${n}`)
      }
    })
  })
}

// ---------------------------------------------------------------- driver
async function main() {
  if (!fs.existsSync(path.join(dist, 'server', 'app.js'))) {
    console.error('bench/serve needs the built app: run `npm run build` first.')
    process.exit(1)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-serve-'))
  const children = []
  try {
    const {attendDb, key} = await prepareAttendStore(path.join(dir, 'attend.db'))
    const bareDb = path.join(dir, 'bare.db')

    const attend = await startChild('attend', attendDb)
    const bare = await startChild('bare', bareDb)
    children.push(attend.child, bare.child)
    const iclockAvailable = await probe(`${attend.url}/iclock/cdata?SN=${SERIAL}&table=ATTLOG`, 'POST', '')

    console.log(`bench/serve: ${DURATION}s per run, ${CONNECTIONS} connections, Node ${process.version}, ${os.cpus().length} CPUs${quick ? ' (quick)' : ''}`)
    const rows = []
    const events = await compare('worker-API single event', 1, attend, bare, (url, prefix) => eventRequest(url, key, prefix))
    rows.push(...events)
    if (iclockAvailable) {
      rows.push(...(await compare(`ATTLOG ${ATTLOG_LINES} lines`, ATTLOG_LINES, attend, bare, (url, prefix) => attlogRequest(url, prefix))))
    } else {
      console.log('ATTLOG: /iclock/cdata is not available in this build; skipped.')
    }

    // Acknowledged is not stored: an ATTLOG reply counts refused lines too. Every acknowledged punch
    // of both servers must be in its store, or the figures above measure refusals.
    const {default: Database} = await import('better-sqlite3')
    for (const r of rows) {
      const db = new Database(r.server === 'attend' ? attendDb : bareDb, {readonly: true})
      const where = r.load.startsWith('ATTLOG') ? 'device_key = ?' : 'device_key <> ?'
      r.stored = db.prepare(`SELECT count(*) AS n FROM punches WHERE ${where}`).get(SERIAL).n
      db.close()
      if (r.stored < r.acknowledgedPunches) console.log(`WARNING: ${r.server} acknowledged ${r.acknowledgedPunches} punches of "${r.load}" but stored ${r.stored}: the figures include refused punches`)
    }

    // Where the time goes: the same punches through the pipeline alone (no HTTP, no auth), in
    // this process, one call per request-sized batch.
    const pipeline = await pipelineAlone(path.join(dir, 'pipeline.db'))
    for (const r of rows) if (r.server === 'attend') r.pipelineRps = r.load.startsWith('ATTLOG') ? pipeline.attlog : pipeline.events

    console.log('')
    console.log(['load', 'server', 'req/s', 'punches/s', 'p99 ms', 'non-2xx', 'ratio'].map((h, i) => (i < 2 ? h.padEnd(i ? 8 : 24) : h.padStart(10))).join(''))
    for (const r of rows) {
      console.log(
        [r.load.padEnd(24), r.server.padEnd(8), r.rps.toFixed(0).padStart(10), r.pps.toFixed(0).padStart(10), String(r.p99).padStart(10), String(r.errors).padStart(10), (r.ratio === undefined ? '' : r.ratio.toFixed(2)).padStart(10)].join(''),
      )
    }
    for (const r of rows) {
      if (r.pipelineRps !== undefined) {
        console.log(`${r.load}: the pipeline alone (no HTTP) manages ${r.pipelineRps.toFixed(0)} calls/s; attend serve reaches ${((r.rps / r.pipelineRps) * 100).toFixed(0)}% of that`)
      }
    }
    // The target (docs/architecture.md, "Performance targets") is stated for single worker-API events, the request every API-key client
    // and most terminals send; an ATTLOG backlog also recomputes a hundred people's days per request,
    // which the bare server does not do at all, so its ratio is shown, not held to the target.
    const single = rows.find((r) => r.server === 'attend' && r.load.startsWith('worker-API'))
    const backlog = rows.find((r) => r.server === 'attend' && r.load.startsWith('ATTLOG'))
    console.log(`\nserve ratio, worker-API single events at ${CONNECTIONS} connections (attend ÷ bare node:http): ${single.ratio.toFixed(2)} — target ≥ 0.60 ${single.ratio >= 0.6 ? 'met' : 'NOT met'}`)
    if (backlog) console.log(`serve ratio, ATTLOG ${ATTLOG_LINES}-line uploads (with attendance recompute): ${backlog.ratio.toFixed(2)}`)
  } finally {
    for (const child of children) child.kill()
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

async function prepareAttendStore(db) {
  const {openStore} = await load('db/open.js')
  const {writeSettings} = await load('store/sqlite/directory/settings.js')
  const {createApiKey} = await load('store/sqlite/directory/api-keys.js')
  const {createDevice} = await load('store/sqlite/devices.js')
  const {createEmployee} = await load('store/sqlite/directory/employees.js')
  const store = openStore(db)
  const now = Date.now()
  writeSettings(store, {timezone: 'UTC', weekOff: ['sat', 'sun']}, now)
  for (let i = 1; i <= EMPLOYEES; i++) createEmployee(store, {code: `EMP${String(i).padStart(3, '0')}`, name: `Worker ${i}`}, now)
  createDevice(store, {serial: SERIAL, name: 'Bench terminal'}, now)
  const {addMapping} = await load('store/sqlite/directory/mappings.js')
  for (let i = 1; i <= EMPLOYEES; i++) addMapping(store, {deviceUserId: String(i), employeeCode: employeeCode(i - 1)}, now)
  const {key} = createApiKey(store, {name: 'bench', limits: [{max: 1_000_000_000, window: 'day'}]}, now)
  store.close()
  return {attendDb: db, key}
}

async function pipelineAlone(db) {
  const {attendDb} = await prepareAttendStore(db)
  const {openStore} = await load('db/open.js')
  const {ingestPunches} = await load('store/sqlite/ingest/pipeline.js')
  const {parseAttendanceEvent} = await load('formats/json-events.js')
  const {parseAttlogLine} = await load('formats/attlog.js')
  const store = openStore(attendDb)
  const rate = (makeBatch) => {
    const until = performance.now() + Math.min(DURATION, 3) * 1000
    let calls = 0
    const started = performance.now()
    while (performance.now() < until) {
      ingestPunches(store, makeBatch(), {source: 'bench', now: Date.now()})
      calls++
    }
    return calls / ((performance.now() - started) / 1000)
  }
  const events = rate(() => {
    const spec = eventRequest('', '', 'pipeline').setupRequest({})
    const parsed = parseAttendanceEvent(JSON.parse(spec.body), 0, null)
    return [parsed.punch]
  })
  const attlog = rate(() => {
    const body = attlogRequest('', 'pipeline').setupRequest({}).body
    return body.split('\n').filter(Boolean).map((line, i) => parseAttlogLine(line, i + 1).punch).map((punch) => ({...punch, deviceSerial: SERIAL}))
  })
  store.close()
  return {events, attlog}
}

function startChild(kind, db) {
  const child = fork(fileURLToPath(import.meta.url), ['--server', kind, db], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
  return new Promise((resolve, reject) => {
    child.once('message', ({port}) => resolve({child, url: `http://127.0.0.1:${port}`}))
    child.once('exit', (code) => reject(new Error(`${kind} server exited ${code}`)))
  })
}

async function probe(url, method, body) {
  try {
    const res = await globalThis.fetch(url, {method, body, headers: {'content-type': 'text/plain'}})
    return res.status === 200
  } catch {
    return false
  }
}

function employeeCode(index) {
  return `EMP${String(index + 1).padStart(3, '0')}`
}

/**
 * The k-th punch of a load: employee k mod 200, four punches each per day (08:00, 11:00, 14:00,
 * 17:00 plus a few seconds per employee), one day after another from `start`. Unique per k, so
 * every request stores new punches; a full run of either load stays years in the past.
 */
function punchAt(k, start) {
  const employee = k % EMPLOYEES
  const perDay = EMPLOYEES * PUNCHES_PER_DAY
  const day = Math.floor(k / perDay)
  const slot = Math.floor(k / EMPLOYEES) % PUNCHES_PER_DAY
  const ms = start + day * 86_400_000 + ((8 + slot * 3) * 3600 + employee * 7) * 1000
  return {employee, ms, checkIn: slot % 2 === 0}
}

function eventRequest(url, key, prefix) {
  return {
    url: `${url}/api/biometric/attendance`,
    method: 'POST',
    headers: {'content-type': 'application/json', 'x-api-key': key},
    setupRequest(req) {
      const n = nextNumber(`events ${prefix}`)
      const punch = punchAt(n, EVENTS_START)
      req.body = JSON.stringify({
        scanId: `${prefix}-${n}`,
        employeeId: employeeCode(punch.employee),
        eventType: punch.checkIn ? 'check_in' : 'check_out',
        timestamp: new Date(punch.ms).toISOString(),
        temperature: 36.5,
        maskDetected: true,
      })
      return req
    },
  }
}

function attlogRequest(url, prefix) {
  return {
    url: `${url}/iclock/cdata?SN=${SERIAL}&table=ATTLOG&Stamp=1`,
    method: 'POST',
    headers: {'content-type': 'text/plain'},
    setupRequest(req) {
      const n = nextNumber(`attlog ${prefix}`)
      const lines = []
      for (let i = 0; i < ATTLOG_LINES; i++) {
        const punch = punchAt(n * ATTLOG_LINES + i, ATTLOG_START)
        const t = new Date(punch.ms).toISOString().slice(0, 19).replace('T', ' ')
        lines.push(`${punch.employee + 1}\t${t}\t${punch.checkIn ? 0 : 1}\t1\t0\t0`)
      }
      req.body = lines.join('\n') + '\n'
      return req
    },
  }
}

async function compare(name, punchesPerRequest, attend, bare, makeRequest) {
  const a = await measure(attend.url, makeRequest(attend.url, `attend-${name}`))
  const b = await measure(bare.url, makeRequest(bare.url, `bare-${name}`))
  const row = (server, r) => ({load: name, server, rps: r.rps, pps: r.rps * punchesPerRequest, p99: r.p99, errors: r.errors, acknowledgedPunches: r.total * punchesPerRequest})
  return [{...row('attend', a), ratio: a.rps / b.rps}, row('bare', b)]
}

async function measure(url, requestSpec) {
  const {url: target, ...rest} = requestSpec
  // A short warm-up (JIT, page cache), then the measured run.
  const warmup = await autocannon({url: target, connections: CONNECTIONS, duration: 1, requests: [rest]})
  const result = await autocannon({url: target, connections: CONNECTIONS, duration: DURATION, requests: [rest]})
  const ok = result['2xx']
  return {rps: ok / DURATION, total: ok + warmup['2xx'], p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts}
}
