import {afterEach, describe, expect, it} from 'vitest'

import {PunchChanges} from '../../src/store/sqlite/ingest/changes.js'
import type {PunchSubscriber} from '../../src/punches/events.js'
import {setConfig} from '../helpers/directory.js'
import {ingestPunches, newIngestCache} from '../../src/store/sqlite/ingest/pipeline.js'
import type {CanonicalPunch, StoredPunch} from '../../src/punches/types.js'
import {parseTimestamp} from '../../src/time/parse.js'
import {testStore} from '../helpers/store.js'
import {addDevice, addEmployee, addMapping, countPunches} from './seed.js'

const stores: Array<{cleanup: () => void}> = []
afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))
function store(timezone = 'Africa/Nairobi') {
  const s = testStore({timezone})
  stores.push(s)
  return s
}

const NOW = Date.parse('2026-03-12T12:00:00Z')
const punch = (deviceUserId: string, text: string, extra: Partial<CanonicalPunch> = {}): CanonicalPunch => ({
  deviceUserId,
  time: parseTimestamp(text),
  timeText: text,
  ...extra,
})
const row = (s: ReturnType<typeof store>, id: number) => s.sqlite.prepare('SELECT * FROM punches WHERE id = ?').get(id) as Record<string, unknown>

describe('ingestPunches', () => {
  it('stores a punch with the device serial as key and resolves wall time in the site zone', () => {
    const s = store()
    const result = ingestPunches(s, [punch('1', '2026-03-12 08:05:00', {deviceSerial: 'ZK01', rawStatus: '0', rawVerify: '1', raw: 'line'})], {source: 'import:attlog', now: NOW}, [])
    expect(result).toMatchObject({stored: 1, duplicates: 0, rejected: 0, unmapped: 1})
    const outcome = result.outcomes[0]
    expect(outcome).toMatchObject({status: 'stored', instant: Date.parse('2026-03-12T05:05:00Z'), employee: null, deviceKey: 'ZK01'})
    const stored = row(s, (outcome as {punchId: number}).punchId)
    expect(stored).toMatchObject({
      device_key: 'ZK01', device_id: null, device_user_id: '1', employee_id: null, local_time: '2026-03-12 08:05:00',
      utc_offset: 180, direction: null, raw_status: '0', raw_verify: '1', source: 'import:attlog', raw: 'line', received_at: NOW, manual: 0,
    })
  })

  it('gives a punch with no device the fallback key, else the source', () => {
    const s = store()
    const a = ingestPunches(s, [punch('1', '2026-03-12T08:00:00Z')], {source: 'api', now: NOW}, [])
    const b = ingestPunches(s, [punch('1', '2026-03-12T08:00:00Z')], {source: 'api', now: NOW, fallbackDeviceKey: 'v1'}, [])
    const c = ingestPunches(s, [punch('1', '2026-03-12T08:00:00Z')], {source: 'api', now: NOW, defaultDeviceSerial: 'SN9'}, [])
    expect([a, b, c].map((r) => (r.outcomes[0] as {deviceKey: string}).deviceKey)).toEqual(['api', 'v1', 'SN9'])
    expect(countPunches(s)).toBe(3)
  })

  it('makes retries and re-imports no-ops, and reports the stored twin', () => {
    const s = store()
    const batch = [punch('1', '2026-03-12 08:05:00', {deviceSerial: 'ZK01'}), punch('1', '2026-03-12 08:05:00', {deviceSerial: 'ZK01'})]
    const first = ingestPunches(s, batch, {source: 'zkteco', now: NOW}, [])
    expect(first).toMatchObject({stored: 1, duplicates: 1})
    const second = ingestPunches(s, batch, {source: 'import:attlog', now: NOW}, [])
    expect(second).toMatchObject({stored: 0, duplicates: 2})
    expect(second.outcomes[0]).toMatchObject({status: 'duplicate', punchId: (first.outcomes[0] as {punchId: number}).punchId})
    expect(countPunches(s)).toBe(1)
  })

  it('dedups on (device, user, instant) alone: a reused scan id for another punch is a new punch, never "already recorded"', () => {
    const s = store()
    const first = ingestPunches(s, [punch('EMP001', '2024-12-01T08:30:00Z', {scanId: 'SCAN_1', deviceSerial: 'DEV001'})], {source: 'api', now: NOW}, [])
    // The same scan sent again: a duplicate of the stored punch.
    const resent = ingestPunches(s, [punch('EMP001', '2024-12-01T08:30:00Z', {scanId: 'SCAN_1', deviceSerial: 'DEV001'})], {source: 'api', now: NOW}, [])
    expect(resent).toMatchObject({stored: 0, duplicates: 1})
    expect(resent.outcomes[0]).toMatchObject({status: 'duplicate', punchId: (first.outcomes[0] as {punchId: number}).punchId})
    // The scan id reused for another time, another employee and another device: three new punches.
    const reused = ingestPunches(
      s,
      [
        punch('EMP001', '2024-12-01T08:31:00Z', {scanId: 'SCAN_1', deviceSerial: 'DEV001'}),
        punch('EMP002', '2024-12-01T08:30:00Z', {scanId: 'SCAN_1', deviceSerial: 'DEV001'}),
        punch('EMP001', '2024-12-01T08:30:00Z', {scanId: 'SCAN_1', deviceSerial: 'DEV002'}),
      ],
      {source: 'api', now: NOW},
      [],
    )
    expect(reused).toMatchObject({stored: 3, duplicates: 0})
    expect(countPunches(s)).toBe(4)
  })

  it('resolves employees: device mapping, then global mapping, then employee code (any case), else unmapped', () => {
    const s = store()
    const dev = addDevice(s, 'ZK01')
    const alice = addEmployee(s, 'EMP001', 'Alice')
    const bob = addEmployee(s, 'EMP002', 'Bob')
    const carol = addEmployee(s, 'emp003', 'Carol')
    addMapping(s, '7', alice, dev)
    addMapping(s, '7', bob, null)
    addMapping(s, '8', bob, null)
    const result = ingestPunches(
      s,
      [
        punch('7', '2026-03-12 08:00', {deviceSerial: 'ZK01'}),
        punch('7', '2026-03-12 08:00', {deviceSerial: 'OTHER'}),
        punch('8', '2026-03-12 08:00', {deviceSerial: 'ZK01'}),
        punch('EMP003', '2026-03-12 08:00', {deviceSerial: 'ZK01'}),
        punch('9', '2026-03-12 08:00', {deviceSerial: 'ZK01'}),
      ],
      {source: 'test', now: NOW},
      [],
    )
    expect(result.outcomes.map((o) => ('employee' in o ? o.employee?.code ?? null : o.reason))).toEqual(['EMP001', 'EMP002', 'EMP002', 'emp003', null])
    expect(result.unmapped).toBe(1)
    expect(result.outcomes[3]).toMatchObject({employee: {id: carol, code: 'emp003', name: 'Carol'}})
  })

  it('with a cache shared by many calls (an import), resolves each device user once until an employee or a mapping changes', () => {
    const s = store()
    const alice = addEmployee(s, 'EMP001', 'Alice')
    const cache = newIngestCache()
    const options = {source: 'import:attlog', now: NOW, cache}
    const first = ingestPunches(s, [punch('7', '2026-03-12 08:00'), punch('EMP001', '2026-03-12 08:01')], options, [])
    expect(first.outcomes.map((o) => ('employee' in o ? o.employee?.id ?? null : o.reason))).toEqual([null, alice])
    // Nobody is also remembered: the next call does not ask the store about user 7 again…
    expect(cache.employees.get(0)?.get('7')).toBeNull()
    // …until a mapping appears (written by another process: the store's revision says so).
    addMapping(s, '7', alice, null)
    const second = ingestPunches(s, [punch('7', '2026-03-12 08:02')], options, [])
    expect(second.outcomes[0]).toMatchObject({status: 'stored', employee: {id: alice, code: 'EMP001'}})
  })

  it('resolves wall clock in --timezone, else the device zone, else the site zone; offsets stay exact', () => {
    const s = store('UTC')
    addDevice(s, 'IN1', {timezone: 'Asia/Kolkata'})
    const result = ingestPunches(
      s,
      [
        punch('1', '2026-03-12 08:00:00', {deviceSerial: 'IN1'}),
        punch('2', '2026-03-12 08:00:00', {deviceSerial: 'X'}),
        punch('3', '2024-09-17 08:00:00 GMT +0300', {deviceSerial: 'IN1'}),
      ],
      {source: 'test', now: NOW},
      [],
    )
    expect(result.outcomes.map((o) => (o as {instant: number}).instant)).toEqual([
      Date.parse('2026-03-12T02:30:00Z'),
      Date.parse('2026-03-12T08:00:00Z'),
      Date.parse('2024-09-17T05:00:00Z'),
    ])
    expect(row(s, (result.outcomes[2] as {punchId: number}).punchId).utc_offset).toBe(180)
    const forced = ingestPunches(s, [punch('1', '2026-03-13 08:00:00', {deviceSerial: 'IN1'})], {source: 'test', now: NOW, timezone: 'Europe/Warsaw'}, [])
    expect(forced.outcomes[0]).toMatchObject({instant: Date.parse('2026-03-13T07:00:00Z')})
  })

  it('lets device direction in/out force the role, else keeps the source direction, else the state map', () => {
    const s = store()
    addDevice(s, 'GATE-IN', {direction: 'in'})
    addDevice(s, 'CAMS', {stateMap: {'1': 'in', '2': 'out'}})
    const result = ingestPunches(
      s,
      [
        punch('1', '2026-03-12 17:00', {deviceSerial: 'GATE-IN', direction: 'out'}),
        punch('1', '2026-03-12 17:00', {deviceSerial: 'ZK', direction: 'out'}),
        punch('1', '2026-03-12 17:00', {deviceSerial: 'CAMS', rawStatus: '2'}),
        punch('1', '2026-03-12 17:00', {deviceSerial: 'ZK2', rawStatus: '1'}),
      ],
      {source: 'test', now: NOW},
      [],
    )
    const directions = result.outcomes.map((o) => row(s, (o as {punchId: number}).punchId).direction)
    expect(directions).toEqual(['in', 'out', 'out', null])
  })

  it('rejects a punch without a device user id and still stores the others', () => {
    const s = store()
    const result = ingestPunches(s, [punch(' ', '2026-03-12 08:00'), punch('1', '2026-03-12 08:00')], {source: 'test', now: NOW}, [])
    expect(result.outcomes[0]).toEqual({status: 'rejected', reason: 'Missing device user id.'})
    expect(result).toMatchObject({stored: 1, rejected: 1})
  })

  it('stores manual punches against the named employee', () => {
    const s = store()
    const alice = addEmployee(s, 'EMP001')
    addMapping(s, 'EMP001', addEmployee(s, 'EMP999'), null)
    const result = ingestPunches(s, [punch('EMP001', '2026-03-12 17:30', {employeeId: alice, manual: true, note: 'forgot'})], {source: 'manual', now: NOW}, [])
    expect(result.outcomes[0]).toMatchObject({status: 'stored', employee: {id: alice}, deviceKey: 'manual'})
    expect(row(s, (result.outcomes[0] as {punchId: number}).punchId)).toMatchObject({manual: 1, note: 'forgot', employee_id: alice})
  })

  it('writes nothing on a dry run but counts duplicates, including across calls', () => {
    const s = store()
    ingestPunches(s, [punch('1', '2026-03-12 08:00', {deviceSerial: 'ZK'})], {source: 'test', now: NOW}, [])
    const seen = new Set<string>()
    const options = {source: 'test', now: NOW, dryRun: true, dryRunSeen: seen}
    const a = ingestPunches(s, [punch('1', '2026-03-12 08:00', {deviceSerial: 'ZK'}), punch('2', '2026-03-12 08:00', {deviceSerial: 'ZK'})], options, [])
    const b = ingestPunches(s, [punch('2', '2026-03-12 08:00', {deviceSerial: 'ZK'})], options, [])
    expect(a).toMatchObject({stored: 1, duplicates: 1, unmapped: 1})
    expect(b).toMatchObject({stored: 0, duplicates: 1})
    expect(countPunches(s)).toBe(1)
  })

  it('calls every subscriber once with the stored rows, inside the transaction', () => {
    const s = store()
    const seen: StoredPunch[][] = []
    const hook: PunchSubscriber = {
      name: 'spy',
      kinds: ['stored'],
      handle(context, changes) {
        expect(context.store.sqlite.inTransaction).toBe(true)
        expect(context).toMatchObject({now: NOW, source: 'test', webhooks: true})
        seen.push([...changes.stored])
      },
    }
    ingestPunches(s, [punch('1', '2026-03-12 08:00'), punch('1', '2026-03-12 08:00')], {source: 'test', now: NOW}, [hook])
    ingestPunches(s, [punch('1', '2026-03-12 08:00')], {source: 'test', now: NOW}, [hook])
    expect(seen).toHaveLength(1)
    expect(seen[0]).toEqual([
      expect.objectContaining({deviceKey: 'test', deviceId: null, deviceUserId: '1', employeeId: null, instant: Date.parse('2026-03-12T05:00:00Z'), direction: null, source: 'test'}),
    ])
  })

  it('rolls back every punch of the call when a subscriber throws', () => {
    const s = store()
    const failing: PunchSubscriber = {name: 'boom', kinds: ['stored'], handle: () => { throw new Error('engine failed') }}
    expect(() => ingestPunches(s, [punch('1', '2026-03-12 08:00')], {source: 'test', now: NOW}, [failing])).toThrow('engine failed')
    expect(countPunches(s)).toBe(0)
  })

  it('refuses punches beyond the future margin (1 day unless configured), with a reason naming the setting', () => {
    const s = store('UTC')
    const result = ingestPunches(
      s,
      [punch('1', '2026-03-13T11:59:00Z'), punch('2', '2026-03-13T12:01:00Z'), punch('3', '2031-03-12T08:00:00Z')],
      {source: 'test', now: NOW},
      [],
    )
    expect(result.outcomes.map((o) => o.status)).toEqual(['stored', 'rejected', 'rejected'])
    expect(result.outcomes[1]).toEqual({status: 'rejected', reason: 'The punch time "2026-03-13T12:01:00Z" is 24 hours in the future, beyond the future margin of 1d (attend config set future-margin).'})
    expect(result.outcomes[2]).toMatchObject({reason: expect.stringMatching(/ is 1825 days in the future/)})

    setConfig(s, 'future-margin', '30m', NOW)
    expect(ingestPunches(s, [punch('4', '2026-03-12T12:45:00Z')], {source: 'test', now: NOW}, []).outcomes[0]).toMatchObject({status: 'rejected'})
    setConfig(s, 'future-margin', 'off', NOW)
    expect(ingestPunches(s, [punch('5', '2031-03-12T08:00:00Z')], {source: 'test', now: NOW}, []).outcomes[0]).toMatchObject({status: 'stored'})
  })

  it('applies the length policy to every source: ids, scan ids, serials and raw codes of at most 64 characters', () => {
    const s = store()
    const long = 'x'.repeat(65)
    const result = ingestPunches(
      s,
      [
        punch(long, '2026-03-12 08:00'),
        punch('1', '2026-03-12 08:00', {scanId: long}),
        punch('1', '2026-03-12 08:01', {deviceSerial: long}),
        punch('1', '2026-03-12 08:02', {rawStatus: long}),
        punch('x'.repeat(64), '2026-03-12 08:03', {scanId: 'y'.repeat(64)}),
      ],
      {source: 'test', now: NOW},
      [],
    )
    expect(result.outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.status))).toEqual([
      `The device user id "${long}" is longer than 64 characters.`,
      `The scan id "${long}" is longer than 64 characters.`,
      `The device serial "${long}" is longer than 64 characters.`,
      `The status code "${long}" is longer than 64 characters.`,
      'stored',
    ])
  })

  it('keeps at most 4 KiB of the raw record', () => {
    const s = store()
    const result = ingestPunches(s, [punch('1', '2026-03-12 08:00', {raw: 'r'.repeat(100_000)})], {source: 'test', now: NOW}, [])
    expect(String(row(s, (result.outcomes[0] as {punchId: number}).punchId).raw)).toHaveLength(4097)
  })

  it('with a change set, hands the stored rows to the caller instead of publishing them, in the caller\'s transaction', () => {
    const s = store()
    const calls: StoredPunch[][] = []
    const hook: PunchSubscriber = {name: 'spy', kinds: ['stored'], handle: (_context, changes) => void calls.push([...changes.stored])}
    const changes = new PunchChanges()
    s.transaction(() => {
      ingestPunches(s, [punch('1', '2026-03-12 08:00', {deviceSerial: 'ZK'})], {source: 'a', now: NOW, changes}, [hook])
      ingestPunches(s, [punch('2', '2026-03-12 08:00', {deviceSerial: 'ZK'}), punch('1', '2026-03-12 08:00', {deviceSerial: 'ZK'})], {source: 'b', now: NOW, changes}, [hook])
      expect(calls).toEqual([])
      PunchChanges.publish(s, [changes], NOW, [hook])
    })
    expect(changes.size).toBe(2)
    expect(calls).toHaveLength(1)
    expect(calls[0].map((p) => [p.deviceUserId, p.source])).toEqual([['1', 'a'], ['2', 'b']])
  })
})
