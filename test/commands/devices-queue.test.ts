import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Store} from '../../src/db/open.js'
import {createDevice, findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {deactivateDevice} from '../../src/devices/service.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {openStore} from '../../src/db/open.js'
import {type AttendStore} from '../../src/store/port.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {portOf, withStoreAt} from '../helpers/store.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const now = Date.parse('2026-03-12T09:00:00Z')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())

const withStore = <T>(fn: (store: Store) => T): T => withStoreAt(db, fn)

/** Runs `fn` on the store port over the test's SQLite file, closed afterwards. */
async function withPort<T>(fn: (port: AttendStore) => Promise<T>): Promise<T> {
  const store = openStore(db)
  try {
    return await fn(portOf(store))
  } finally {
    store.close()
  }
}

interface CommandView {
  id: number
  command: string
  status: string
  queuedAt: string
  sentAt: string | null
  doneAt: string | null
  returnCode: string | null
  result: string | null
}
interface Target {
  serial: string
  name: string
  zone: string
  zoneIsSite: boolean
}

const POLL_LINE = 'The device picks it up on its next poll of attend serve (only devices using the ZKTeco push protocol poll for commands).'

describe('attend devices queue', () => {
  beforeAll(async () => {
    withStore((store) => {
      writeSettings(store, {timezone: 'Asia/Kolkata'}, now)
      createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, now)
      createDevice(store, {serial: 'NAIROBI01', name: 'Depot', timezone: 'Africa/Nairobi'}, now)
      createDevice(store, {serial: 'OLD01', name: 'Old gate'}, now)
    })
    await withPort((port) => deactivateDevice(port, 'OLD01', now))
  })

  it('queues a re-upload of a date range and says when the device takes it', async () => {
    const result = await runAttend(['devices', 'queue', 'CDQ9192960002', '--attlog-from', '2026-03-01', '--attlog-to', '2026-03-12'], {env})
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^Queued command \d+ for CDQ9192960002 \(Main gate\): DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00 EndTime=2026-03-12 23:59:59$/)
    expect(lines[1]).toBe(POLL_LINE)
    expect(lines).toHaveLength(2)
  })

  it.each([
    [['--attlog-from', '2026-03-05'], 'DATA QUERY ATTLOG StartTime=2026-03-05 00:00:00\tEndTime=2026-03-05 23:59:59'],
    [['--users'], 'DATA QUERY USERINFO'],
    [['--info'], 'INFO'],
    [['--reboot'], 'REBOOT'],
    [['--check'], 'CHECK'],
    [['--raw', 'DATA QUERY USERINFO PIN=1'], 'DATA QUERY USERINFO PIN=1'],
  ])('queues %j as %j; --json prints the device and the command', async (flags, command) => {
    const out = await runJson<{device: Target; command: CommandView}>(['devices', 'queue', 'CDQ9192960002', ...flags], {env})
    expect(out).toEqual({
      device: {serial: 'CDQ9192960002', name: 'Main gate', zone: 'Asia/Kolkata', zoneIsSite: true},
      command: {id: out.command.id, command, status: 'queued', queuedAt: '2026-03-12T09:00:00.000Z', sentAt: null, doneAt: null, returnCode: null, result: null},
    })
    withStore((store) => {
      const device = findDeviceBySerial(store, 'CDQ9192960002')
      expect(store.sqlite.prepare('SELECT device_id AS deviceId, command FROM device_commands WHERE id = ?').get(out.command.id)).toEqual({deviceId: device?.id, command})
    })
  })

  it.each([
    [[], 'Nothing to queue: pass exactly one of --attlog-from, --users, --info, --reboot, --check, --raw.'],
    [['--users', '--info'], 'Queue one command at a time: --users and --info were given together; pass exactly one of --attlog-from, --users, --info, --reboot, --check, --raw.'],
    [['--attlog-from', '2026-03-01', '--reboot'], 'Queue one command at a time: --attlog-from and --reboot were given together; pass exactly one of --attlog-from, --users, --info, --reboot, --check, --raw.'],
    [['--attlog-to', '2026-03-01'], '--attlog-to needs --attlog-from: pass the first date of the range too.'],
    [['--attlog-from', '2026-02-30'], 'Invalid --attlog-from "2026-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2026 has 28 days).'],
    [['--attlog-from', '2026-03-05', '--attlog-to', '2026-03-01'], 'Invalid --attlog-to "2026-03-01": it is before --attlog-from 2026-03-05.'],
    [['--raw', ''], 'The --raw command cannot be empty.'],
    [['--raw', 'INFO\nREBOOT'], 'The --raw command must be one line: it contains a line break.'],
  ])('exits 2 for %j without touching the store', async (flags, message) => {
    const missing = path.join(tmp.dir, 'never-created.db')
    const result = await runAttend(['devices', 'queue', 'CDQ9192960002', ...flags, '--db', missing], {env})
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(`Error: ${message}`)
    expect(result.stdout).toBe('')
    expect(fs.existsSync(missing)).toBe(false)
  })

  it('exits 1 for an unknown serial and for an inactive device', async () => {
    const unknown = await runAttend(['devices', 'queue', 'ZK0099', '--info'], {env})
    expect(unknown.exitCode).toBe(1)
    expect(errorText(unknown.stderr)).toBe('Error: Unknown device serial "ZK0099": register it with attend devices add, or see attend devices list.')
    const inactive = await runAttend(['devices', 'queue', 'OLD01', '--reboot'], {env})
    expect(inactive.exitCode).toBe(1)
    expect(errorText(inactive.stderr)).toBe(
      'Error: Device OLD01 (Old gate) is inactive and attend serve refuses its polls: reactivate it with attend devices update OLD01 --status active first.',
    )
    const json = await runAttend(['devices', 'queue', 'ZK0099', '--info', '--json'], {env})
    expect(json.exitCode).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({error: {message: 'Unknown device serial "ZK0099": register it with attend devices add, or see attend devices list.', code: 'not_found', param: 'device', actions: ['attend devices add', 'attend devices list'], exit: 1}})
  })
})

describe('attend devices commands', () => {
  let ids: {attlog: number; info: number; reboot: number}
  beforeAll(async () => {
    const queue = async (serial: string, ...flags: string[]) => (await runJson<{command: CommandView}>(['devices', 'queue', serial, ...flags], {env})).command.id
    ids = {
      attlog: await queue('NAIROBI01', '--attlog-from', '2026-03-01', '--attlog-to', '2026-03-12'),
      info: await queue('NAIROBI01', '--info'),
      reboot: await queue('NAIROBI01', '--reboot'),
    }
    // The device polls at 09:00:10 UTC, gets all three, and answers two of them at 09:01.
    await withPort(async (port) => {
      const device = await port.devices.bySerial('NAIROBI01')
      if (!device) throw new Error('NAIROBI01 is missing')
      await port.devices.takeCommands(device.id, now + 10_000, 10)
      await port.devices.recordResults(
        device.id,
        [
          {id: ids.attlog, returnCode: '42', cmd: 'DATA'},
          {id: ids.reboot, returnCode: '-1002', cmd: 'REBOOT'},
        ],
        now + 60_000,
      )
    })
  })

  it('prints a table in the device\'s zone, labelled in a header line', async () => {
    const result = await runAttend(['devices', 'commands', 'NAIROBI01'], {env})
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('Commands for NAIROBI01 (Depot), times in Africa/Nairobi (device zone):')
    expect(lines[1].split(/\s{2,}/)).toEqual(['Id', 'Command', 'Status', 'Queued', 'Sent', 'Done', 'Return'])
    const rows = lines.slice(2).map((line) => line.trim().split(/\s{2,}/))
    expect(rows).toEqual([
      [String(ids.attlog), 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00 EndTime=2026-03-12 23:59:59', 'done', '2026-03-12 12:00', '2026-03-12 12:00', '2026-03-12 12:01', '42'],
      [String(ids.info), 'INFO', 'sent', '2026-03-12 12:00', '2026-03-12 12:00', '-', '-'],
      [String(ids.reboot), 'REBOOT', 'failed', '2026-03-12 12:00', '2026-03-12 12:00', '2026-03-12 12:01', '-1002'],
    ])
  })

  it('uses the site zone for a device without one, and says so', async () => {
    const result = await runAttend(['devices', 'commands', 'CDQ9192960002', '--status', 'queued'], {env})
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('Commands for CDQ9192960002 (Main gate), times in Asia/Kolkata (site zone):')
    // 09:00 UTC is 14:30 in Kolkata.
    expect(lines.slice(2).every((line) => line.includes('queued    2026-03-12 14:30'))).toBe(true)
    expect(lines.length).toBeGreaterThan(2)
  })

  it('--json gives the device, its zone and the views; --status filters', async () => {
    const all = await runJson<{device: Target; commands: CommandView[]}>(['devices', 'commands', 'NAIROBI01'], {env})
    expect(all.device).toEqual({serial: 'NAIROBI01', name: 'Depot', zone: 'Africa/Nairobi', zoneIsSite: false})
    expect(all.commands).toEqual([
      {
        id: ids.attlog,
        command: 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59',
        status: 'done',
        queuedAt: '2026-03-12T09:00:00.000Z',
        sentAt: '2026-03-12T09:00:10.000Z',
        doneAt: '2026-03-12T09:01:00.000Z',
        returnCode: '42',
        result: null,
      },
      {id: ids.info, command: 'INFO', status: 'sent', queuedAt: '2026-03-12T09:00:00.000Z', sentAt: '2026-03-12T09:00:10.000Z', doneAt: null, returnCode: null, result: null},
      {id: ids.reboot, command: 'REBOOT', status: 'failed', queuedAt: '2026-03-12T09:00:00.000Z', sentAt: '2026-03-12T09:00:10.000Z', doneAt: '2026-03-12T09:01:00.000Z', returnCode: '-1002', result: null},
    ])
    const failed = await runJson<{commands: CommandView[]}>(['devices', 'commands', 'NAIROBI01', '--status', 'failed'], {env})
    expect(failed.commands.map((c) => c.id)).toEqual([ids.reboot])
    const sent = await runJson<{commands: CommandView[]}>(['devices', 'commands', 'NAIROBI01', '--status', 'sent'], {env})
    expect(sent.commands.map((c) => c.id)).toEqual([ids.info])
  })

  it('prints a sentence, not an empty table, when nothing matches', async () => {
    const none = await runAttend(['devices', 'commands', 'NAIROBI01', '--status', 'queued'], {env})
    expect(none.exitCode).toBe(0)
    expect(none.stdout).toBe('No queued commands for NAIROBI01 (Depot); queue one with attend devices queue NAIROBI01.\n')
    const empty = await runAttend(['devices', 'commands', 'OLD01'], {env})
    expect(empty.stdout).toBe('No commands for OLD01 (Old gate); queue one with attend devices queue OLD01.\n')
    expect(await runJson(['devices', 'commands', 'OLD01'], {env})).toEqual({total: 0, offset: 0, limit: null, commands: [], device: {serial: 'OLD01', name: 'Old gate', zone: 'Asia/Kolkata', zoneIsSite: true}})
  })

  it('exits 2 for an unknown --status and 1 for an unknown serial', async () => {
    const bad = await runAttend(['devices', 'commands', 'NAIROBI01', '--status', 'finished'], {env})
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toContain('Expected --status=finished to be one of: queued, sent, done, failed')
    const unknown = await runAttend(['devices', 'commands', 'ZK0099'], {env})
    expect(unknown.exitCode).toBe(1)
    expect(errorText(unknown.stderr)).toBe('Error: Unknown device serial "ZK0099": register it with attend devices add, or see attend devices list.')
  })
})
