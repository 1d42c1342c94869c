#!/usr/bin/env node
// bench/dashboard: the status page of `attend serve` at a site of 1 000 employees (20 departments,
// a night shift among them) with a month of punches (four a day) and their attendance computed.
//   1. What the page costs to read, on the report thread's read-only connection: today's snapshot
//      (daily report of today — and of yesterday, for the night shift — devices, the feed), with and
//      without the month's chart, and a live poll. Baselines, same run: `attend report daily` for
//      today, plus `attend report register` for the month so far (what the chart is made from).
//   2. Whether an open page slows ingest: push-log punches/s through a real server with no page
//      open, and with 20 pages open on the live feed (polling every 1.5 s, rebuilding today's
//      figures as the punches arrive), in alternating rounds. Ratio: with ÷ without (1.00 = no effect).
//   node bench/dashboard.js [--quick]      (needs `npm run build`)
/* global fetch, AbortController, TextDecoder */
import autocannon from 'autocannon'
import {fork} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, '..', 'dist')
const load = (file) => import(path.join(dist, file))
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const EMPLOYEES = quick ? 200 : 1000
const NIGHT_EVERY = 10
const DURATION = quick ? 4 : 8
const PAGES = 20
const RUNS = quick ? 3 : 5
const ROUNDS = quick ? 2 : 3
// 10:00 on the 20th in Nairobi: the day shift is running, the night shift of the 19th just closed.
const ZONE = 'Africa/Nairobi'
const MONTH = '2026-03'
const TODAY = `${MONTH}-20`
const NOW = Date.parse(`${TODAY}T10:00:00+03:00`)
/** A month of punches: the thirty days before today, and today's morning. */
const DAYS = 30
const FIRST = '2026-02-18'
const SERIAL = 'BENCH-GATE'

if (process.argv[2] === '--server') await runServer(process.argv[3])
else await main()

async function main() {
  if (!fs.existsSync(path.join(dist, 'server', 'app.js'))) {
    console.error('bench/dashboard needs the built app: run `npm run build` first.')
    process.exit(1)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-dashboard-'))
  try {
    const db = path.join(dir, 'attend.db')
    const site = await seed(db)
    console.log(`bench/dashboard: ${EMPLOYEES} employees, ${site.punches.toLocaleString('en')} punches (${FIRST} to ${TODAY}), Node ${process.version}, ${os.cpus().length} CPUs${quick ? ' (quick)' : ''}`)
    await readCosts(db)
    await ingestWithPages(db, site.token, site.key)
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

async function seed(db) {
  const {openStore} = await load('db/open.js')
  const {writeSettings} = await load('store/sqlite/directory/settings.js')
  const {addShift} = await load('store/sqlite/schedules/shifts.js')
  const {assignShift} = await load('store/sqlite/schedules/assign.js')
  const {createDevice} = await load('store/sqlite/devices.js')
  const {createApiKey} = await load('store/sqlite/directory/api-keys.js')
  const {recomputeRange} = await load('store/sqlite/attendance/recompute.js')
  const store = openStore(db)
  const started = performance.now()
  const open = () => store
  writeSettings(store, {timezone: ZONE, weekOff: ['sun']}, NOW)
  addShift(open, 'Day', {start: '08:00', end: '17:00', lateGrace: 10}, NOW)
  addShift(open, 'Night', {start: '22:00', end: '06:00'}, NOW)
  writeSettings(store, {defaultShift: 'Day'}, NOW)
  const device = createDevice(store, {serial: SERIAL, name: 'Main gate'}, NOW)
  const key = createApiKey(store, {name: 'wall', scopes: ['read']}, NOW).key
  const employee = store.sqlite.prepare(`INSERT INTO employees (code, name, department, active, joined_on, created_at, updated_at) VALUES (?, ?, ?, 1, '2025-01-01', ?, ?)`)
  const punch = store.sqlite.prepare(`INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, source, received_at) VALUES (?, ?, ?, ?, ?, 'http:push-log', ?)`)
  let seedValue = 42
  const jitter = (minutes) => {
    seedValue = (seedValue * 1103515245 + 12345) & 0x7fffffff
    return (seedValue % minutes) * 60_000
  }
  let punches = 0
  store.transaction(() => {
    for (let e = 1; e <= EMPLOYEES; e++) {
      const code = `EMP${String(e).padStart(4, '0')}`
      employee.run(code, `Person ${e}`, e % NIGHT_EVERY === 0 ? 'Night crew' : `Dept ${String(e % 19).padStart(2, '0')}`, NOW, NOW)
      for (let d = -DAYS; d <= 0; d++) {
        const start = Date.parse(`${TODAY}T${e % NIGHT_EVERY === 0 ? '22' : '08'}:00:00+03:00`) + d * 86_400_000 - 10 * 60_000
        // Today only the morning so far; a night shift's punches of the 20th are still to come.
        const times = d < 0 ? [0, 4 * 3600_000, 5 * 3600_000, 9 * 3600_000] : e % NIGHT_EVERY === 0 ? [] : [0]
        for (const offset of times) {
          punch.run(SERIAL, device.device.id, code, e, start + offset + jitter(30), NOW)
          punches++
        }
      }
    }
  })
  assignShift(open, 'Night', {department: 'Night crew'}, NOW)
  recomputeRange(store, {from: FIRST, to: TODAY}, NOW)
  store.close()
  console.log(`seeded and computed in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return {punches, token: device.token, key}
}

/** `YYYY-MM-DD HH:MM:SS` in Nairobi (UTC+3, no DST): a push-log terminal's wall clock. */
function wallTime(ms) {
  return new Date(ms + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function time(fn) {
  const runs = []
  let result
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    result = await fn()
    runs.push(performance.now() - started)
  }
  return {ms: median(runs), result}
}

async function readCosts(db) {
  const {openStore} = await load('db/open.js')
  const {buildReport} = await load('reports/build.js')
  const {dashboardSnapshot, dashboardLive} = await load('server/dashboard/thread-tasks.js')
  const {sqliteAttendStore} = await load('store/sqlite/port.js')
  const {GroupCommit} = await load('store/sqlite/group-commit.js')
  const store = openStore(db, {readonly: true})
  // The report thread's view: the store port over a read-only connection.
  const port = sqliteAttendStore(store, new GroupCommit(store))
  try {
    const report = (kind, from, to) => () => buildReport(port, {kind, from, to, employee: null, department: null, generatedAt: null}, NOW)
    const daily = await time(report('daily', TODAY, TODAY))
    const register = await time(report('register', `${MONTH}-01`, TODAY))
    const today = await time(() => dashboardSnapshot(port, {withMonth: false}, NOW))
    const full = await time(() => dashboardSnapshot(port, {withMonth: true}, NOW))
    const live = await time(() => dashboardLive(port, {after: full.result.cursor - 50}, NOW))
    const bytes = Buffer.byteLength(JSON.stringify(full.result))
    const counts = today.result.today.counts
    console.log(`\ntoday: ${counts.on_roll} on the roll, ${counts.present} present, ${counts.absent} absent, ${counts.pending} not yet due, ${today.result.in_now.length} in now; snapshot JSON ${(bytes / 1024).toFixed(0)} KiB`)
    console.log(['read (median of ' + RUNS + ')', 'ms', 'baseline ms', 'ratio'].map((h, i) => (i ? h.padStart(12) : h.padEnd(44))).join(''))
    const row = (label, ms, base) => console.log([label.padEnd(44), ms.toFixed(1).padStart(12), base === undefined ? ''.padStart(12) : base.toFixed(1).padStart(12), base === undefined ? '' : (ms / base).toFixed(2).padStart(12)].join(''))
    row('attend report daily (today)', daily.ms)
    row('attend report register (month so far)', register.ms)
    row("snapshot: today's figures, in now, devices, feed", today.ms, daily.ms)
    row('snapshot with the month chart', full.ms, daily.ms + register.ms)
    row('live poll (50 new punches, devices)', live.ms)
  } finally {
    store.close()
  }
}

async function runServer(db) {
  const {openStore} = await load('db/open.js')
  const {buildApp} = await load('server/app.js')
  const {sqliteAttendStore} = await load('store/sqlite/port.js')
  const {GroupCommit} = await load('store/sqlite/group-commit.js')
  const store = openStore(db)
  const started = Date.now()
  // The seeded day's clock, running: the page's "today" is the 20th, with its data.
  const now = () => NOW + (Date.now() - started)
  const app = await buildApp({attendStore: sqliteAttendStore(store, new GroupCommit(store, {now})), now, version: 'bench', startedAt: started}, {logLevel: 'warn', deviceRateLimit: {max: 1_000_000_000, window: 'day'}})
  await app.listen({host: '127.0.0.1', port: 0})
  process.on('disconnect', () => process.exit(0))
  process.send({port: app.server.address().port})
}

function startServer(db) {
  const child = fork(fileURLToPath(import.meta.url), ['--server', db], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
  return new Promise((resolve, reject) => {
    child.once('message', ({port}) => resolve({child, url: `http://127.0.0.1:${port}`}))
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

async function ingestWithPages(db, token, key) {
  const server = await startServer(db)
  const streams = []
  try {
    let n = 0
    // One punch per request, person after person, each round of the staff a minute later, all on
    // today's morning (well inside the future margin): every request recomputes someone's day.
    const load = (duration = DURATION) =>
      new Promise((resolve, reject) =>
        autocannon(
          {
            url: `${server.url}/api/v1/biometric/push-log`,
            connections: 10,
            duration,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  n++
                  const at = wallTime(NOW - 3 * 3600_000 + Math.floor(n / EMPLOYEES) * 60_000 + (n % 60) * 1000)
                  return {...request, headers: {'content-type': 'application/json', authorization: `Bearer ${token}`}, body: JSON.stringify({logs: [{user_id: `EMP${String((n % EMPLOYEES) + 1).padStart(4, '0')}`, timestamp: at}]})}
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      )
    const signIn = await fetch(`${server.url}/dashboard/sign-in`, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: `key=${key}`, redirect: 'manual'})
    const cookie = signIn.headers.get('set-cookie').split(';')[0]
    let events = 0
    const openPages = async () => {
      const before = events
      for (let i = 0; i < PAGES; i++) {
        const controller = new AbortController()
        const response = await fetch(`${server.url}/dashboard/events`, {headers: {cookie}, signal: controller.signal})
        const reader = response.body.getReader()
        void (async () => {
          try {
            for (;;) {
              const {done, value} = await reader.read()
              if (done) break
              events += (new TextDecoder().decode(value).match(/^event: /gm) ?? []).length
            }
          } catch {
            // closed at the end of the round
          }
        })()
        streams.push(controller)
      }
      // Every page has its first snapshot (and the report thread is up) before the punches start.
      while (events < before + PAGES) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const closePages = () => {
      for (const controller of streams.splice(0)) controller.abort()
    }

    // Warm-up (JIT, page cache), then rounds without and with pages in turn: the machine's drift
    // (other processes) then shows in both columns instead of passing for the pages' cost.
    await load(2)
    const without = []
    const withPages = []
    let during = 0
    for (let round = 0; round < ROUNDS; round++) {
      without.push(await load())
      await openPages()
      const before = events
      withPages.push(await load())
      during += events - before
      closePages()
    }
    const pps = (r) => r.requests.average
    console.log(`\ningest (push-log, one punch per request, 10 connections, ${ROUNDS} rounds of ${DURATION} s each way)`)
    console.log(['', 'punches/s (median)', 'p99 ms', 'non-2xx'].map((h, i) => (i ? h.padStart(20) : h.padEnd(30))).join(''))
    for (const [label, runs] of [['no page open', without], [`${PAGES} pages open (live)`, withPages]]) {
      console.log([label.padEnd(30), median(runs.map(pps)).toFixed(0).padStart(20), String(median(runs.map((r) => r.latency.p99))).padStart(20), String(runs.reduce((a, r) => a + r.non2xx, 0)).padStart(20)].join(''))
    }
    console.log(`rounds, punches/s without → with: ${without.map((r, i) => `${pps(r).toFixed(0)} → ${pps(withPages[i]).toFixed(0)}`).join(', ')}`)
    console.log(`the pages received ${during} events while the punches arrived (snapshots, punches, devices)`)
    console.log(`\ndashboard ratio, ingest with ${PAGES} pages open ÷ without: ${(median(withPages.map(pps)) / median(without.map(pps))).toFixed(2)} (1.00 = an open page costs ingest nothing)`)
  } finally {
    for (const controller of streams) controller.abort()
    server.child.kill()
  }
}
