import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {copyStore, type CopyProgress} from '../../../src/db/admin/copy.js'
import {openStore, type Store} from '../../../src/db/open.js'
import {storeTables} from '../../../src/db/tables.js'
import {tempDir} from '../../helpers/cli.js'
import {describePg, usePgDatabase} from '../../helpers/pg.js'
import {dumpPg, dumpSqlite, rowCounts} from './dump.js'

/**
 * A row in every table, with the values a copy could get wrong: booleans true, false and null,
 * reals, negative offsets, instants far in the future, quotes, non-Latin text, emoji, a long raw
 * line, array syntax ({ } , " \\ and the word NULL) and empty text. Statements are in dependency
 * order; ids are spaced out so none is a plain row number.
 */
const EVERY_TABLE = [
  `INSERT INTO settings (key, value, updated_at) VALUES ('timezone', '"Africa/Nairobi"', 1773302400000), ('report-title', '"Greenfield ''Academy'' — नमस्ते"', 1)`,
  `INSERT INTO employees (id, code, name, email, department, active, joined_on, created_at, updated_at) VALUES
     (10, 'EMP001', 'Asha Kamau', 'asha@example.ac.ke', 'Teaching', 1, '2021-01-04', 1, 2),
     (11, 'emp-ü', 'Jürgen Öztürk 👩‍🏫', '', 'NULL', 0, NULL, 1, 2)`,
  `INSERT INTO devices (id, serial, name, location, direction, mode, status, timezone, ip, port, protocol, comm_key, state_map, cams_stgid, allow_from, last_seen_at, presence, presence_changed_at, created_at, updated_at) VALUES
     (3, 'CDQ9192960002', 'Gate', 'C:\\gate {north}, "A", NULL', 'in', 'agent', 'active', 'Asia/Kolkata', '10.0.0.20', 4370, 'tcp', 123456, '{"0":"in"}', 'ST-1', '10.0.0.0/24', 253402300799999, 'offline', 253402300799000, 1, 2)`,
  `INSERT INTO device_pulls (device_id, last_pull_at, last_error, records_read, duration_ms, lease_owner, lease_until) VALUES (3, 5, 'timed out after 10 s', 12, 850, 'abc', 9)`,
  `INSERT INTO refused_devices (serial, remote_address, route, attempts, first_seen_at, last_seen_at) VALUES ('UNKNOWN-1', '192.0.2.7', '/iclock/cdata', 4, 1, 2)`,
  `INSERT INTO device_users (id, device_id, device_user_id, name, privilege, card, updated_at) VALUES (7, 3, '0003', 'GRACE W', '14', '0012345678', 1)`,
  `INSERT INTO device_user_mappings (id, device_id, device_user_id, employee_id, created_at) VALUES (4, 3, '0003', 10, 1), (5, NULL, '1', 11, 1)`,
  `INSERT INTO imports (id, file, format, device_id, dry_run, status, read, stored, message, started_at, finished_at) VALUES (2, '/srv/att "march".dat', 'attlog', 3, 0, 'partial', 9, 7, 'line 8: bad date', 1, 2)`,
  `INSERT INTO punches (id, device_key, device_id, device_user_id, employee_id, instant, local_time, utc_offset, direction, raw_status, source, scan_id, temperature, mask, confidence, manual, note, import_id, received_at, raw) VALUES
     (100, 'CDQ9192960002', 3, '0003', 10, 1773032292000, '2026-03-09 07:58:12', 330, 'in', '0', 'import:attlog', 'S-9', 36.4, 1, 0.973, 0, NULL, 2, 1773032300000, '${'x'.repeat(3000)}'),
     (101, 'manual', NULL, 'EMP001', 10, 1773065080000, NULL, -300, 'out', NULL, 'manual', NULL, NULL, 0, NULL, 1, 'forgot card — ''late bus''', NULL, 1, NULL),
     (105, 'api', NULL, '77', NULL, -1000, NULL, NULL, NULL, NULL, 'api', NULL, -0.5, NULL, NULL, 0, NULL, NULL, 1, '{}')`,
  `INSERT INTO shifts (id, name, start, "end", late_grace_minutes, half_day_hours, absent_hours, check_in_window, hours_mode, week_off, weekdays, mark_late, mark_early, overtime_counts, overtime_cap_minutes, created_at, updated_at) VALUES
     (2, 'Night', '22:00', '06:00', 5, 4.5, 1.25, '21:00-23:30', 'pairs', '["sun"]', '{"fri":"20:00-02:00"}', 0, 1, 'also-before-start', 120, 1, 2)`,
  `INSERT INTO rosters (id, name, cycle, created_at, updated_at) VALUES (6, 'Guards', '[2,2,null]', 1, 2)`,
  `INSERT INTO shift_assignments (id, shift_id, roster_id, employee_id, department, from_date, to_date, created_at) VALUES (8, 2, NULL, 10, NULL, '2026-01-01', NULL, 1), (9, NULL, 6, NULL, 'Security', NULL, '2026-12-31', 1)`,
  `INSERT INTO holidays (id, date, name, half, created_at) VALUES (3, '2026-03-05', 'Founders Day', 'second', 1)`,
  `INSERT INTO leaves (id, employee_id, from_date, to_date, type, note, half, created_at) VALUES (2, 11, '2026-03-10', '2026-03-10', 'sick', NULL, 'first', 1)`,
  `INSERT INTO manual_days (id, employee_id, date, status, check_in, check_out, note, created_at, updated_at) VALUES (5, 10, '2026-03-11', 'present', '08:00', '16:00', 'reader down', 1, 2)`,
  `INSERT INTO attendance_days (id, employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes, late, early_departure, missed_punch, punch_count, worked_on_holiday, worked_on_leave, off_day_minutes, half_off, manual, note, computed_at) VALUES
     (40, 10, '2026-03-09', 'present', 2, 1773032292000, 1773065080000, 546, 3, 1, 0, 0, 2, 0, 0, 0, NULL, 0, NULL, 1),
     (41, 11, '2026-03-10', 'half_day', NULL, NULL, NULL, 0, 0, 0, 0, 1, 0, 0, 1, 30, 'leave_first_half', 1, 'n', 1)`,
  `INSERT INTO api_keys (id, name, prefix, hash, scopes, limits, last_used_at, created_at, revoked_at) VALUES (3, 'payroll', 'ak_live_1', 'scrypt$x', '["read"]', '[{"max":100,"window":"minute"}]', 5, 1, NULL)`,
  `INSERT INTO dashboard_sessions (id_hash, api_key_id, created_at, expires_at) VALUES ('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 3, 1773302400000, 1773345600000)`,
  `INSERT INTO rate_limits (key, hits, expires_at) VALUES ('key:3@3600000:1773345600000', 7, 1773349200000)`,
  `INSERT INTO device_commands (id, device_id, command, status, return_code, result, created_at, sent_at, done_at) VALUES (12, 3, 'INFO', 'done', '0', 'FWVersion=Ver 6.60', 1, 2, 3)`,
  `INSERT INTO webhooks (id, url, description, events, secret, previous_secret, previous_secret_until, active, disabled_reason, max_in_flight, created_at, updated_at) VALUES
     (2, 'https://hr.example/hooks?site=1&x=%20', 'Payroll — ''HR''', '["attendance.created"]', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_old', 1773302400000, 1, NULL, 4, 1, 2),
     (4, 'https://gone.example/', NULL, '["*"]', 'whsec_x', NULL, NULL, 0, '410 Gone', 1, 1, 2)`,
  `INSERT INTO webhook_events (id, event_id, type, created_at, body) VALUES
     (17, 'evt_2x8Lq', 'punch.stored', 1773032300000, '{"type":"punch.stored","data":{"note":"naïve \\"quoted\\""}}'),
     (18, 'evt_9', 'device.status_changed', 1, '')`,
  `INSERT INTO webhook_deliveries (id, webhook_id, event, status, attempts, next_attempt_at, lease_owner, lease_until, last_status, last_error, last_attempt_at, created_at, delivered_at) VALUES
     (9, 2, 17, 'failed', 6, 7, NULL, NULL, 502, 'HTTP 502', 6, 1, NULL),
     (11, 2, 18, 'pending', 1, 8, 'host-a:4242', 1773302460000, NULL, 'connect ECONNREFUSED', 5, 1, NULL),
     (12, 4, 18, 'delivered', 1, 3, NULL, NULL, 200, NULL, 3, 1, 3)`,
  `INSERT INTO webhook_attempts (id, delivery_id, attempt, attempted_at, status_code, duration_ms, error, response) VALUES
     (20, 9, 1, 2, 502, 41, 'HTTP 502', '<html>Bad gateway</html>'),
     (21, 11, 1, 5, NULL, 10000, 'timed out after 10 s', NULL)`,
]

const cleanups: Array<() => void> = []
afterAll(() => cleanups.splice(0).forEach((c) => c()))

function everyTableStore(): {file: string; store: Store} {
  const {dir, cleanup} = tempDir()
  cleanups.push(cleanup)
  const file = path.join(dir, 'every.db')
  const store = openStore(file)
  for (const statement of EVERY_TABLE) store.sqlite.exec(statement)
  // A deleted row at the end of a table: its id must not be handed out again after a copy.
  store.sqlite.exec(`INSERT INTO holidays (id, date, name, created_at) VALUES (30, '2026-12-25', 'Christmas', 1); DELETE FROM holidays WHERE id = 30`)
  return {file, store}
}

/** The highest holiday id the store has handed out (AUTOINCREMENT's counter). */
function holidaysCounter(file: string): number {
  const store = openStore(file)
  try {
    return store.sqlite.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'holidays'`).pluck().get() as number
  } finally {
    store.close()
  }
}

/** Every AUTOINCREMENT counter the file holds, by table. */
function counters(file: string): Record<string, number> {
  const store = openStore(file)
  try {
    return Object.fromEntries((store.sqlite.prepare(`SELECT name, seq FROM sqlite_sequence ORDER BY name`).all() as {name: string; seq: number}[]).map((r) => [r.name, r.seq]))
  } finally {
    store.close()
  }
}

it('the fixture fills every table of the schema', () => {
  const {file, store} = everyTableStore()
  store.close()
  const empty = Object.entries(rowCounts(dumpSqlite(file))).filter(([, rows]) => rows === 0)
  expect(empty).toEqual([])
})

it('copies between SQLite files in small batches, reporting each table in dependency order', async () => {
  const {file, store} = everyTableStore()
  store.close()
  const target = path.join(path.dirname(file), 'copy.db')
  const events: CopyProgress[] = []
  const result = await copyStore({engine: 'sqlite', path: file}, {engine: 'sqlite', path: target}, {batchRows: 1, onProgress: (p) => events.push(p)})
  expect(dumpSqlite(target)).toEqual(dumpSqlite(file))
  const done = events.filter((e) => e.done)
  expect(done.map((e) => e.table).sort()).toEqual(storeTables.map((t) => t.name).sort())
  for (const e of done) expect(e.copied).toBe(e.total)
  // Referenced tables complete before the tables that reference them.
  const finished = done.map((e) => e.table)
  for (const table of storeTables) for (const ref of table.references) expect(finished.indexOf(ref)).toBeLessThan(finished.indexOf(table.name))
  // One event per batch of one row, for the three punches.
  expect(events.filter((e) => e.table === 'punches' && !e.done).map((e) => e.copied)).toEqual([0, 1, 2, 3])
  expect(result.tables.find((t) => t.table === 'punches')).toEqual({table: 'punches', rows: 3})
  expect(holidaysCounter(target)).toBe(30)
})

it('refuses a source that a newer attend migrated', async () => {
  const {file, store} = everyTableStore()
  store.sqlite.exec(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)`)
  store.close()
  const target = path.join(path.dirname(file), 'never.db')
  await expect(copyStore({engine: 'sqlite', path: file}, {engine: 'sqlite', path: target})).rejects.toThrow(
    `${file} is at a schema this attend does not know`,
  )
  // The target file it had created for the copy is gone again.
  expect(fs.existsSync(target)).toBe(false)
})

describePg('copying to and from PostgreSQL', () => {
  const database = usePgDatabase()
  let source: string

  beforeAll(() => {
    const {file, store} = everyTableStore()
    store.close()
    source = file
  })

  it('keeps every value as the app sees it, there and back', async () => {
    await copyStore({engine: 'sqlite', path: source}, {engine: 'postgres', url: database.url}, {batchRows: 2})
    expect(await dumpPg(database.url)).toEqual(dumpSqlite(source))
    const back = path.join(path.dirname(source), 'back.db')
    await copyStore({engine: 'postgres', url: database.url}, {engine: 'sqlite', path: back}, {batchRows: 2})
    expect(dumpSqlite(back)).toEqual(dumpSqlite(source))
    // The counter came through PostgreSQL's sequence, past the deleted Christmas row.
    expect(holidaysCounter(back)).toBe(30)
    // Counters for the AUTOINCREMENT tables alone: webhook_events' plain rowid has none to restore.
    expect(counters(back)).toEqual(counters(source))
  })

  it('leaves the target as it was when a row cannot be written, even with --force', async () => {
    const before = await dumpPg(database.url)
    const {file, store} = everyTableStore()
    // PostgreSQL text cannot hold a NUL character; SQLite text can.
    store.sqlite.exec(`UPDATE punches SET note = 'a' || char(0) || 'b' WHERE id = 105`)
    store.sqlite.exec(`INSERT INTO employees (id, code, name, created_at, updated_at) VALUES (12, 'EMP012', 'New', 1, 1)`)
    store.close()
    await expect(copyStore({engine: 'sqlite', path: file}, {engine: 'postgres', url: database.url}, {force: true})).rejects.toThrow(
      /^Copying punches failed in the rows with id 100 to 105: .*; the target is unchanged\.$/,
    )
    expect(await dumpPg(database.url)).toEqual(before)
  })
})
