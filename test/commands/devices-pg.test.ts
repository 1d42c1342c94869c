import pg from 'pg'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {errorText, runAttend, runJson} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

const env = {ATTEND_NOW: '2026-03-12T09:00:00Z'}

/** The device commands on a PostgreSQL store: the same commands, the same output, nothing SQLite about them. */
describePg('attend devices on PostgreSQL', () => {
  const database = usePgDatabase()
  const run = (args: string[]) => runAttend([...args, '--db', database.url], {env})
  const json = <T>(args: string[]) => runJson<T>([...args, '--db', database.url], {env})
  let client: pg.Client
  beforeAll(async () => {
    client = new pg.Client({connectionString: database.url})
    await client.connect()
  })
  afterAll(async () => {
    await client?.end()
  })

  it('registers a device, prints its token once and keeps only the hash', async () => {
    const added = await run(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--location', 'Gate A'])
    expect(added.exitCode).toBe(0)
    const lines = added.stdout.split('\n')
    expect(lines[0]).toBe('Registered CDQ9192960002 (Main gate): push mode, direction auto.')
    const token = lines[2].trim()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const {rows} = await client.query('SELECT * FROM devices')
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(token)

    const again = await run(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Other'])
    expect([again.exitCode, errorText(again.stderr)]).toEqual([1, 'Error: Device serial "CDQ9192960002" is already registered as Main gate.'])
  })

  it('issues a new token, lists, updates, shows and deactivates', async () => {
    const before = (await client.query<{hash: string}>(`SELECT token_hash AS hash FROM devices WHERE serial = 'CDQ9192960002'`)).rows[0].hash
    const {token, device} = await json<{token: string; device: {serial: string; hasToken: boolean; tokenPrefix: string}}>(['devices', 'token', 'CDQ9192960002'])
    expect(device).toMatchObject({serial: 'CDQ9192960002', hasToken: true, tokenPrefix: token.slice(0, 8)})
    expect((await client.query<{hash: string}>(`SELECT token_hash AS hash FROM devices WHERE serial = 'CDQ9192960002'`)).rows[0].hash).not.toBe(before)

    const updated = await run(['devices', 'update', 'CDQ9192960002', '--direction', 'in', '--timezone', 'Asia/Kolkata'])
    expect(updated.stdout).toBe('Updated CDQ9192960002 (Main gate): active, push mode, direction in, zone Asia/Kolkata.\n')
    await client.query(`INSERT INTO refused_devices (serial, remote_address, route, attempts, first_seen_at, last_seen_at) VALUES ('ZK0099', '192.168.1.50', '/iclock/cdata', 2, ${Date.parse('2026-03-12T08:00:00Z')}, ${Date.parse('2026-03-12T08:50:00Z')})`)
    const listed = await json<{total: number; devices: {serial: string; direction: string; presence: string | null}[]; refused: {serial: string; attempts: number}[]}>(['devices', 'list'])
    expect(listed).toMatchObject({total: 1, devices: [{serial: 'CDQ9192960002', direction: 'in', presence: null}], refused: [{serial: 'ZK0099', attempts: 2}]})
    const table = await run(['devices', 'list'])
    expect(table.stdout).toContain('ZK0099')
    expect(table.stdout).toContain('never seen')

    const shown = await run(['devices', 'show', 'CDQ9192960002'])
    expect(shown.stdout).toContain('Time zone:  Asia/Kolkata')
    const deactivated = await run(['devices', 'deactivate', 'CDQ9192960002'])
    expect(deactivated.stdout).toBe('Deactivated CDQ9192960002 (Main gate): attend serve now refuses it.\n')
    expect((await client.query(`SELECT status FROM devices`)).rows).toEqual([{status: 'inactive'}])
    await run(['devices', 'update', 'CDQ9192960002', '--status', 'active'])
  })

  it('queues commands for the next poll and lists them', async () => {
    const queued = await run(['devices', 'queue', 'CDQ9192960002', '--attlog-from', '2026-03-01', '--attlog-to', '2026-03-12'])
    expect(queued.exitCode).toBe(0)
    expect(queued.stdout.split('\n')[0]).toMatch(/^Queued command \d+ for CDQ9192960002 \(Main gate\): DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00 EndTime=2026-03-12 23:59:59$/)
    const info = await json<{command: {id: number; status: string}}>(['devices', 'queue', 'CDQ9192960002', '--info'])
    expect(info.command.status).toBe('queued')
    const {rows} = await client.query(`SELECT command, status FROM device_commands ORDER BY id`)
    expect(rows).toEqual([
      {command: 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59', status: 'queued'},
      {command: 'INFO', status: 'queued'},
    ])
    const listed = await json<{device: {zone: string}; commands: {id: number; command: string}[]}>(['devices', 'commands', 'CDQ9192960002', '--status', 'queued'])
    expect(listed.device.zone).toBe('Asia/Kolkata')
    expect(listed.commands.map((c) => c.command)).toEqual(['DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59', 'INFO'])

    const unknown = await run(['devices', 'queue', 'ZK0404', '--info'])
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toContain('Unknown device serial "ZK0404"')
  })
})
