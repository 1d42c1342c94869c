import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {tempDir} from '../helpers/cli.js'
import {writeAttlog} from '../imports/attlog-file.js'
import {postJson} from '../server/helpers.js'
import {spawnServe, type ServeProcess} from '../server/spawn-serve.js'

const bin = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'run.js')

let dir: string
let cleanup: () => void
let db: string
let key: string
let serve: ServeProcess

beforeAll(async () => {
  ;({dir, cleanup} = tempDir())
  db = path.join(dir, 'attend.db')
  const store = openStore(db)
  writeSettings(store, {timezone: 'Africa/Nairobi'}, 0)
  key = createApiKey(store, {name: 'terminals', scopes: ['ingest'], limits: [{max: 100_000, window: 'minute'}]}, Date.now()).key
  for (let i = 0; i < 20; i++) createEmployee(store, {code: `T${i}`, name: `Terminal user ${i}`}, 0)
  store.close()
  serve = await spawnServe(['--db', db, '--log-level', 'silent'])
})
afterAll(async () => {
  serve?.child.kill('SIGTERM')
  await serve?.exited
  cleanup()
})

/**
 * Runs `attend import -` as its own process, as a cron job next to the server would, and feeds it
 * `file` on stdin in parts with pauses between them, as a slow disk or a network copy does: the
 * import spends most of its time waiting for input, which is when it must not hold the write lock.
 */
function importFromSlowStdin(file: string, args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'import', '-', '--format', 'attlog', ...args, '--db', db], {env: {...process.env, NO_COLOR: '1', ATTEND_DB: undefined}})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
    const lines = fs.readFileSync(file, 'utf8').split(/(?<=\n)/)
    const parts = 20
    const size = Math.ceil(lines.length / parts)
    let part = 0
    const next = () => {
      if (part === parts) return child.stdin.end()
      child.stdin.write(lines.slice(part * size, ++part * size).join(''))
      setTimeout(next, 500)
    }
    next()
  })
}

/**
 * Issue 10: `attend import` held the write lock while it read its input (the whole input with
 * --strict), so the server's writes met the busy timeout and devices were answered 503. The import
 * now commits slices of at most ~100 ms of work and never holds the lock across a read.
 */
describe('attend import next to a busy attend serve', () => {
  for (const strict of [false, true]) {
    it(`${strict ? 'with' : 'without'} --strict: every request is stored while 60 000 lines arrive and are imported`, {timeout: 180_000}, async () => {
      const file = path.join(dir, `${strict ? 'strict' : 'plain'}_attlog.dat`)
      writeAttlog(file, 60_000, {firstDay: strict ? '2026-01-01' : '2024-01-01'})
      let importing = true
      const imported = importFromSlowStdin(file, strict ? ['--strict'] : []).finally(() => {
        importing = false
      })

      // Terminals pushing one punch after another, for as long as the import runs.
      const statuses = new Map<number, number>()
      let duringImport = 0
      let stored = 0
      for (let n = 0; importing; n++) {
        const res = await postJson(
          `${serve.url}/api/biometric/attendance`,
          {scanId: `${strict ? 'S' : 'P'}-${n}`, employeeId: `T${n % 20}`, eventType: n % 2 ? 'check_out' : 'check_in', timestamp: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString()},
          {'x-api-key': key},
        )
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        stored += res.body?.successful ?? 0
        if (importing) duringImport++
      }
      const result = await imported

      expect(result.code).toBe(0)
      expect(result.stdout).toContain('stdin (attlog): 60000 read, 60000 stored, 0 duplicates, 60000 unmapped, 0 rejected')
      // The two genuinely overlapped, and no request met a busy store.
      expect(duringImport).toBeGreaterThanOrEqual(20)
      expect([...statuses.keys()]).toEqual([200])
      expect(stored).toBe(statuses.get(200))
    })
  }
})
