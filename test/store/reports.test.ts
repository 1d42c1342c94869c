import pg from 'pg'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {openPgDatabase, type PgDatabase} from '../../src/db/pg/open.js'
import {inSnapshot} from '../../src/store/pg/transaction.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

/**
 * A report's reads on PostgreSQL share one snapshot (docs/architecture.md, "The store port",
 * reports): another server's commit between two of them is seen by neither, and nothing can be
 * written from inside.
 */
describePg('the reports snapshot on PostgreSQL', () => {
  const database = usePgDatabase()
  let store: PgDatabase
  let other: pg.Client
  beforeAll(async () => {
    store = await openPgDatabase(database.url)
    other = new pg.Client({connectionString: database.url})
    await other.connect()
  })
  afterAll(async () => {
    await other?.end()
    await store?.close()
  })

  const count = async (client: pg.ClientBase) => Number((await client.query<{n: string}>('SELECT count(*) AS n FROM employees')).rows[0].n)

  it('sees neither a commit made between its reads nor lets it write', async () => {
    const seen = await inSnapshot(store.pool, async (client) => {
      const before = await count(client)
      await other.query(`INSERT INTO employees (code, name, created_at, updated_at) VALUES ('EMP001', 'Ama Mensah', 0, 0)`)
      const after = await count(client)
      const write = await client.query(`UPDATE employees SET name = 'x'`).then(
        () => 'written',
        (error: {code?: string}) => error.code,
      )
      return {before, after, write}
    })
    // 25006: read_only_sql_transaction.
    expect(seen).toEqual({before: 0, after: 0, write: '25006'})
    expect(await count(other)).toBe(1)
  })
})
