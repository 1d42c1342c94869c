import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import type {TestProject} from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin URL of the test PostgreSQL cluster; null when the PostgreSQL suite is skipped. */
    attendTestPg: string | null
  }
}

const script = fileURLToPath(new URL('../../scripts/pg-test-cluster.sh', import.meta.url))

/**
 * Finds a PostgreSQL for the tests that need one (test/helpers/pg.ts gives each test file its own
 * database in it): `ATTEND_TEST_PG` when set (CI's cluster, or one a developer keeps running),
 * else a throw-away cluster started here when initdb is installed, stopped at the end of the run.
 * Without either the PostgreSQL tests are skipped, said once; in CI (`CI=true`) that is a failure.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.ATTEND_TEST_PG
  if (given) {
    await check(given)
    project.provide('attendTestPg', given)
    return undefined
  }
  const bindir = run(['bindir']).trim()
  if (!bindir) return skip('no ATTEND_TEST_PG and no initdb on this machine')
  let started: Record<string, string>
  try {
    started = parseExports(run(['start']))
  } catch (error) {
    return skip(`a test cluster did not start (${(error as Error).message.split('\n')[0]})`)
  }
  const stop = () => {
    run(['stop', started.ATTEND_TEST_PG_DIR])
  }
  try {
    await check(started.ATTEND_TEST_PG)
  } catch (error) {
    stop()
    throw error
  }
  project.provide('attendTestPg', started.ATTEND_TEST_PG)
  return stop

  function skip(reason: string): undefined {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI and ${reason}; .ci/run starts one (scripts/pg-test-cluster.sh).`)
    console.log(`PostgreSQL suite skipped: ${reason} (install PostgreSQL, or set ATTEND_TEST_PG=postgres://…).`)
    project.provide('attendTestPg', null)
    return undefined
  }
}

function run(args: string[]): string {
  return execFileSync('bash', [script, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: path.dirname(script)})
}

function parseExports(output: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const line of output.split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim())
    if (match) values[match[1]] = match[2]
  }
  if (!values.ATTEND_TEST_PG || !values.ATTEND_TEST_PG_DIR) throw new Error(`unexpected output: ${output}`)
  return values
}

async function check(url: string): Promise<void> {
  const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 10_000})
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    throw new Error(`The test PostgreSQL at ${url} does not answer: ${(error as Error).message}`)
  } finally {
    await client.end().catch(() => undefined)
  }
}
