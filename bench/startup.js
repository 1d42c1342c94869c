#!/usr/bin/env node
// bench/startup: median wall time of `attend --version` and `attend employees list --json` on a
// 1 000-employee store, against `node -e 0` measured in the same run (interleaved rounds, so load
// from other processes hits all three alike). Prints the medians and the ratios to the baseline
// (target, docs/architecture.md "Performance targets": --version within 3×). `--quick` (or BENCH_QUICK=1) takes 5 rounds instead of 21.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'run.js')
const EMPLOYEES = 1000
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const rounds = quick ? 5 : 21

const {openStore} = await import(path.join(root, 'dist', 'db', 'open.js'))
const {writeSettings} = await import(path.join(root, 'dist', 'store', 'sqlite', 'directory', 'settings.js'))
const {importEmployees} = await import(path.join(root, 'dist', 'employees', 'import.js'))
const {sqliteAttendStore} = await import(path.join(root, 'dist', 'store', 'sqlite', 'port.js'))
const {GroupCommit} = await import(path.join(root, 'dist', 'store', 'sqlite', 'group-commit.js'))

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-startup-'))
try {
  const db = path.join(dir, 'attend.db')
  const departments = ['Teaching', 'Administration', 'Grounds', 'Library', 'Kitchen']
  const csv = ['code,name,email,phone,department,joined_on']
  for (let i = 1; i <= EMPLOYEES; i++) {
    const code = `EMP${String(i).padStart(4, '0')}`
    csv.push(`${code},Employee ${i},${code.toLowerCase()}@example.org,+254 700 ${String(i).padStart(6, '0')},${departments[i % departments.length]},2024-01-08`)
  }
  const store = openStore(db)
  writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.now())
  const imported = await importEmployees(sqliteAttendStore(store, new GroupCommit(store)), csv.join('\n'), Date.now())
  store.close()
  if (imported.created !== EMPLOYEES) throw new Error(`expected ${EMPLOYEES} employees, created ${imported.created}`)

  const env = {...process.env, ATTEND_DB: db, NO_COLOR: '1'}
  const commands = {
    'node -e 0': [process.execPath, ['-e', '0']],
    'attend --version': [process.execPath, [bin, '--version']],
    'attend employees list --json': [process.execPath, [bin, 'employees', 'list', '--json']],
  }
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
  const time = ([cmd, args], check) => {
    const start = process.hrtime.bigint()
    const result = spawnSync(cmd, args, {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
    check?.(result.stdout)
    return ms
  }
  // One warm-up each (file cache), then interleaved measured rounds.
  for (const command of Object.values(commands)) time(command)
  for (let round = 0; round < rounds; round++) {
    for (const [name, command] of Object.entries(commands)) {
      times[name].push(
        time(command, name.includes('list') ? (out) => {
          const total = JSON.parse(out).total
          if (total !== EMPLOYEES) throw new Error(`employees list returned ${total} employees`)
        } : undefined),
      )
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  }
  const base = median(times['node -e 0'])
  console.log(`store: ${EMPLOYEES.toLocaleString('en')} employees; ${rounds} rounds, medians`)
  for (const name of Object.keys(commands)) {
    const m = median(times[name])
    const ratio = m / base
    const note = name === 'attend --version' ? `  (target ≤ 3.0×) ${ratio <= 3 ? 'ok' : 'ABOVE TARGET'}` : ''
    console.log(`${name.padEnd(30)} ${m.toFixed(0).padStart(6)} ms   ${ratio.toFixed(2)}× node -e 0${note}`)
  }
} finally {
  fs.rmSync(dir, {recursive: true, force: true})
}
