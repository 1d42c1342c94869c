import {randomBytes} from 'node:crypto'
import pg from 'pg'
import {afterAll, beforeAll, describe, inject} from 'vitest'

/** The test cluster's admin URL (see pg-global-setup.ts), or null when the PostgreSQL suite is skipped. */
export const testPgUrl: string | null = inject('attendTestPg')

/** describe() for tests that need PostgreSQL: skipped without one (the global setup says so, once). */
export const describePg = describe.skipIf(!testPgUrl)

/** The URL of database `name` on the test cluster. */
export function databaseUrl(name: string): string {
  const url = new URL(testPgUrl ?? 'postgres://localhost/none')
  url.pathname = `/${name}`
  return url.toString()
}

/** Creates a new empty database on the test cluster and returns its URL. */
export async function createDatabase(): Promise<{name: string; url: string}> {
  const name = `attend_t_${process.pid}_${randomBytes(4).toString('hex')}`
  await admin(`CREATE DATABASE "${name}"`)
  return {name, url: databaseUrl(name)}
}

export async function dropDatabase(name: string): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}

/**
 * A fresh database for this test file (or describe block), dropped after it, so test files run in
 * parallel without seeing each other's rows. Read `.url` inside tests and hooks.
 */
export function usePgDatabase(): {readonly url: string} {
  let current: {name: string; url: string} | undefined
  beforeAll(async () => {
    current = await createDatabase()
  })
  afterAll(async () => {
    if (current) await dropDatabase(current.name)
  })
  return {
    get url() {
      if (!current) throw new Error('usePgDatabase().url is only known inside tests and hooks')
      return current.url
    },
  }
}

async function admin(statement: string): Promise<void> {
  if (!testPgUrl) throw new Error('No test PostgreSQL (describePg skips these tests)')
  const client = new pg.Client({connectionString: testPgUrl})
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
