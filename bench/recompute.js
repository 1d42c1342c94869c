#!/usr/bin/env node
// bench/recompute: the attendance engine over a year of punches.
// 1 000 employees × 365 days × 4 punches (1.46 M) inserted with raw SQL, then a full recompute
// through the real service (dist/) for as many employees as make 250 k, 500 k and 1 M punches and
// then all of them, to show cost grows linearly with punches. The baseline, measured in the same run over the same
// punches, is the cheapest thing that resembles attendance: a SQL GROUP BY employee, day with
// min/max instants. `--quick` (or BENCH_QUICK=1) runs 40 employees.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'

const {openStore} = await import('../dist/db/open.js')
const {writeSettings} = await import('../dist/store/sqlite/directory/settings.js')
const {recomputeRange} = await import('../dist/store/sqlite/attendance/recompute.js')

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const EMPLOYEES = quick ? 40 : 1000
const DAYS = 365
const PER_DAY = 4
const ZONE = 'Africa/Nairobi' // UTC+3 all year: the SQL baseline can bucket days with a fixed offset.
const FROM = '2025-01-01'
const TO = '2025-12-31'
const NOW = Date.parse('2026-01-02T00:00:00Z')

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-recompute-'))
const store = openStore(path.join(dir, 'bench.db'))
try {
  writeSettings(store, {timezone: ZONE, weekOff: ['sat', 'sun']}, NOW)
  seed(store)
  // Employee counts giving 250 k, 500 k and 1 M punches, then the whole year of everyone.
  const perEmployee = DAYS * PER_DAY
  const sizes = quick
    ? [0.25, 0.5, 1].map((share) => Math.round(EMPLOYEES * share))
    : [250_000, 500_000, 1_000_000].map((n) => Math.round(n / perEmployee)).concat(EMPLOYEES)
  console.log(`recompute: ${EMPLOYEES} employees × ${DAYS} days × ${PER_DAY} punches = ${(EMPLOYEES * DAYS * PER_DAY).toLocaleString('en')} punches`)
  console.log('punches     recompute      punches/s    days/s     GROUP BY baseline   ratio   idempotent re-run')
  const rows = []
  for (const size of sizes) {
    const ids = Array.from({length: size}, (_, i) => i + 1)
    const punches = size * perEmployee
    store.sqlite.prepare('DELETE FROM attendance_days').run()
    const baseline = time(() => groupByBaseline(store, size))
    const full = time(() => recomputeRange(store, {from: FROM, to: TO, employeeIds: ids}, NOW))
    const again = time(() => recomputeRange(store, {from: FROM, to: TO, employeeIds: ids}, NOW))
    if (full.result.days !== size * DAYS) throw new Error(`expected ${size * DAYS} days, got ${full.result.days}`)
    if (again.result.changed !== 0) throw new Error(`re-run changed ${again.result.changed} rows`)
    rows.push({punches, ms: full.ms})
    console.log(
      [
        punches.toLocaleString('en').padStart(9),
        `${(full.ms / 1000).toFixed(2)} s`.padStart(11),
        Math.round(punches / (full.ms / 1000)).toLocaleString('en').padStart(14),
        Math.round(full.result.days / (full.ms / 1000)).toLocaleString('en').padStart(9),
        `${(baseline.ms / 1000).toFixed(2)} s`.padStart(20),
        `${(full.ms / baseline.ms).toFixed(1)}×`.padStart(7),
        `${(again.ms / 1000).toFixed(2)} s, 0 changed`.padStart(20),
      ].join('  '),
    )
  }
  const first = rows[0]
  const last = rows.at(-1)
  const perPunch = (r) => r.ms / r.punches
  console.log(
    `linearity: cost per punch at ${last.punches.toLocaleString('en')} is ${(perPunch(last) / perPunch(first)).toFixed(2)}× the cost at ${first.punches.toLocaleString('en')} (1.00 = perfectly linear)`,
  )
} finally {
  store.close()
  fs.rmSync(dir, {recursive: true, force: true})
}

function seed(store) {
  const started = performance.now()
  const now = NOW
  store.sqlite
    .prepare(`INSERT INTO shifts (name, start, "end", late_grace_minutes, half_day_hours, absent_hours, created_at, updated_at) VALUES ('Day', '08:00', '17:00', 10, 6, 2, ?, ?)`)
    .run(now, now)
  writeSettings(store, {defaultShift: 'Day'}, now)
  const employee = store.sqlite.prepare('INSERT INTO employees (code, name, department, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)')
  const punch = store.sqlite.prepare(
    `INSERT INTO punches (device_key, device_user_id, employee_id, instant, source, received_at) VALUES ('BENCH1', ?, ?, ?, 'bench', ?)`,
  )
  const dayStart = Date.parse(`${FROM}T00:00:00+03:00`)
  // Deterministic jitter so late/early/half-day paths all run.
  let seed = 42
  const jitter = (range) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return (seed % range) * 60_000
  }
  store.transaction(() => {
    for (let e = 1; e <= EMPLOYEES; e++) {
      employee.run(`EMP${String(e).padStart(4, '0')}`, `Employee ${e}`, `Dept ${e % 10}`, now, now)
      for (let d = 0; d < DAYS; d++) {
        const base = dayStart + d * 86_400_000
        punch.run(String(e), e, base + 7.5 * 3_600_000 + jitter(50), now)
        punch.run(String(e), e, base + 12 * 3_600_000 + jitter(20), now)
        punch.run(String(e), e, base + 13 * 3_600_000 + jitter(20), now)
        punch.run(String(e), e, base + 16.5 * 3_600_000 + jitter(70), now)
      }
    }
  })
  console.log(`seeded ${(EMPLOYEES * DAYS * PER_DAY).toLocaleString('en')} punches in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

function groupByBaseline(store, employees) {
  return store.sqlite
    .prepare(
      `SELECT employee_id, date((instant / 1000) + 3 * 3600, 'unixepoch') AS day, min(instant), max(instant), count(*)
       FROM punches WHERE employee_id <= ? GROUP BY employee_id, day`,
    )
    .all(employees).length
}

function time(fn) {
  const started = performance.now()
  const result = fn()
  return {ms: performance.now() - started, result}
}
