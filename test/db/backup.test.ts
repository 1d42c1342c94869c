import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {spawnServe, type ServeProcess} from '../server/spawn-serve.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

function countIn(file: string): number {
  const db = new Database(file, {readonly: true})
  try {
    return (db.prepare('SELECT count(*) AS n FROM punches').get() as {n: number}).n
  } finally {
    db.close()
  }
}

/** Posts one worker-attendance event after another until stopped; counts the acknowledged ones. */
function writer(url: string, key: string): {stop: () => Promise<number>; acked: () => number} {
  let acked = 0
  let running = true
  let n = 0
  const loop = (async () => {
    while (running) {
      n++
      const timestamp = new Date(Date.UTC(2026, 0, 5, 8) + n * 60_000).toISOString()
      const res = await fetch(`${url}/api/biometric/attendance`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-api-key': key},
        body: JSON.stringify({scanId: `LIVE-${n}`, employeeId: `EMP${(n % 40) + 1}`, eventType: n % 2 ? 'check_in' : 'check_out', timestamp}),
      })
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`)
      acked++
    }
  })()
  return {acked: () => acked, stop: async () => ((running = false), await loop, acked)}
}

async function stop(serve: ServeProcess): Promise<void> {
  serve.child.kill('SIGTERM')
  expect(await serve.exited).toBe(0)
}

describe('attend backup', () => {
  it('copies the store while a real server ingests, and the copy restores as a working store', async () => {
    const db = path.join(tmp.dir, 'attend.db')
    const env = {ATTEND_DB: db}
    expect((await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})).exitCode).toBe(0)
    expect((await runAttend(['devices', 'add', '--serial', 'SEED01', '--name', 'Old gate'], {env})).exitCode).toBe(0)
    // Enough history that the copy takes a while next to the writes.
    const lines: string[] = []
    for (let i = 0; i < 30_000; i++) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 17 * 60_000).toISOString().slice(0, 19).replace('T', ' ')
      lines.push(`${(i % 200) + 1}\t${at}\t0\t1\t0\t0`)
    }
    fs.writeFileSync(path.join(tmp.dir, 'history.dat'), lines.join('\n'))
    expect((await runAttend(['import', path.join(tmp.dir, 'history.dat'), '--device', 'SEED01'], {env})).exitCode).toBe(0)
    const store = openStore(db)
    const {key} = createApiKey(store, {name: 'gate'}, Date.now())
    store.close()

    const serve = await spawnServe([], env)
    const live = writer(serve.url, key)
    while (live.acked() < 20) await new Promise((resolve) => setTimeout(resolve, 10))
    const ackedBefore = live.acked()
    const file = path.join(tmp.dir, 'backups', 'attend-copy.db')
    fs.mkdirSync(path.dirname(file))
    const backup = await runAttend(['backup', file, '--json'], {env})
    const ackedAfter = live.acked()
    while (live.acked() < ackedAfter + 20) await new Promise((resolve) => setTimeout(resolve, 10))
    const ackedTotal = await live.stop()
    expect(backup.exitCode, backup.stderr).toBe(0)
    const result = JSON.parse(backup.stdout)
    expect(result).toMatchObject({store: db, file, employees: 0, bytes: fs.statSync(file).size})

    // One consistent snapshot: every punch acknowledged before the backup began, none written after it ended.
    const copied = countIn(file)
    expect(result.punches).toBe(copied)
    expect(copied).toBeGreaterThanOrEqual(30_000 + ackedBefore)
    expect(copied).toBeLessThanOrEqual(30_000 + ackedAfter + 1)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['attend-copy.db'])
    await stop(serve)
    expect(countIn(db)).toBe(30_000 + ackedTotal)

    // Restore as the README says: stop the server, put the copy in place of the store, start again.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${db}${suffix}`, {force: true})
    fs.copyFileSync(file, db)
    const restored = await spawnServe([], env)
    const health = (await (await fetch(`${restored.url}/health`)).json()) as {store: {reachable: boolean}}
    expect(health.store.reachable).toBe(true)
    expect((await runJson<{total: number}>(['punches', 'list', '--limit', '1'], {env})).total).toBe(copied)
    const again = await fetch(`${restored.url}/api/biometric/attendance`, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-api-key': key},
      body: JSON.stringify({scanId: 'AFTER-RESTORE', employeeId: 'EMP1', eventType: 'check_in', timestamp: '2026-02-02T08:00:00Z'}),
    })
    expect(again.status).toBe(200)
    await stop(restored)
    expect(countIn(db)).toBe(copied + 1)
  }, 120_000)

  it('refuses to overwrite a file, to copy onto the store, and a missing folder, in one sentence (exit 2)', async () => {
    const db = path.join(tmp.dir, 'small.db')
    const env = {ATTEND_DB: db}
    await runAttend(['init', '--timezone', 'UTC'], {env})
    const file = path.join(tmp.dir, 'small-copy.db')
    const first = await runAttend(['backup', file], {env})
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toMatch(new RegExp(`^Backed up ${db} to ${file}: \\d+ KB, 0 employees, 0 punches; the copy passed SQLite's check\\.\\n$`))

    const exists = await runAttend(['backup', file], {env})
    expect([exists.exitCode, errorText(exists.stderr)]).toEqual([2, `Error: ${file} already exists: pass --force to replace it, or name a new file.`])
    expect((await runAttend(['backup', file, '--force'], {env})).exitCode).toBe(0)

    const onto = await runAttend(['backup', db], {env})
    expect([onto.exitCode, errorText(onto.stderr)]).toEqual([2, `Error: ${db} is the store itself: back it up to another file.`])
    const nowhere = path.join(tmp.dir, 'no', 'such', 'copy.db')
    const missing = await runAttend(['backup', nowhere], {env})
    expect([missing.exitCode, errorText(missing.stderr)]).toEqual([2, `Error: Cannot write the backup ${nowhere}: the directory ${path.dirname(nowhere)} does not exist.`])
  })
})
