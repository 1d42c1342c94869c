import {describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import type {PgDatabase} from '../../src/db/pg/open.js'
import type {CanonicalPunch} from '../../src/punches/types.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {pgAttendStore} from '../../src/store/pg/port.js'
import type {AttendStore} from '../../src/store/port.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: two servers' ports on the same store, and a raw read. */
interface Engine {
  first: AttendStore
  second: AttendStore
  all<T>(sql: string): Promise<T[]>
}

// Tuesday 2026-03-03, 20:00 UTC: Monday's and Tuesday's shifts are over.
const NOW = Date.UTC(2026, 2, 3, 20)
const PEOPLE = ['EMP001', 'EMP002', 'EMP003', 'EMP004']

const SEED = `
  INSERT INTO settings (key, value, updated_at) VALUES ('timezone', '"UTC"', 1), ('weekOff', '["sat","sun"]', 1), ('defaultShift', '"Office"', 1);
  INSERT INTO shifts (id, name, start, "end", created_at, updated_at) VALUES (1, 'Office', '09:00', '17:00', 1, 1);
  INSERT INTO devices (id, serial, name, created_at, updated_at) VALUES (1, 'CDQ9192960002', 'Main gate', 1, 1);
  INSERT INTO employees (id, code, name, created_at, updated_at) VALUES
    ${PEOPLE.map((code, i) => `(${i + 1}, '${code}', 'Person ${i + 1}', 1, 1)`).join(', ')};
  INSERT INTO webhooks (id, url, events, secret, active, max_in_flight, created_at, updated_at)
    VALUES (1, 'http://127.0.0.1:9/hook', '["attendance.created","attendance_day.updated"]', 'whsec_test', TRUE, 4, 1, 1);
`

const CLEAR = `TRUNCATE webhook_deliveries, webhook_events, webhooks, attendance_days, manual_days, punches, imports, employees, devices, shifts, settings RESTART IDENTITY CASCADE`

/** A day's punches of every person at the gate: in around 09:00 and out around 17:00, a minute apart per person. */
function punchesOf(date: string): CanonicalPunch[] {
  return PEOPLE.flatMap((code, i) =>
    [`${date}T08:5${i}:00Z`, `${date}T12:0${i}:00Z`, `${date}T17:0${i}:00Z`].map((iso) => ({
      deviceUserId: code,
      deviceSerial: 'CDQ9192960002',
      time: {kind: 'instant' as const, ms: Date.parse(iso)},
      timeText: iso,
    })),
  )
}

const ALL = [...punchesOf('2026-03-02'), ...punchesOf('2026-03-03')]

/** Overlapping halves, each split in batches: the first server sends 0..2/3, the second 1/3..end. */
function batches(punches: readonly CanonicalPunch[], from: number, to: number, size: number): CanonicalPunch[][] {
  const part = punches.slice(from, to)
  const out: CanonicalPunch[][] = []
  for (let i = 0; i < part.length; i += size) out.push(part.slice(i, i + size))
  return out
}

const DAY_COLUMNS = `employee_id AS "employeeId", date, status, first_in AS "firstIn", last_out AS "lastOut", worked_minutes AS "workedMinutes", punch_count AS "punchCount"`

function punchesContract(engine: () => Engine): void {
  it('stores the unique set of overlapping batches from two servers, each punch reported new exactly once, and every day as a fresh recompute', async () => {
    const {first, second, all} = engine()
    const third = Math.floor(ALL.length / 3)
    const sends = [
      ...batches(ALL, 0, 2 * third, 5).map((batch) => first.punches.ingest(batch, {source: 'http:push-log', now: NOW})),
      ...batches(ALL, third, ALL.length, 4).map((batch) => second.punches.ingest(batch, {source: 'http:cams', now: NOW})),
      // A resend of everything, as a device does after a timeout.
      second.punches.ingest(ALL, {source: 'http:push-log', now: NOW}),
    ]
    const results = await Promise.all(sends)

    const stored = results.flatMap((result) => result.outcomes.filter((outcome) => outcome.status === 'stored'))
    expect(stored).toHaveLength(ALL.length)
    expect(new Set(stored.map((outcome) => (outcome.status === 'stored' ? outcome.punchId : 0))).size).toBe(ALL.length)
    expect(results.reduce((n, result) => n + result.stored + result.duplicates, 0)).toBe(2 * third + (ALL.length - third) + ALL.length)
    const rows = await all<{n: number}>('SELECT count(*) AS n FROM punches')
    expect(Number(rows[0].n)).toBe(ALL.length)

    // Every punch was announced once; the days were computed with all of them.
    const created = await all<{n: number}>(`SELECT count(*) AS n FROM webhook_events WHERE type = 'attendance.created'`)
    expect(Number(created[0].n)).toBe(ALL.length)
    const days = await all<Record<string, unknown>>(`SELECT ${DAY_COLUMNS} FROM attendance_days ORDER BY employee_id, date`)
    expect(days).toHaveLength(PEOPLE.length * 2)
    expect(days.every((day) => day.status === 'present' && Number(day.punchCount) === 3)).toBe(true)
    const fresh = await first.attendance.recompute({from: '2026-03-02', to: '2026-03-03'}, NOW)
    expect(fresh).toMatchObject({employees: PEOPLE.length, days: PEOPLE.length * 2, changed: 0})
    expect(await all(`SELECT ${DAY_COLUMNS} FROM attendance_days ORDER BY employee_id, date`)).toEqual(days)
  })

  it('resolves, rejects and reports duplicates with the stored twin, in input order', async () => {
    const {first, all} = engine()
    const [a, b] = punchesOf('2026-03-02')
    const ghost: CanonicalPunch = {...a, deviceUserId: '999'}
    const future: CanonicalPunch = {...a, time: {kind: 'instant', ms: NOW + 3 * 86_400_000}, timeText: 'three days ahead'}
    const result = await first.punches.ingest([a, future, ghost, a, b], {source: 'http:push-log', now: NOW})
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'rejected', 'stored', 'duplicate', 'stored'])
    expect(result).toMatchObject({stored: 3, duplicates: 1, rejected: 1, unmapped: 1})
    const [stored, rejected, unmapped, twin] = result.outcomes
    expect(stored).toMatchObject({employee: {code: 'EMP001'}, deviceKey: 'CDQ9192960002'})
    expect(rejected).toMatchObject({reason: expect.stringContaining('in the future')})
    expect(unmapped).toMatchObject({employee: null})
    expect(twin).toMatchObject({punchId: stored.status === 'stored' ? stored.punchId : -1})
    const rows = await all<{code: string | null; device_id: number | null}>('SELECT e.code, p.device_id FROM punches p LEFT JOIN employees e ON e.id = p.employee_id ORDER BY p.id')
    expect(rows.map((row) => [row.code, Number(row.device_id)])).toEqual([['EMP001', 1], [null, 1], ['EMP001', 1]])
  })

  it('answers forty single-punch ingests at once, each with its own outcome, however many arrive together', async () => {
    // More at once than the PostgreSQL pool has connections: a transaction waiting for a second
    // connection would stall them all; ingests of one turn share a transaction there.
    const {first, all} = engine()
    const punches = ALL.slice(0, 20)
    const sent = [...punches, ...punches.slice(0, 10), {...punches[0], deviceUserId: '999', timeText: 'a stranger'}, ...punches.slice(10, 19)]
    // Twelve sources: twelve groups, so twelve transactions at once on PostgreSQL's pool of ten.
    const results = await Promise.all(sent.map((punch, i) => first.punches.ingest([punch], {source: `http:test-${i % 12}`, now: NOW})))
    expect(results.every((result) => result.outcomes.length === 1)).toBe(true)
    const byStatus = (status: string) => results.filter((result) => result.outcomes[0].status === status).length
    expect([byStatus('stored'), byStatus('duplicate')]).toEqual([21, 19])
    for (const result of results) {
      const [outcome] = result.outcomes
      expect(result).toMatchObject(outcome.status === 'stored' ? {stored: 1, duplicates: 0} : {stored: 0, duplicates: 1})
    }
    // Each punch stored once and each person's days as a fresh recompute computes them.
    expect((await all<{n: number}>('SELECT count(*) AS n FROM punches')).map((row) => Number(row.n))).toEqual([21])
    // (The range recompute also writes the absent days of people nobody punched for; those are not compared.)
    const days = await all<Record<string, unknown>>(`SELECT ${DAY_COLUMNS} FROM attendance_days ORDER BY employee_id, date`)
    expect(days.length).toBeGreaterThan(0)
    await first.attendance.recompute({from: '2026-03-02', to: '2026-03-03'}, NOW)
    const keyOf = (day: Record<string, unknown>) => `${String(day.employeeId)}@${String(day.date)}`
    const kept = new Set(days.map(keyOf))
    const after = await all<Record<string, unknown>>(`SELECT ${DAY_COLUMNS} FROM attendance_days ORDER BY employee_id, date`)
    expect(after.filter((day) => kept.has(keyOf(day)))).toEqual(days)
  })

  it('removes a manual punch and recomputes its day without it', async () => {
    const {first, all} = engine()
    await first.punches.ingest(punchesOf('2026-03-02').slice(0, 1), {source: 'http:push-log', now: NOW})
    const added = await first.punches.addManual({employeeCode: 'emp001', time: {kind: 'wall', local: '2026-03-02T17:30:00'}, timeText: '2026-03-02 17:30', direction: 'out', note: 'forgot'}, NOW)
    expect(added.row).toMatchObject({employeeCode: 'EMP001', manual: true, note: 'forgot', source: 'manual'})
    const day = async () => (await all<Record<string, unknown>>(`SELECT ${DAY_COLUMNS} FROM attendance_days WHERE employee_id = 1`))[0]
    expect(await day()).toMatchObject({status: 'present', punchCount: 2})
    expect((await first.punches.addManual({employeeCode: 'EMP001', time: {kind: 'wall', local: '2026-03-02T17:30:00'}, timeText: '2026-03-02 17:30', direction: 'out', note: null}, NOW)).duplicateOf).toMatchObject({id: added.row!.id})
    await expect(first.punches.removeManual(1, NOW)).rejects.toThrow('only manual punches can be removed')
    await first.punches.removeManual(added.row!.id, NOW)
    expect(await day()).toMatchObject({punchCount: 1})
    const listed = await first.punches.list({offset: 0, limit: null})
    expect(listed).toMatchObject({total: 1, timezone: 'UTC', rows: [{employeeCode: 'EMP001', manual: false}]})
  })

  it('keeps an admin’s manual day through recomputes until it is unset', async () => {
    const {first} = engine()
    await first.punches.ingest(punchesOf('2026-03-02'), {source: 'http:push-log', now: NOW})
    await first.attendance.setManual({employeeId: 2, date: '2026-03-02', status: 'leave', checkIn: null, checkOut: null, note: 'Training'}, NOW)
    await first.attendance.recompute({from: '2026-03-02', to: '2026-03-02'}, NOW)
    const listed = await first.attendance.list({from: '2026-03-02', to: '2026-03-02', manual: true, offset: 0, limit: null}, NOW)
    expect(listed).toMatchObject({total: 1, rows: [{code: 'EMP002', status: 'leave', manual: true, note: 'Training'}]})
    const unset = await first.attendance.unsetManual(2, '2026-03-02', NOW)
    expect(unset?.removed).toEqual({date: '2026-03-02', status: 'leave', checkIn: null, checkOut: null, note: 'Training'})
    expect(await first.attendance.unsetManual(2, '2026-03-02', NOW)).toBeNull()
    const after = await first.attendance.list({from: '2026-03-02', to: '2026-03-03', employeeId: 2, offset: 0, limit: null}, NOW)
    expect(after.rows.map((row) => [row.date, row.status, row.manual])).toEqual([['2026-03-02', 'present', false], ['2026-03-03', 'absent', false]])
  })
}

describe('punches and attendance on SQLite', () => {
  const stores = useSqliteStores(SEED.replace(/INSERT INTO settings .*;\n/, "DELETE FROM settings; $&"))
  const port = (s: Store) => sqliteAttendStore(s, new GroupCommit(s, {now: () => NOW}))
  punchesContract(() => ({first: port(stores.first), second: port(stores.second), all: stores.all}))
})

describePg('punches and attendance on PostgreSQL', () => {
  const stores = usePgStores({seed: SEED, clear: CLEAR})
  const port = (database: PgDatabase) => pgAttendStore(database)
  punchesContract(() => ({first: port(stores.first), second: port(stores.second), all: stores.all}))
})
