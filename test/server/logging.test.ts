import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {tempDir} from '../helpers/cli.js'
import {getJson, postJson} from './helpers.js'
import {spawnServe, type ServeProcess} from './spawn-serve.js'

/**
 * `attend serve --log-level` as a real process: which request lines reach stdout, and that an API
 * key sent in the URL (seed 000 allows `?api_key=`) never does.
 */

const SECRET = 'SECRET123'
/** pino's numeric level for info: the level of fastify's per-request lines. */
const INFO_LINE = '"level":30'
const EVENT = {scanId: 'LOG-1', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2025-03-03T08:00:00Z'}

let dir: string
let cleanup: () => void
beforeEach(() => ({dir, cleanup} = tempDir('attend-logging-')))
afterEach(() => cleanup())

/** Stops the server the way an operator does and returns everything it printed. */
async function stop(serve: ServeProcess): Promise<{stdout: string; stderr: string}> {
  serve.child.kill('SIGTERM')
  expect(await serve.exited).toBe(0)
  return {stdout: serve.stdout(), stderr: serve.stderr()}
}

/** stdout as parsed pino lines (every line must be JSON). */
function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

const urlOf = (entry: Record<string, unknown>) => (entry.req as {url?: string} | undefined)?.url

describe('attend serve request logs', () => {
  it('--log-level warn prints no info-level request lines', async () => {
    const serve = await spawnServe(['--db', path.join(dir, 'warn.db'), '--log-level', 'warn'])
    expect((await getJson(`${serve.url}/health`)).status).toBe(200)
    expect((await postJson(`${serve.url}/api/biometric/attendance?api_key=${SECRET}`, EVENT)).status).toBe(401)
    const {stdout, stderr} = await stop(serve)
    expect(stdout).not.toContain(INFO_LINE)
    for (const entry of logLines(stdout)) expect(entry.level as number).toBeGreaterThanOrEqual(40)
    expect(stdout + stderr).not.toContain(SECRET)
  })

  it('--log-level info prints a JSON line per request, with the API key redacted wherever it was sent', async () => {
    const serve = await spawnServe(['--db', path.join(dir, 'info.db'), '--log-level', 'info'])
    expect((await getJson(`${serve.url}/health`)).status).toBe(200)
    expect((await postJson(`${serve.url}/api/biometric/attendance?api_key=${SECRET}`, EVENT)).status).toBe(401)
    // Not the first parameter, and in the other key-based families' headers.
    expect((await postJson(`${serve.url}/api/biometric/attendance?source=gate&api_key=${SECRET}&retry=1`, EVENT)).status).toBe(401)
    expect((await postJson(`${serve.url}/api/biometric/attendance`, EVENT, {'x-api-key': SECRET})).status).toBe(401)
    expect((await getJson(`${serve.url}/v1/users`, {authorization: `Bearer ${SECRET}`})).status).toBe(401)
    const {stdout, stderr} = await stop(serve)

    const lines = logLines(stdout)
    expect(stdout).toContain(INFO_LINE)
    const urls = lines.filter((entry) => entry.level === 30).map(urlOf)
    expect(urls).toContain('/health')
    expect(urls).toContain('/api/biometric/attendance?api_key=[redacted]')
    expect(urls).toContain('/api/biometric/attendance?source=gate&api_key=[redacted]&retry=1')
    expect(urls).toContain('/v1/users')
    expect(stdout + stderr).not.toContain(SECRET)
  })

  // The query parser decodes parameter names, so `api%5Fkey=` and `%61pi_key=` authenticate: the
  // log must redact them as well.
  it('--log-level info also redacts a key sent under a percent-encoded api_key name', async () => {
    const serve = await spawnServe(['--db', path.join(dir, 'encoded.db'), '--log-level', 'info'])
    // "Invalid", not "Missing": the server read SECRET as the key.
    for (const name of ['api%5Fkey', '%61pi_key']) {
      const res = await postJson(`${serve.url}/api/biometric/attendance?${name}=${SECRET}`, EVENT)
      expect(res.status).toBe(401)
      expect(res.body.message).toMatch(/^Invalid API key/)
    }
    const {stdout, stderr} = await stop(serve)
    expect(stdout).toContain(INFO_LINE)
    expect(stdout + stderr).not.toContain(SECRET)
  })
})
