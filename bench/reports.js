#!/usr/bin/env node
// Reports benchmark (docs/architecture.md, "Performance targets": "a 1 000-employee monthly register PDF in seconds; CSV streams with
// flat memory"). Builds a store with 1 000 employees × one month of attendance_days and 1 M punches,
// then runs each report in its own child process so its peak RSS is its own:
//   summary JSON, register CSV, register PDF (1 000 employees, March 2026)
//   punches CSV of 250 k and of 1 M rows: peak memory should not grow with the row count.
// Baseline (same run): a bare better-sqlite3 iterate over the same rows writing naive CSV lines.
// `--quick` (or BENCH_QUICK=1): 100 employees and 100 k punches.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = (p) => path.join(here, '..', 'dist', p)
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const EMPLOYEES = quick ? 100 : 1000
const PUNCHES = quick ? 100_000 : 1_000_000
const FROM = '2026-03-01'
const TO = '2026-03-31'
// Punches spread evenly over a year from 2026-01-01; a quarter of the span holds a quarter of them.
const SPAN_START = Date.UTC(2026, 0, 1)
const SPAN_MS = 365 * 86_400_000

const {openStore} = await import(dist('db/open.js'))

async function child(task, db, outDir) {
  const {runReport} = await import(dist('reports/run.js'))
  const {parseReportRequest} = await import(dist('reports/options.js'))
  const store = openStore(db)
  const {sqliteAttendStore} = await import(dist('store/sqlite/port.js'))
  const {GroupCommit} = await import(dist('store/sqlite/group-commit.js'))
  // What `attend report` runs on: the store port over the SQLite store.
  const port = sqliteAttendStore(store, new GroupCommit(store))
  const started = performance.now()
  let rows = 0
  if (task === 'baseline-days' || task.startsWith('baseline-punches')) {
    const quarter = task === 'baseline-punches-quarter'
    const out = fs.createWriteStream(path.join(outDir, `${task}.csv`))
    const statement = task === 'baseline-days'
      ? store.sqlite.prepare('SELECT * FROM attendance_days WHERE date BETWEEN ? AND ?').bind(FROM, TO)
      : store.sqlite.prepare('SELECT * FROM punches WHERE instant >= ? AND instant < ? ORDER BY instant, id').bind(SPAN_START, SPAN_START + (quarter ? SPAN_MS / 4 : SPAN_MS))
    for (const row of statement.iterate()) {
      rows++
      if (!out.write(Object.values(row).join(',') + '\n')) await new Promise((r) => out.once('drain', r))
    }
    await new Promise((r) => out.end(r))
  } else {
    const [kind, format, scope] = task.split('-')
    const flags = kind === 'punches'
      ? {from: '2026-01-01', to: scope === 'quarter' ? '2026-04-01' : '2026-12-31'}
      : {from: FROM, to: TO}
    const request = parseReportRequest(kind, {...flags, format, output: path.join(outDir, `${task}.${format}`), 'generated-at': '2026-04-01T06:00:00Z'}, {stdoutIsTTY: false})
    await runReport(port, request, Date.parse('2026-04-01T06:00:00Z'), {stdout: process.stdout, colorLevel: 0})
    if (kind === 'punches') {
      // Count after the export: reading the file back would itself raise the peak.
      const end = Date.parse(`${flags.to}T00:00:00+03:00`) + 86_400_000
      rows = store.sqlite.prepare('SELECT count(*) AS n FROM punches WHERE instant >= ? AND instant < ?').get(Date.parse(`${flags.from}T00:00:00+03:00`), end).n
    }
  }
  const ms = performance.now() - started
  store.close()
  process.stdout.write(JSON.stringify({ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows}) + '\n')
}

function seed(db) {
  const store = openStore(db)
  const {sqlite} = store
  sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('timezone', '"Africa/Nairobi"', 0), ('weekOff', '["sat","sun"]', 0)`).run()
  const shift = sqlite.prepare(`INSERT INTO shifts (name, start, "end", late_grace_minutes, created_at, updated_at) VALUES ('Day', '08:00', '17:00', 10, 0, 0)`).run().lastInsertRowid
  const employee = sqlite.prepare(`INSERT INTO employees (code, name, department, created_at, updated_at) VALUES (?, ?, ?, 0, 0)`)
  const day = sqlite.prepare(
    `INSERT INTO attendance_days (employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes, early_minutes,
       overtime_minutes, late, early_departure, missed_punch, punch_count, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 2, 0)`,
  )
  const punch = sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, employee_id, instant, direction, source, manual, received_at) VALUES (?, ?, ?, ?, ?, 'import:attlog', 0, 0)`)
  const names = ['Łukasz', 'Müller', 'José', 'Zoë', 'Amina', 'Wanjiru', 'Priya', 'Chen']
  store.transaction(() => {
    for (let e = 1; e <= EMPLOYEES; e++) {
      employee.run(`EMP${String(e).padStart(4, '0')}`, `${names[e % names.length]} Person ${e}`, `Dept ${String(e % 10).padStart(2, '0')}`)
      for (let d = 1; d <= 31; d++) {
        const date = `2026-03-${String(d).padStart(2, '0')}`
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
        const roll = (e * 31 + d) % 23
        const status = weekday === 0 || weekday === 6 ? 'weekly_off' : roll === 0 ? 'absent' : roll === 1 ? 'half_day' : roll === 2 ? 'leave' : 'present'
        const worked = status === 'present' ? 540 : status === 'half_day' ? 270 : 0
        const late = status === 'present' && roll === 3
        const base = Date.parse(`${date}T05:00:00Z`)
        day.run(e, date, status, status === 'present' || status === 'half_day' ? shift : null, worked ? base : null, worked ? base + worked * 60_000 : null,
          worked, late ? 15 : 0, 0, roll === 4 ? 30 : 0, late ? 1 : 0, 0)
      }
    }
    const step = SPAN_MS / PUNCHES
    for (let i = 0; i < PUNCHES; i++) {
      const user = (i % (EMPLOYEES + 50)) + 1
      punch.run(`SN-${i % 7}`, String(user), user <= EMPLOYEES ? user : null, Math.floor(SPAN_START + i * step), i % 2 ? 'out' : 'in')
    }
  })
  store.close()
}

function run(task, db, outDir) {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', task, db, outDir], {encoding: 'utf8', maxBuffer: 1 << 20})
  if (result.status !== 0) throw new Error(`bench task ${task} failed: ${result.stderr}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1))
}

const childIndex = process.argv.indexOf('--child')
if (childIndex !== -1) {
  await child(process.argv[childIndex + 1], process.argv[childIndex + 2], process.argv[childIndex + 3])
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-reports-'))
  try {
    const db = path.join(dir, 'attend.db')
    const seeded = performance.now()
    seed(db)
    console.log(`store: ${EMPLOYEES} employees × 31 days, ${PUNCHES.toLocaleString('en')} punches (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`)
    const fmt = (r) => `${(r.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB`
    const baseDays = run('baseline-days', db, dir)
    console.log(`baseline: raw iterate of ${EMPLOYEES * 31} attendance rows to CSV  ${fmt(baseDays)}`)
    for (const task of ['summary-json', 'register-csv', 'register-pdf']) {
      const r = run(task, db, dir)
      const size = fs.statSync(path.join(dir, `${task}.${task.split('-')[1]}`)).size
      console.log(`${task.padEnd(14)} ${fmt(r)}  ${(size / 1024).toFixed(0).padStart(6)} KB  ${(r.ms / baseDays.ms).toFixed(1)}× baseline`)
    }
    const baseQuarter = run('baseline-punches-quarter', db, dir)
    const baseAll = run('baseline-punches-all', db, dir)
    const quarter = run('punches-csv-quarter', db, dir)
    const all = run('punches-csv-all', db, dir)
    console.log(`baseline punches raw CSV  ${baseQuarter.rows.toLocaleString('en').padStart(9)} rows ${fmt(baseQuarter)}`)
    console.log(`baseline punches raw CSV  ${baseAll.rows.toLocaleString('en').padStart(9)} rows ${fmt(baseAll)}`)
    console.log(`punches CSV               ${quarter.rows.toLocaleString('en').padStart(9)} rows ${fmt(quarter)}  ${(quarter.ms / baseQuarter.ms).toFixed(1)}× baseline`)
    console.log(`punches CSV               ${all.rows.toLocaleString('en').padStart(9)} rows ${fmt(all)}  ${(all.ms / baseAll.ms).toFixed(1)}× baseline`)
    const growth = all.maxRssMb / quarter.maxRssMb
    console.log(`punches CSV memory: ${(all.rows / quarter.rows).toFixed(1)}× the rows → ${growth.toFixed(2)}× the peak RSS (flat when close to 1)`)
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}
