import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore, type Store} from '../../../src/db/open.js'
import {openPgDatabase, type PgDatabase} from '../../../src/db/pg/open.js'
import {describePg, usePgDatabase} from '../../helpers/pg.js'

type Scope = 'site' | 'api_keys' | 'people' | 'webhooks'
const SCOPES: Scope[] = ['site', 'api_keys', 'people', 'webhooks']

/**
 * What each write does to the store revisions (see storeRevisions in src/db/schema.ts), run in this
 * order on both engines: the SQLite triggers and their PL/pgSQL twins must agree statement by
 * statement, or a server on PostgreSQL would serve a stale cache (or reload on every request).
 */
const SPEC: {sql: string; changes: Scope[]}[] = [
  {sql: `INSERT INTO settings (key, value, updated_at) VALUES ('report-title', '"Gate"', 1)`, changes: ['site']},
  {sql: `UPDATE settings SET value = '"Main gate"' WHERE key = 'report-title'`, changes: ['site']},
  {sql: `DELETE FROM settings WHERE key = 'report-title'`, changes: ['site']},
  {sql: `INSERT INTO shifts (name, start, "end", created_at, updated_at) VALUES ('Day', '08:00', '16:00', 1, 1)`, changes: ['site']},
  {sql: `UPDATE shifts SET late_grace_minutes = 10`, changes: ['site']},
  {sql: `INSERT INTO rosters (name, cycle, created_at, updated_at) VALUES ('Two on', '[1,1,null]', 1, 1)`, changes: ['site']},
  {sql: `UPDATE rosters SET cycle = '[1,null]'`, changes: ['site']},
  {sql: `INSERT INTO shift_assignments (shift_id, department, created_at) VALUES (1, 'Sales', 1)`, changes: ['site']},
  {sql: `UPDATE shift_assignments SET department = 'Stores'`, changes: ['site']},
  {sql: `DELETE FROM shift_assignments`, changes: ['site']},
  {sql: `DELETE FROM rosters`, changes: ['site']},
  {sql: `INSERT INTO holidays (date, name, created_at) VALUES ('2026-12-25', 'Christmas', 1)`, changes: ['site']},
  {sql: `UPDATE holidays SET name = 'Xmas'`, changes: ['site']},
  {sql: `DELETE FROM holidays`, changes: ['site']},
  {sql: `INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('SN1', 'Gate', 'auto', 1, 1)`, changes: []},
  {sql: `UPDATE devices SET last_seen_at = 5 WHERE serial = 'SN1'`, changes: []},
  {sql: `UPDATE devices SET direction = 'in' WHERE serial = 'SN1'`, changes: ['site']},
  {sql: `UPDATE devices SET direction = 'in', name = 'Front gate' WHERE serial = 'SN1'`, changes: []},
  {sql: `INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('SN2', 'Exit', 'out', 1, 1)`, changes: ['site']},
  {sql: `INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('SN3', 'Yard', 'auto', 1, 1)`, changes: []},
  {sql: `DELETE FROM devices WHERE serial = 'SN3'`, changes: []},
  {sql: `DELETE FROM devices WHERE serial = 'SN2'`, changes: ['site']},
  {sql: `INSERT INTO api_keys (name, prefix, hash, scopes, limits, created_at) VALUES ('gate', 'ak_1', 'h', '["ingest"]', '[]', 1)`, changes: ['api_keys']},
  {sql: `UPDATE api_keys SET last_used_at = 5`, changes: []},
  {sql: `UPDATE api_keys SET revoked_at = 6`, changes: ['api_keys']},
  {sql: `DELETE FROM api_keys`, changes: ['api_keys']},
  {sql: `INSERT INTO employees (code, name, created_at, updated_at) VALUES ('E1', 'Asha', 1, 1)`, changes: ['people']},
  {sql: `UPDATE employees SET department = 'Sales'`, changes: []},
  {sql: `UPDATE employees SET name = 'Asha K'`, changes: ['people']},
  {sql: `INSERT INTO device_user_mappings (device_user_id, employee_id, created_at) VALUES ('7', 1, 1)`, changes: ['people']},
  {sql: `UPDATE device_user_mappings SET device_user_id = '8'`, changes: ['people']},
  {sql: `INSERT INTO punches (device_key, device_user_id, employee_id, instant, source, received_at) VALUES ('SN1', '8', 1, 1, 'api', 1)`, changes: []},
  {sql: `INSERT INTO attendance_days (employee_id, date, status, computed_at) VALUES (1, '2026-03-02', 'present', 1)`, changes: []},
  {sql: `DELETE FROM device_user_mappings`, changes: ['people']},
  {sql: `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://hr.example/hooks', '["punch.stored"]', 'whsec_a', 1, 1)`, changes: ['webhooks']},
  {sql: `INSERT INTO webhook_events (event_id, type, created_at, body) VALUES ('evt_1', 'punch.stored', 1, '{}')`, changes: []},
  {sql: `INSERT INTO webhook_deliveries (webhook_id, event, next_attempt_at, created_at) VALUES (1, 1, 1, 1)`, changes: []},
  {sql: `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = 2`, changes: []},
  {sql: `UPDATE webhooks SET active = false, disabled_reason = 'gone'`, changes: ['webhooks']},
  {sql: `DELETE FROM webhook_deliveries`, changes: []},
  {sql: `DELETE FROM webhooks`, changes: ['webhooks']},
]

function expectChanges(sql: string, before: Record<Scope, number>, after: Record<Scope, number>, changes: Scope[]): void {
  for (const scope of SCOPES) {
    if (changes.includes(scope)) expect(after[scope], `${sql} → ${scope}`).not.toBe(before[scope])
    else expect(after[scope], `${sql} → ${scope}`).toBe(before[scope])
  }
}

describe('store revision triggers on SQLite', () => {
  let store: Store
  beforeAll(() => {
    store = openStore(':memory:')
  })
  afterAll(() => store.close())

  const revisions = (): Record<Scope, number> =>
    Object.fromEntries((store.sqlite.prepare('SELECT scope, revision FROM store_revisions').all() as {scope: Scope; revision: number}[]).map((r) => [r.scope, r.revision])) as Record<Scope, number>

  it('change the revisions the specification says, statement by statement', () => {
    for (const {sql, changes} of SPEC) {
      const before = revisions()
      store.sqlite.exec(sql)
      expectChanges(sql, before, revisions(), changes)
    }
  })
})

describePg('store revision triggers on PostgreSQL', () => {
  const database = usePgDatabase()
  let postgres: PgDatabase
  beforeAll(async () => {
    postgres = await openPgDatabase(database.url)
  })
  afterAll(async () => postgres?.close())

  const revisions = async (): Promise<Record<Scope, number>> => {
    const rows = await postgres.pool.query<{scope: Scope; revision: number}>('SELECT scope, revision FROM store_revisions')
    return Object.fromEntries(rows.rows.map((r) => [r.scope, r.revision])) as Record<Scope, number>
  }

  it('start with one revision per scope, as exact JavaScript numbers', async () => {
    const initial = await revisions()
    expect(Object.keys(initial).sort()).toEqual([...SCOPES].sort())
    for (const value of Object.values(initial)) expect(Number.isSafeInteger(value)).toBe(true)
  })

  it('change the revisions the specification says, statement by statement', async () => {
    for (const {sql, changes} of SPEC) {
      const before = await revisions()
      await postgres.pool.query(sql)
      expectChanges(sql, before, await revisions(), changes)
    }
  })

  it('change nothing when the transaction that wrote rolls back', async () => {
    const before = await revisions()
    const client = await postgres.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query(`INSERT INTO holidays (date, name, created_at) VALUES ('2026-01-01', 'New year', 1)`)
      await client.query('ROLLBACK')
    } finally {
      client.release()
    }
    expect(await revisions()).toEqual(before)
  })
})
