import {beforeEach, describe, expect, it} from 'vitest'

import type {RevisionScope} from '../../src/db/revisions.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {pgAttendStore} from '../../src/store/pg/port.js'
import type {AttendStore} from '../../src/store/port.js'
import {cachedByRevision, type StoreRevisions} from '../../src/store/revisions.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {describePg} from '../helpers/pg.js'
import {usePgStores, useSqliteStores} from './engines.js'

/** One engine under the contract: the port of this process, and plain SQL run by another process on the same store. */
interface Engine {
  port: AttendStore
  otherExec(sql: string): Promise<void>
}

const SCOPES: RevisionScope[] = ['site', 'api_keys', 'people', 'webhooks']

/** A write to one table behind each scope, as another server would make it. */
const WRITES: Array<{scope: RevisionScope; sql: string}> = [
  {scope: 'site', sql: `INSERT INTO settings (key, value, updated_at) VALUES ('reportTitle', '"Greenfield Academy"', 1)`},
  {scope: 'api_keys', sql: `INSERT INTO api_keys (name, prefix, hash, scopes, limits, created_at) VALUES ('payroll', 'ak_live_1', 'scrypt$x', '["read"]', '[]', 1)`},
  {scope: 'people', sql: `INSERT INTO employees (code, name, created_at, updated_at) VALUES ('EMP001', 'Asha Kamau', 1, 1)`},
  {scope: 'webhooks', sql: `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://hr.example/hooks', '["*"]', 'whsec_a', 1, 1)`},
]

const CLEAR = 'DELETE FROM settings; DELETE FROM api_keys; DELETE FROM employees; DELETE FROM webhooks'

async function revisions(port: AttendStore): Promise<Record<RevisionScope, number>> {
  const entries = await Promise.all(SCOPES.map(async (scope) => [scope, await port.revisions.current(scope)] as const))
  return Object.fromEntries(entries) as Record<RevisionScope, number>
}

/** The same promises on every engine (docs/architecture.md, "The store port"). */
function revisionsContract(engine: () => Engine): void {
  it.each(WRITES)("another process's write moves the $scope revision and no other", async ({scope, sql}) => {
    const before = await revisions(engine().port)
    for (const value of Object.values(before)) expect(Number.isNaN(value)).toBe(false)
    await engine().otherExec(sql)
    const after = await revisions(engine().port)
    for (const other of SCOPES) {
      if (other === scope) expect(after[other], other).not.toBe(before[other])
      else expect(after[other], other).toBe(before[other])
    }
  })

  it("keeps the site settings until the site revision moves, then reads another process's change", async () => {
    const first = await engine().port.siteSettings.read()
    expect(first.reportTitle).not.toBe('Greenfield Academy')
    // Unchanged store: the same (cached) settings.
    expect(await engine().port.siteSettings.read()).toBe(first)
    // A write to another scope's tables leaves them cached.
    await engine().otherExec(WRITES.find((w) => w.scope === 'people')!.sql)
    expect(await engine().port.siteSettings.read()).toBe(first)
    await engine().otherExec(`INSERT INTO settings (key, value, updated_at) VALUES ('reportTitle', '"Greenfield Academy"', 1)`)
    const changed = await engine().port.siteSettings.read()
    expect(changed.reportTitle).toBe('Greenfield Academy')
    await engine().otherExec(`UPDATE settings SET value = '"Hillside School"' WHERE key = 'reportTitle'`)
    expect((await engine().port.siteSettings.read()).reportTitle).toBe('Hillside School')
  })
}

describe('store revisions on SQLite', () => {
  const stores = useSqliteStores()
  let port: AttendStore
  beforeEach(() => {
    port = sqliteAttendStore(stores.first, new GroupCommit(stores.first, {now: () => 1}))
  })
  revisionsContract(() => ({port, otherExec: async (sql) => void stores.second.sqlite.exec(sql)}))
})

describePg('store revisions on PostgreSQL', () => {
  const stores = usePgStores({clear: CLEAR})
  let port: AttendStore
  beforeEach(() => {
    port = pgAttendStore(stores.first)
  })
  revisionsContract(() => ({port, otherExec: async (sql) => void (await stores.second.pool.query(sql))}))
})

describe('cachedByRevision', () => {
  /** Revisions read from a list, one per call (the last repeats), counting the loads. */
  function script(values: number[]) {
    let read = 0
    let loads = 0
    const revisions: StoreRevisions = {current: async () => values[Math.min(read++, values.length - 1)]}
    const cached = cachedByRevision(revisions, 'site', async () => ++loads)
    return {cached, loads: () => loads}
  }

  it.each([
    {case: 'an unchanged revision loads once', revisions: [7, 7, 7], results: [1, 1, 1]},
    {case: 'a moved revision loads again', revisions: [7, 7, 9, 9], results: [1, 1, 2, 2]},
    {case: 'a revision that comes back to an old value still loads (only the last is kept)', revisions: [7, 9, 7], results: [1, 2, 3]},
    {case: 'a store without the revision row loads every time', revisions: [Number.NaN], results: [1, 2, 3]},
  ])('$case', async ({revisions, results}) => {
    const {cached, loads} = script(revisions)
    const got: number[] = []
    for (let i = 0; i < results.length; i++) got.push(await cached())
    expect(got).toEqual(results)
    expect(loads()).toBe(results.at(-1))
  })
})
