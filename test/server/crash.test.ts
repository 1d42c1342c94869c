import path from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {tempDir} from '../helpers/cli.js'
import {spawnServe} from './spawn-serve.js'

let dir: string
let cleanup: () => void
beforeEach(() => ({dir, cleanup} = tempDir('attend-crash-')))
afterEach(() => cleanup())

/**
 * "Acknowledged" must mean "committed": a 200 is sent only after the pipeline's transaction, so a
 * server killed without any chance to clean up (SIGKILL) still has every punch it acknowledged.
 */
it('every punch acknowledged before a SIGKILL is in the store afterwards', async () => {
  const db = path.join(dir, 'crash.db')
  const setup = openStore(db)
  const key = createApiKey(setup, {name: 'crash', limits: [{max: 1_000_000, window: 'hour'}]}, Date.now()).key
  setup.close()

  const serve = await spawnServe(['--db', db, '--log-level', 'silent'])
  const acknowledged: string[] = []
  let killed = false
  const client = async (client: number) => {
    for (let i = 0; ; i++) {
      const scanId = `CRASH-${client}-${i}`
      const body = JSON.stringify({scanId, employeeId: `W${client}`, eventType: i % 2 ? 'check_out' : 'check_in', timestamp: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()})
      try {
        const res = await fetch(`${serve.url}/api/biometric/attendance`, {method: 'POST', headers: {'content-type': 'application/json', 'x-api-key': key}, body})
        const json = (await res.json()) as {successful?: number}
        if (res.status === 200 && json.successful === 1) acknowledged.push(scanId)
        else throw new Error(`unexpected answer ${res.status} for ${scanId}`)
      } catch (error) {
        if (killed) return
        throw error
      }
    }
  }
  const clients = [1, 2, 3, 4].map(client)
  // Kill mid-stream: once a few hundred punches are acknowledged, while requests are in flight.
  while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5))
  killed = true
  serve.child.kill('SIGKILL')
  expect(await serve.exited).toBe('SIGKILL')
  await Promise.all(clients)

  const store = openStore(db)
  try {
    const stored = new Set((store.sqlite.prepare('SELECT scan_id AS scanId FROM punches').all() as {scanId: string}[]).map((r) => r.scanId))
    const lost = acknowledged.filter((scanId) => !stored.has(scanId))
    expect(acknowledged.length).toBeGreaterThanOrEqual(300)
    expect(lost).toEqual([])
    // Punches in flight at the kill may or may not have been committed; never more than were sent.
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length)
    expect(stored.size).toBeLessThanOrEqual(acknowledged.length + 4)
  } finally {
    store.close()
  }
})
