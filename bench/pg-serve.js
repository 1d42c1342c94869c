#!/usr/bin/env node
// bench/pg-serve: `attend serve --db postgres://…` — one instance, then two instances on the same
// database with the load split between them (as behind a balancer) — against a bare `pg` insert
// loop of the same number of punches into a table with only the dedup key, in the same run, on the
// same cluster, with as many connections. The load is worker-API single events (one punch per
// request, an API key, the whole pipeline with attendance recompute), 200 employees punching four
// times a day. Every acknowledged punch must be in the store afterwards. The cluster is $ATTEND_TEST_PG
// or a throw-away one from scripts/pg-test-cluster.sh; without PostgreSQL the bench says so and skips.
//   node bench/pg-serve.js [--quick] [--connections N]
import autocannon from 'autocannon'
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {bareInsertRate, benchCluster} from './pg-cluster.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'run.js')
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const DURATION = quick ? 3 : 10
const at = process.argv.indexOf('--connections')
const CONNECTIONS = at > 0 ? Number(process.argv[at + 1]) : 50
const EMPLOYEES = 200
const START = Date.UTC(2017, 0, 1)

const cluster = await benchCluster()
if (!cluster) {
  console.log('bench/pg-serve: PostgreSQL is not installed here (no initdb, no ATTEND_TEST_PG); skipped.')
  process.exit(0)
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-pg-serve-'))
const servers = []
try {
  console.log(`bench/pg-serve: ${DURATION}s per run, ${CONNECTIONS} connections, Node ${process.version}, ${os.cpus().length} CPUs${quick ? ' (quick)' : ''}`)
  let k = 0
  const results = []
  for (const instances of [1, 2]) {
    const url = await cluster.database(`serve${instances}`)
    const key = seed(url)
    const urls = []
    for (let i = 0; i < instances; i++) urls.push(await serve(url))
    // The connections split between the instances, as a balancer would; all at once.
    const runs = await Promise.all(urls.map((u) => load(u, key, Math.max(1, Math.round(CONNECTIONS / instances)), () => k++)))
    for (const s of servers.splice(0)) s.kill('SIGTERM')
    const acknowledged = runs.reduce((sum, r) => sum + r['2xx'], 0)
    const stored = await count(url)
    if (stored < acknowledged) console.log(`WARNING: ${instances} instance(s) acknowledged ${acknowledged} punches but stored ${stored}`)
    const seconds = runs[0].duration
    results.push({instances, rps: acknowledged / seconds, p99: Math.max(...runs.map((r) => r.latency.p99)), errors: runs.reduce((s, r) => s + r.non2xx + r.errors, 0), acknowledged})
  }

  // The baseline: as many punches as one instance stored, one INSERT each, as many connections.
  const bareUrl = await cluster.database('bare')
  const rows = Array.from({length: Math.max(2000, results[0].acknowledged)}, (_, i) => {
    const p = punchAt(i)
    return {deviceKey: 'bare', deviceUserId: code(p.employee), instant: p.ms, localTime: new Date(p.ms).toISOString(), raw: null}
  })
  const bare = await bareInsertRate(bareUrl, rows, CONNECTIONS)

  console.log('')
  console.log(['server', 'punches/s', 'p99 ms', 'non-2xx', 'ratio'].map((h, i) => (i ? h.padStart(10) : h.padEnd(26))).join(''))
  for (const r of results) {
    console.log([`attend serve × ${r.instances}`.padEnd(26), r.rps.toFixed(0).padStart(10), String(r.p99).padStart(10), String(r.errors).padStart(10), (r.rps / bare).toFixed(2).padStart(10)].join(''))
  }
  console.log(['bare pg insert loop'.padEnd(26), bare.toFixed(0).padStart(10)].join(''))
  console.log(`\npg-serve ratio, one instance (attend ÷ bare pg inserts): ${(results[0].rps / bare).toFixed(2)}; two instances: ${(results[1].rps / bare).toFixed(2)}`)
} finally {
  for (const s of servers) s.kill('SIGKILL')
  await cluster.stop()
  fs.rmSync(dir, {recursive: true, force: true})
}

/** 200 employees and an API key without practical limits, made on SQLite and moved with `attend db copy`. */
function seed(url) {
  const db = path.join(dir, `seed-${path.basename(new URL(url).pathname)}.db`)
  const run = (...args) => {
    const result = spawnSync(process.execPath, [bin, ...args, '--db', db], {encoding: 'utf8'})
    if (result.status !== 0) throw new Error(`attend ${args.join(' ')} failed: ${result.stderr}`)
    return result.stdout
  }
  run('init', '--timezone', 'UTC')
  const csv = path.join(dir, 'staff.csv')
  fs.writeFileSync(csv, `code,name\n${Array.from({length: EMPLOYEES}, (_, i) => `${code(i)},Worker ${i + 1}`).join('\n')}\n`)
  run('employees', 'import', csv)
  const key = JSON.parse(run('keys', 'create', '--name', 'bench', '--scopes', 'ingest', '--limit', '1000000000/day', '--json')).key
  const copied = spawnSync(process.execPath, [bin, 'db', 'copy', '--from', db, '--to', url], {encoding: 'utf8'})
  if (copied.status !== 0) throw new Error(`attend db copy failed: ${copied.stderr}`)
  return key
}

function serve(url) {
  const child = spawn(process.execPath, [bin, 'serve', '--db', url, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', '--no-dashboard'], {stdio: ['ignore', 'ignore', 'pipe']})
  servers.push(child)
  let stderr = ''
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
      const m = /listening on (\S+)/.exec(stderr)
      if (m) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`attend serve exited ${code}: ${stderr}`)))
  })
}

function load(url, key, connections, next) {
  return autocannon({
    url: `${url}/api/biometric/attendance`,
    connections,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-api-key': key},
        setupRequest(req) {
          const n = next()
          const p = punchAt(n)
          req.body = JSON.stringify({scanId: `bench-${n}`, employeeId: code(p.employee), eventType: p.checkIn ? 'check_in' : 'check_out', timestamp: new Date(p.ms).toISOString()})
          return req
        },
      },
    ],
  })
}

async function count(url) {
  const {default: pg} = await import('pg')
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const {rows} = await client.query('SELECT count(*)::int AS n FROM punches')
  await client.end()
  return rows[0].n
}

function code(i) {
  return `EMP${String(i + 1).padStart(3, '0')}`
}

/** The k-th punch: employee k mod 200, four a day (08:00, 11:00, 14:00, 17:00 and a few seconds), day after day. */
function punchAt(k) {
  const employee = k % EMPLOYEES
  const day = Math.floor(k / (EMPLOYEES * 4))
  const slot = Math.floor(k / EMPLOYEES) % 4
  return {employee, ms: START + day * 86_400_000 + ((8 + slot * 3) * 3600 + employee * 7) * 1000, checkIn: slot % 2 === 0}
}
