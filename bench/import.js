#!/usr/bin/env node
// bench/import: the whole `attend import` process, spawned as a user runs it (start-up, store
// opening, reading and parsing the file, the punch pipeline, the final checkpoint), on a ZKTeco
// attlog file (default 1 000 000 lines, 1 000 users), against two raw better-sqlite3 loops of the
// same rows in the same run, each parsed up front (not timed) and inserted with one prepared
// statement in one transaction, default page cache:
//   - into today's punches table (every column and index the import fills);
//   - into a minimal punches table that has only the dedup key (the floor for storing a punch).
// Prints both rates and both ratios (target ≥ 0.5 against the minimal table), the re-import rate
// (all duplicates) and the peak RSS of the import at two file sizes (flat memory means the larger
// file does not need more). Then the same file is imported, with and without --strict, next to an
// `attend serve` that a client keeps busy with punches: every one of its requests must be stored
// (no 503: the import never holds the write lock long). Each measurement runs in its own process.
// `--quick` (or BENCH_QUICK=1) runs 100 000 lines.
/* global fetch */
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {performance} from 'node:perf_hooks'

const here = fileURLToPath(import.meta.url)
const root = path.resolve(path.dirname(here), '..')
const dist = path.join(root, 'dist')
const bin = path.join(root, 'bin', 'run.js')
const ZONE = 'Africa/Nairobi'
const NOW = Date.parse('2026-03-14T10:00:00Z')

if (process.argv[2] === '--child') await childMain(process.argv[3], process.argv[4], process.argv[5])
else await main()

async function main() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
  const lines = quick ? 100_000 : 1_000_000
  // The import's page cache is 64 MB: the small run must be large enough to fill it too, or the
  // comparison would show the cache filling up rather than memory growing with the file.
  const small = Math.max(10_000, Math.floor(lines * 0.4))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-import-'))
  try {
    const bigFile = path.join(dir, '1_attlog.dat')
    const smallFile = path.join(dir, 'small_attlog.dat')
    generate(bigFile, lines)
    generate(smallFile, small)
    const mb = (fs.statSync(bigFile).size / 1e6).toFixed(1)
    console.log(`attlog: ${lines.toLocaleString('en')} lines (${mb} MB), 1 000 users; small run: ${small.toLocaleString('en')} lines`)

    // Alternating rounds, best of each: other processes on a shared machine skew single runs.
    let full
    let minimal
    let imported
    let reimport
    for (let round = 0; round < 2; round++) {
      for (const f of fs.readdirSync(dir)) if (f.endsWith('.db') || f.includes('.db-')) fs.rmSync(path.join(dir, f))
      const m = runBaseline('minimal', bigFile, path.join(dir, 'minimal.db'))
      const b = runBaseline('full', bigFile, path.join(dir, 'full.db'))
      const i = attendImport(bigFile, path.join(dir, 'import.db'), dir)
      const r = attendImport(bigFile, path.join(dir, 'import.db'), dir)
      if (!minimal || m.ms < minimal.ms) minimal = m
      if (!full || b.ms < full.ms) full = b
      if (!imported || i.ms < imported.ms) imported = i
      if (!reimport || r.ms < reimport.ms) reimport = r
    }
    const smallRun = attendImport(smallFile, path.join(dir, 'small.db'), dir)

    if (imported.stored !== lines || reimport.duplicates !== lines || full.rows !== lines || minimal.rows !== lines) {
      throw new Error(`unexpected counts: baselines ${minimal.rows}/${full.rows}, stored ${imported.stored}, re-import duplicates ${reimport.duplicates}`)
    }
    const rate = (n, ms) => Math.round(n / (ms / 1000))
    const fmt = (n) => n.toLocaleString('en')
    const importRate = rate(lines, imported.ms)
    const ratioMinimal = importRate / rate(lines, minimal.ms)
    const ratioFull = importRate / rate(lines, full.ms)
    console.log(`raw insert, minimal table (dedup key only): ${fmt(rate(lines, minimal.ms))} rows/s  (${(minimal.ms / 1000).toFixed(2)} s)`)
    console.log(`raw insert, today's punches table:          ${fmt(rate(lines, full.ms))} rows/s  (${(full.ms / 1000).toFixed(2)} s)`)
    console.log(`attend import (whole process):              ${fmt(importRate)} punches/s  (${(imported.ms / 1000).toFixed(2)} s)`)
    console.log(`ratio import/minimal table:                 ${ratioMinimal.toFixed(2)}  (target ≥ 0.50) ${ratioMinimal >= 0.5 ? 'ok' : 'BELOW TARGET'}`)
    console.log(`ratio import/today's table:                 ${ratioFull.toFixed(2)}`)
    console.log(`re-import (all duplicates):                 ${fmt(rate(lines, reimport.ms))} punches/s  (${(reimport.ms / 1000).toFixed(2)} s)`)
    const growth = imported.maxRssMb / smallRun.maxRssMb
    console.log(
      `peak RSS: ${imported.maxRssMb.toFixed(0)} MB at ${fmt(lines)} lines vs ${smallRun.maxRssMb.toFixed(0)} MB at ${fmt(small)} lines ` +
        `(×${growth.toFixed(2)} for ×${(lines / small).toFixed(0)} the lines) ${quick ? '(judged on the full run only)' : growth < 1.5 ? 'flat' : 'NOT FLAT'}`,
    )
    let unavailable = 0
    for (const strict of [false, true]) {
      const served = await importNextToServe(bigFile, path.join(dir, `serve-${strict ? 'strict' : 'plain'}.db`), dir, strict)
      unavailable += served.failed
      const codes = Object.entries(served.statuses).map(([code, n]) => `${n} × ${code}`).join(', ')
      console.log(
        `attend serve under load during the import${strict ? ' --strict' : ''}: ${fmt(served.requests)} requests (${codes}), ` +
          `${served.failed} not stored ${served.failed === 0 ? 'ok' : 'FAILED'}; import ${(served.importMs / 1000).toFixed(2)} s`,
      )
    }
    // A quick run is too small for V8's heap to reach its steady size, so only the full run judges memory.
    process.exitCode = ratioMinimal >= 0.5 && (quick || growth < 1.5) && unavailable === 0 ? 0 : 1
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * `attend import FILE` in its own process, timed from spawn to exit. A one-line preload reports the
 * process's peak RSS when it exits; the store is created (and its zone set) beforehand, untimed.
 */
function attendImport(file, db, dir) {
  if (!fs.existsSync(db)) {
    const init = spawnSync(process.execPath, [bin, 'init', '--timezone', ZONE, '--db', db], {encoding: 'utf8'})
    if (init.status !== 0) throw new Error(`attend init failed: ${init.stderr}`)
  }
  const report = path.join(dir, 'rss.json')
  const preload = path.join(dir, 'rss.cjs')
  fs.writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({maxRssMb: process.resourceUsage().maxRSS / 1024})))\n`)
  const started = performance.now()
  const result = spawnSync(process.execPath, ['--require', preload, bin, 'import', file, '--format', 'attlog', '--db', db, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1e8,
    env: {...process.env, ATTEND_NOW: new Date(NOW).toISOString()},
  })
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`attend import failed (${result.status}): ${result.stderr}`)
  const summary = JSON.parse(result.stdout)
  return {ms, stored: summary.stored, duplicates: summary.duplicates, ...JSON.parse(fs.readFileSync(report, 'utf8'))}
}

/**
 * `attend serve` on its own store, a client sending it one punch after another (each answered
 * before the next is sent), and `attend import FILE` into the same store meanwhile. Counts the
 * answers by status and the punches the server did not store.
 */
async function importNextToServe(file, db, dir, strict) {
  const attend = (args) => {
    const result = spawnSync(process.execPath, [bin, ...args, '--db', db], {encoding: 'utf8'})
    if (result.status !== 0) throw new Error(`attend ${args.join(' ')} failed: ${result.stderr}`)
    return result.stdout
  }
  attend(['init', '--timezone', ZONE])
  attend(['employees', 'add', '--code', 'GATE1', '--name', 'Bench gate user'])
  const {key} = JSON.parse(attend(['keys', 'create', '--name', 'bench', '--scopes', 'ingest', '--limit', '1000000/minute', '--json']))
  const serve = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--db', db], {stdio: ['ignore', 'ignore', 'pipe']})
  const url = await new Promise((resolve, reject) => {
    let err = ''
    serve.stderr.setEncoding('utf8').on('data', (d) => {
      err += d
      const match = /listening on (\S+)/.exec(err)
      if (match) resolve(match[1])
    })
    serve.on('exit', () => reject(new Error(`attend serve stopped: ${err}`)))
  })
  try {
    const started = performance.now()
    const importing = spawn(process.execPath, [bin, 'import', file, '--format', 'attlog', '--db', db, ...(strict ? ['--strict'] : [])], {stdio: 'ignore'})
    let running = true
    const done = new Promise((resolve) => importing.on('exit', (code) => {
      running = false
      resolve(code)
    }))
    const statuses = {}
    let requests = 0
    let failed = 0
    while (running) {
      const response = await fetch(`${url}/api/biometric/attendance`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-api-key': key},
        body: JSON.stringify({scanId: `bench-${strict}-${requests}`, employeeId: 'GATE1', eventType: 'check_in', timestamp: new Date(Date.UTC(2025, 0, 1) + requests * 60_000).toISOString()}),
      })
      const body = await response.json().catch(() => ({}))
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      if (response.status !== 200 || body.successful !== 1) failed++
      requests++
    }
    const code = await done
    if (code !== 0) throw new Error(`attend import next to serve exited ${code}`)
    return {requests, statuses, failed, importMs: performance.now() - started}
  } finally {
    serve.kill('SIGTERM')
    await new Promise((resolve) => serve.once('exit', resolve))
  }
}

function runBaseline(mode, file, db) {
  const result = spawnSync(process.execPath, [here, '--child', mode, file, db], {encoding: 'utf8', maxBuffer: 1e7})
  if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr || result.stdout}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1))
}

/** Two punches a day per user (in 07:30–09:00, out 16:30–18:30), day after day, like a USB export. */
function generate(file, lines) {
  const fd = fs.openSync(file, 'w')
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const pad = (n) => String(n).padStart(2, '0')
  const users = 1000
  let written = 0
  let chunk = []
  for (let day = 0; written < lines; day++) {
    const date = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)
    for (let u = 1; u <= users && written < lines; u++) {
      for (const [from, span, status] of [[7 * 60 + 30, 90, 0], [16 * 60 + 30, 120, 1]]) {
        if (written >= lines) break
        const minute = from + Math.floor(random() * span)
        const second = Math.floor(random() * 60)
        chunk.push(`${u}\t${date} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad(second)}\t${status}\t1\t0\t0\t0`)
        written++
      }
      if (chunk.length >= 10_000) {
        fs.writeSync(fd, chunk.join('\n') + '\n')
        chunk = []
      }
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n')
  fs.closeSync(fd)
}

/** A baseline: the same rows, parsed up front (not timed), inserted bare in one transaction. */
async function baseline(mode, file, db) {
  const {default: Database} = await import('better-sqlite3')
  const rows = []
  const offsetMs = 3 * 3_600_000
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue
    const f = line.split('\t')
    const local = f[1]
    rows.push([f[0], Date.parse(`${local.replace(' ', 'T')}Z`) - offsetMs, local, f[2], f[3], f[4], line])
  }
  let sqlite
  let insert
  if (mode === 'minimal') {
    sqlite = new Database(db)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.exec(`CREATE TABLE punches (id INTEGER PRIMARY KEY, device_key TEXT NOT NULL, device_user_id TEXT NOT NULL, instant INTEGER NOT NULL,
                 UNIQUE (device_key, device_user_id, instant))`)
    const statement = sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, instant) VALUES ('import:attlog', ?, ?) ON CONFLICT DO NOTHING`)
    insert = (r) => statement.run(r[0], r[1])
  } else {
    const {openStore} = await import(path.join(dist, 'db/open.js'))
    sqlite = openStore(db).sqlite
    const statement = sqlite.prepare(
      `INSERT INTO punches (device_key, device_user_id, instant, local_time, utc_offset, raw_status, raw_verify, work_code, source, manual, received_at, raw)
       VALUES ('import:attlog', ?, ?, ?, 180, ?, ?, ?, 'import:attlog', 0, ${NOW}, ?) ON CONFLICT DO NOTHING`,
    )
    insert = (r) => statement.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6])
  }
  const started = performance.now()
  sqlite.transaction(() => {
    for (const r of rows) insert(r)
  })()
  const ms = performance.now() - started
  sqlite.close()
  return {ms, rows: rows.length}
}

async function childMain(mode, file, db) {
  const out = await baseline(mode, file, db)
  console.log(JSON.stringify(out))
}
