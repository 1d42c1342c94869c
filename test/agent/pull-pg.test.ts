import {afterAll, beforeAll, expect, it} from 'vitest'

import {pullDevice} from '../../src/agent/pull.js'
import {openPgDatabase, type PgDatabase} from '../../src/db/pg/open.js'
import {pgAttendStore} from '../../src/store/pg/port.js'
import type {AttendStore} from '../../src/store/port.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {punches} from './fixtures.js'
import {NOW, useEmulators} from './helpers.js'

/** `attend pull` on PostgreSQL: the pull writes through the store port, so the same service runs there. */
describePg('attend pull on PostgreSQL', () => {
  const emulator = useEmulators()
  const database = usePgDatabase()
  let pg: PgDatabase
  let port: AttendStore
  beforeAll(async () => {
    pg = await openPgDatabase(database.url)
    port = pgAttendStore(pg)
  })
  afterAll(async () => {
    await port.close()
    await pg.pool.end()
  })

  it('stores the device\'s records and users, maps them, records the pull, and a second pull stores none', async () => {
    const e = await emulator({records: punches(300)})
    await pg.pool.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('timezone', '"Africa/Nairobi"', 1);
       INSERT INTO devices (serial, name, mode, ip, port, created_at, updated_at) VALUES ('CDQ9192960002', 'Main gate', 'agent', '${e.host}', ${e.port}, 1, 1);
       INSERT INTO employees (code, name, created_at, updated_at) VALUES ('1002', 'Brian Otieno', 1, 1)`,
    )
    const device = (await port.devices.bySerial('CDQ9192960002'))!
    const first = await pullDevice(port, device, {now: () => NOW, timeoutMs: 500})
    expect(first).toMatchObject({ok: true, error: null, recordsRead: 300, recordsNew: 300, duplicates: 0, users: 4})
    const count = async (sql: string) => (await pg.pool.query<{n: number}>(sql)).rows[0].n
    expect(await count("SELECT count(*)::int AS n FROM punches WHERE source = 'agent'")).toBe(300)
    expect(await count('SELECT count(*)::int AS n FROM device_users')).toBe(4)
    // Brian's punches resolved to his employee code, and his days computed with them.
    expect(await count("SELECT count(*)::int AS n FROM punches WHERE device_user_id = '1002' AND employee_id IS NULL")).toBe(0)
    expect(await count('SELECT count(*)::int AS n FROM attendance_days')).toBeGreaterThan(0)
    expect(await count('SELECT count(*)::int AS n FROM device_pulls WHERE last_success_at IS NOT NULL AND lease_owner IS NULL')).toBe(1)
    expect(await pullDevice(port, device, {now: () => NOW, timeoutMs: 500})).toMatchObject({ok: true, recordsNew: 0, duplicates: 300})
  })
})
