import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {runAttend, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {withStoreAt} from '../helpers/store.js'
import {spawnServe} from '../server/spawn-serve.js'
import {punches} from './fixtures.js'
import {until, useEmulators} from './helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
const emulator = useEmulators()

describe('attend serve --pull-every', () => {
  it('pulls agent devices on a timer, one pull per device at a time', async () => {
    const db = path.join(tmp.dir, 'serve.db')
    withStoreAt(db, (store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.now()))
    const env = {ATTEND_DB: db}
    // Each chunk of the log takes 0.6 s: a pull (3 chunks) lasts longer than the 1 s interval.
    const slow = await emulator({records: punches(4000), beforeChunkDone: ({table}) => (table === 'attendance' ? new Promise((r) => setTimeout(r, 600)) : undefined)})
    const quick = await emulator({serial: 'A6F5190460123', records: punches(30), tcp: false})
    for (const [serial, e] of [['CDQ9192960002', slow], ['A6F5190460123', quick]] as const) {
      const added = await runAttend(['devices', 'add', '--serial', serial, '--name', serial, '--mode', 'agent', '--ip', '127.0.0.1', '--port', String(e.port)], {env})
      expect(added.exitCode).toBe(0)
    }

    const server = await spawnServe(['--pull-every', '1', '--log-level', 'info'], env)
    try {
      const pulls = (serial: string) => server.stdout().split('\n').filter((line) => line.includes('"msg":"agent pull"') && line.includes(`"serial":"${serial}"`)).length
      await until(() => pulls('CDQ9192960002') >= 2 && pulls('A6F5190460123') >= 3, 15_000)
      expect(slow.maxTcpSessions).toBe(1)
      const connects = slow.log.filter((l) => l.command === 'CMD_CONNECT').length
      expect(connects).toBeLessThanOrEqual(pulls('CDQ9192960002') + 1)
      const stored = withStoreAt(db, (store) => store.sqlite.prepare('SELECT device_key AS device, count(*) AS n FROM punches GROUP BY device_key ORDER BY device_key').all())
      expect(stored).toEqual([
        {device: 'A6F5190460123', n: 30},
        {device: 'CDQ9192960002', n: 4000},
      ])
      const line = JSON.parse(server.stdout().split('\n').find((l) => l.includes('"msg":"agent pull"') && l.includes('A6F5190460123'))!)
      expect(line.pull).toMatchObject({serial: 'A6F5190460123', ok: true, protocol: 'udp', recordsRead: 30})
    } finally {
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    }
    expect(slow.enabled).toBe(true)
    expect(withStoreAt(db, (store) => store.sqlite.prepare('SELECT lease_owner FROM device_pulls').all())).toEqual([{lease_owner: null}, {lease_owner: null}])
  })
})

describePg('attend serve --pull-every on PostgreSQL', () => {
  const database = usePgDatabase()

  it('pulls agent devices into the database and leaves no lease behind', async () => {
    const env = {ATTEND_DB: database.url}
    expect((await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})).exitCode).toBe(0)
    const terminal = await emulator({records: punches(120)})
    const added = await runAttend(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--mode', 'agent', '--ip', '127.0.0.1', '--port', String(terminal.port)], {env})
    expect(added.exitCode).toBe(0)

    const server = await spawnServe(['--pull-every', '1', '--log-level', 'info'], env)
    try {
      await until(() => server.stdout().includes('"msg":"agent pull"'), 15_000)
      const line = JSON.parse(server.stdout().split('\n').find((l) => l.includes('"msg":"agent pull"'))!)
      expect(line.pull).toMatchObject({serial: 'CDQ9192960002', ok: true, recordsRead: 120, recordsNew: 120})
    } finally {
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    }
    const listed = await runAttend(['punches', 'list', '--device', 'CDQ9192960002', '--limit', '500', '--json'], {env})
    expect(listed.exitCode).toBe(0)
    expect(JSON.parse(listed.stdout).punches).toHaveLength(120)
    const shown = await runAttend(['devices', 'show', 'CDQ9192960002', '--json'], {env})
    expect(JSON.parse(shown.stdout).lastPull).toMatchObject({error: null, recordsNew: 120})
  })
})
