import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {applyMigrations, loadMigrations} from '../../src/db/migrate.js'
import {openStore} from '../../src/db/open.js'
import {tempDir} from '../helpers/cli.js'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function dir(): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

describe('openStore', () => {
  it('creates a migrated WAL store with foreign keys on', () => {
    const store = openStore(path.join(dir(), 'a.db'))
    expect(store.sqlite.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(store.sqlite.pragma('foreign_keys', {simple: true})).toBe(1)
    expect(store.sqlite.pragma('busy_timeout', {simple: true})).toBeGreaterThanOrEqual(5000)
    const tables = store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as {name: string}[]
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['punches', 'employees', 'attendance_days', 'api_keys']))
    store.close()
  })

  it('names a missing directory', () => {
    const file = path.join(dir(), 'nope', 'a.db')
    expect(() => openStore(file)).toThrow(/directory .*nope does not exist/)
  })

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const file = path.join(dir(), 'notes.db')
    fs.writeFileSync(file, 'this is a shopping list, not a database\n'.repeat(200))
    const before = fs.readFileSync(file)
    expect(() => openStore(file)).toThrow(/is not an attend store: the file is not a SQLite database/)
    expect(fs.readFileSync(file)).toEqual(before)
  })

  it('declares no cascading deletes anywhere', () => {
    const store = openStore(path.join(dir(), 'a.db'))
    const tables = store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as {name: string}[]
    for (const {name} of tables) {
      const keys = store.sqlite.pragma(`foreign_key_list(${name})`) as {on_delete: string}[]
      for (const key of keys) expect(key.on_delete, name).not.toBe('CASCADE')
    }
    store.close()
  })
})

describe('migrations', () => {
  it('keeps the rows of a store built at the first schema version', () => {
    const file = path.join(dir(), 'old.db')
    const sqlite = new Database(file)
    applyMigrations(sqlite, {upTo: 0})
    sqlite.prepare(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('EMP001', 'Zoë Müller', 1, 1, 1)`).run()
    sqlite
      .prepare(
        `INSERT INTO punches (device_key, device_user_id, employee_id, instant, source, received_at) VALUES ('SN1', '1', 1, 1700000000000, 'test', 1)`,
      )
      .run()
    // Schema 0 allowed one scan id per device; 0001 makes it global without dropping either punch.
    const scan = sqlite.prepare(
      `INSERT INTO punches (device_key, device_user_id, instant, scan_id, source, received_at) VALUES (?, 'EMP001', ?, 'SCAN_001', 'test', 1)`,
    )
    scan.run('http:worker-attendance', 1700000100000)
    scan.run('DEV001', 1700000200000)
    sqlite.close()

    const store = openStore(file)
    const journal = store.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {n: number}
    expect(journal.n).toBe(loadMigrations().length)
    expect(store.sqlite.prepare('SELECT name FROM employees').all()).toEqual([{name: 'Zoë Müller'}])
    expect(store.sqlite.prepare('SELECT instant, employee_id FROM punches WHERE scan_id IS NULL AND id = 1').all()).toEqual([
      {instant: 1700000000000, employee_id: 1},
    ])
    expect(store.sqlite.prepare('SELECT device_key, scan_id FROM punches WHERE id > 1 ORDER BY id').all()).toEqual([
      {device_key: 'http:worker-attendance', scan_id: 'SCAN_001'},
      {device_key: 'DEV001', scan_id: null},
    ])
    // 0002: the recompute's index covers what it reads; revisions start for both cached scopes.
    expect((store.sqlite.pragma('index_info(punches_employee_instant_idx)') as {name: string}[]).map((c) => c.name)).toEqual([
      'employee_id', 'instant', 'direction', 'device_id',
    ])
    expect(store.sqlite.prepare('SELECT scope FROM store_revisions ORDER BY scope').pluck().all()).toEqual(['api_keys', 'people', 'site', 'webhooks'])
    // 0003: a scan id is no longer a dedup key (both stored punches keep theirs), and the people
    // revision follows employees and mappings.
    expect(store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'punches_scan_id_unique'`).all()).toEqual([])
    store.sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, instant, scan_id, source, received_at) VALUES ('DEV002', 'EMP002', 1700000300000, 'SCAN_001', 'test', 1)`).run()
    const people = () => store.sqlite.prepare(`SELECT revision FROM store_revisions WHERE scope = 'people'`).pluck().get()
    const before = people()
    store.sqlite.prepare(`UPDATE employees SET name = 'Zoe Muller' WHERE id = 1`).run()
    expect(people()).not.toBe(before)
    store.close()
  })

  it('keeps shift assignments through the 0003 rebuild, and their revision triggers', () => {
    const file = path.join(dir(), 'v2.db')
    const sqlite = new Database(file)
    applyMigrations(sqlite, {upTo: 2})
    sqlite.prepare(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('EMP001', 'Zoë Müller', 1, 1, 1)`).run()
    sqlite.prepare(`INSERT INTO shifts (name, start, "end", created_at, updated_at) VALUES ('Night', '22:00', '06:00', 1, 1)`).run()
    sqlite
      .prepare(`INSERT INTO shift_assignments (shift_id, employee_id, from_date, to_date, created_at) VALUES (1, 1, '2026-03-01', NULL, 1)`)
      .run()
    sqlite.prepare(`INSERT INTO attendance_days (employee_id, date, status, shift_id, computed_at) VALUES (1, '2026-03-02', 'present', 1, 1)`).run()
    sqlite.close()

    const store = openStore(file)
    expect(store.sqlite.prepare('SELECT id, shift_id, roster_id, employee_id, from_date FROM shift_assignments').all()).toEqual([
      {id: 1, shift_id: 1, roster_id: null, employee_id: 1, from_date: '2026-03-01'},
    ])
    // New columns take their defaults on old rows: the defaults keep yesterday's meaning.
    expect(store.sqlite.prepare('SELECT mark_late, mark_early, overtime_counts, overtime_cap_minutes, weekdays FROM shifts').get()).toEqual({
      mark_late: 1, mark_early: 1, overtime_counts: 'after-end', overtime_cap_minutes: null, weekdays: null,
    })
    expect(store.sqlite.prepare('SELECT manual, note, off_day_minutes, half_off FROM attendance_days').get()).toEqual({
      manual: 0, note: null, off_day_minutes: 0, half_off: null,
    })
    // The rebuilt table's triggers are back, and rosters are part of the site scope.
    const revision = () => store.sqlite.prepare(`SELECT revision FROM store_revisions WHERE scope = 'site'`).pluck().get()
    for (const write of [
      `UPDATE shift_assignments SET to_date = '2026-03-31'`,
      `INSERT INTO rosters (name, cycle, created_at, updated_at) VALUES ('Rotation', '[1,null]', 1, 1)`,
    ]) {
      const before = revision()
      store.sqlite.prepare(write).run()
      expect(revision(), write).not.toBe(before)
    }
    // One schedule per assignment: a shift or a roster, never both or neither.
    expect(() => store.sqlite.prepare(`INSERT INTO shift_assignments (shift_id, roster_id, employee_id, created_at) VALUES (1, 1, 1, 1)`).run()).toThrow(/CHECK constraint/)
    expect(() => store.sqlite.prepare(`INSERT INTO shift_assignments (employee_id, created_at) VALUES (1, 1)`).run()).toThrow(/CHECK constraint/)
    store.close()
  })

  it('gives 0006 stores the webhook outbox and device presence, keeping devices and punches (0007)', () => {
    const file = path.join(dir(), 'v5.db')
    const sqlite = new Database(file)
    applyMigrations(sqlite, {upTo: 6})
    sqlite.prepare(`INSERT INTO devices (serial, name, last_seen_at, created_at, updated_at) VALUES ('ZK1', 'Gate', 1700000000000, 1, 1)`).run()
    sqlite.prepare(`INSERT INTO punches (device_key, device_id, device_user_id, instant, source, received_at) VALUES ('ZK1', 1, '7', 1700000000000, 'test', 1)`).run()
    sqlite.close()

    const store = openStore(file)
    expect(store.sqlite.prepare('SELECT serial, last_seen_at AS lastSeenAt, presence FROM devices').get()).toEqual({serial: 'ZK1', lastSeenAt: 1700000000000, presence: null})
    expect(store.sqlite.prepare('SELECT count(*) FROM punches').pluck().get()).toBe(1)
    const columns = (table: string) => (store.sqlite.pragma(`table_info(${table})`) as {name: string}[]).map((c) => c.name)
    expect(columns('webhooks')).toEqual(expect.arrayContaining(['secret', 'previous_secret', 'previous_secret_until', 'disabled_reason', 'max_in_flight']))
    expect(columns('webhook_deliveries')).toEqual(expect.arrayContaining(['event', 'lease_owner', 'lease_until', 'last_status']))
    expect(columns('webhook_events')).toEqual(['id', 'event_id', 'type', 'created_at', 'body'])
    // Writes to the endpoints move the webhooks revision, which the outbox's cache follows.
    const revision = () => store.sqlite.prepare(`SELECT revision FROM store_revisions WHERE scope = 'webhooks'`).pluck().get()
    const before = revision()
    store.sqlite.prepare(`INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://x.example', '[]', 'whsec_x', 1, 1)`).run()
    expect(revision()).not.toBe(before)
    store.close()
  })

  it('moves the dedup key to lead with the instant, keeping every punch and its dedup', () => {
    const file = path.join(dir(), 'before-time-ordered-dedup.db')
    const sqlite = new Database(file)
    // Found by its content, so the test survives the migration being renumbered on merge.
    const timeOrdered = loadMigrations().findIndex((m) => m.sql.some((s) => s.includes('`punches` (`instant`,`device_user_id`,`device_key`)')))
    expect(timeOrdered).toBeGreaterThan(0)
    applyMigrations(sqlite, {upTo: timeOrdered - 1})
    const insert = sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at) VALUES (?, ?, ?, 'test', 1) ON CONFLICT DO NOTHING`)
    for (const [key, user, instant] of [['SN1', '7', 1700000000000], ['SN1', '8', 1700000000000], ['SN2', '7', 1700000000000], ['SN1', '7', 1700000060000]] as const) {
      insert.run(key, user, instant)
    }
    sqlite.close()

    const store = openStore(file)
    const columns = (index: string) => (store.sqlite.pragma(`index_info(${index})`) as {name: string}[]).map((c) => c.name)
    expect(columns('punches_dedup_unique')).toEqual(['instant', 'device_user_id', 'device_key'])
    // The instant index is gone: the dedup key serves every time-range read.
    expect(store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'punches_instant_idx'`).all()).toEqual([])
    expect(store.sqlite.prepare('SELECT device_key AS k, device_user_id AS u, instant FROM punches ORDER BY id').all()).toEqual([
      {k: 'SN1', u: '7', instant: 1700000000000},
      {k: 'SN1', u: '8', instant: 1700000000000},
      {k: 'SN2', u: '7', instant: 1700000000000},
      {k: 'SN1', u: '7', instant: 1700000060000},
    ])
    const again = store.sqlite.prepare(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at) VALUES ('SN2', '7', 1700000000000, 'test', 2) ON CONFLICT DO NOTHING`)
    expect(again.run().changes).toBe(0)
    const plan = store.sqlite.prepare('EXPLAIN QUERY PLAN SELECT id FROM punches WHERE instant >= ? AND instant < ?').all(0, 1) as {detail: string}[]
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/punches_dedup_unique \(instant>\? AND instant<\?\)/)
    store.close()
  })

  it('is applied once when two processes open a fresh file together', async () => {
    const file = path.join(dir(), 'race.db')
    const script = `
      const {openStore} = await import(${JSON.stringify(new URL('../../dist/db/open.js', import.meta.url).href)});
      const s = openStore(process.argv[1]); s.close(); console.log('ok');
    `
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, file], {stdio: ['ignore', 'pipe', 'pipe']})
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))))
      })
    expect(await Promise.all([run(), run(), run()])).toEqual(['ok', 'ok', 'ok'])
    const sqlite = new Database(file)
    const journal = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {n: number}
    expect(journal.n).toBe(loadMigrations().length)
    sqlite.close()
  })
})
