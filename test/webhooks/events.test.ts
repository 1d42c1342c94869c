import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {runRecompute} from '../../src/attendance/run.js'
import {openStore, type Store} from '../../src/db/open.js'
import {markDeviceSeen, sweepPresence} from '../../src/store/sqlite/devices/presence-store.js'
import {deactivateDevice, updateDevice} from '../../src/devices/service.js'
import {createDevice, registerDevice} from '../../src/store/sqlite/devices.js'
import {importEmployees} from '../../src/employees/import.js'
import {addEmployee} from '../helpers/directory.js'
import {deactivateEmployee, updateEmployee} from '../../src/store/sqlite/directory/employees.js'
import {addMapping} from '../helpers/directory.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {addManualPunch, removeManualPunch} from '../../src/punches/service.js'
import type {CanonicalPunch} from '../../src/punches/types.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {setConfig} from '../helpers/directory.js'
import {parseTimestamp} from '../../src/time/parse.js'
import {addWebhook, updateWebhook} from '../../src/webhooks/service.js'
import {portOf, testStore} from '../helpers/store.js'

const NOW = Date.parse('2026-03-12T18:00:00Z')
const MIN = 60_000

let store: ReturnType<typeof testStore>
beforeEach(() => {
  store = testStore()
})
afterEach(() => store.cleanup())

interface Queued {
  id: string
  type: string
  created_at: string
  data: Record<string, unknown> & {previous_attributes?: Record<string, unknown> | null}
  webhooks: number[]
}

/** The outbox as a receiver would see it: each event once, with the endpoints it is queued for. */
function outbox(s: Store = store): Queued[] {
  const rows = s.sqlite
    .prepare('SELECT e.body, group_concat(d.webhook_id) AS webhooks FROM webhook_events e JOIN webhook_deliveries d ON d.event = e.id GROUP BY e.id ORDER BY e.id')
    .all() as {body: string; webhooks: string}[]
  return rows.map((row) => ({...(JSON.parse(row.body) as Omit<Queued, 'webhooks'>), webhooks: row.webhooks.split(',').map(Number)}))
}

const types = (s: Store = store) => outbox(s).map((e) => e.type)

async function subscribe(events: string): Promise<number> {
  return (await addWebhook(portOf(store), {url: 'https://payroll.example.com/hooks', events}, NOW)).webhook.id
}

function punch(user: string, time: string, extra: Partial<CanonicalPunch> = {}): CanonicalPunch {
  return {deviceUserId: user, time: parseTimestamp(time), timeText: time, deviceSerial: 'ZK1', ...extra}
}

describe('the outbox', () => {
  it('writes nothing when no endpoint subscribes', async () => {
    addEmployee(store, {code: 'EMP001', name: 'Amina'}, NOW)
    ingestPunches(store, [punch('EMP001', '2026-03-12T08:00:00Z')], {source: 'test', now: NOW})
    expect(store.sqlite.prepare('SELECT count(*) FROM webhook_events').pluck().get()).toBe(0)
  })

  it('queues attendance.created for each stored punch — the seed\'s fields plus code, serial and source — and none for a duplicate', async () => {
    await subscribe('attendance.created')
    const device = createDevice(store, {serial: 'ZK1', name: 'Gate', timezone: 'Africa/Nairobi'}, NOW).device
    addEmployee(store, {code: 'EMP001', name: 'Amina'}, NOW)
    const result = ingestPunches(store, [punch('EMP001', '2026-03-12 08:05:00', {direction: 'in'}), punch('EMP001', '2026-03-12 08:05:00')], {source: 'http:push-log', now: NOW})
    expect(result).toMatchObject({stored: 1, duplicates: 1})
    const [event] = outbox()
    expect(outbox()).toHaveLength(1)
    expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/)
    expect(event).toEqual({
      id: event.id,
      type: 'attendance.created',
      created_at: '2026-03-12T18:00:00Z',
      data: {
        id: `att_${(result.outcomes[0] as {punchId: number}).punchId}`,
        user_id: 'usr_1',
        device_id: `dev_${device.id}`,
        type: 'check_in',
        timestamp: '2026-03-12T05:05:00Z',
        created_at: '2026-03-12T18:00:00Z',
        employee_code: 'EMP001',
        device_serial: 'ZK1',
        device_user_id: 'EMP001',
        local_time: '2026-03-12T08:05:00+03:00',
        source: 'http:push-log',
      },
      webhooks: [1],
    })
  })

  it('queues an event for every endpoint subscribed to its type, and for no other', async () => {
    const payroll = await subscribe('attendance.created,user.created')
    await subscribe('user.updated')
    const erp = await subscribe('all')
    addEmployee(store, {code: 'EMP001', name: 'Amina'}, NOW)
    ingestPunches(store, [punch('9', '2026-03-12T08:00:00Z')], {source: 'test', now: NOW})
    expect(outbox().map((e) => [e.type, e.webhooks])).toEqual([
      ['user.created', [payroll, erp]],
      ['attendance.created', [payroll, erp]],
    ])
  })

  it('writes the event in the transaction of the change: none for a change that rolled back', async () => {
    await subscribe('attendance.created,user.created')
    expect(() =>
      store.transaction(() => {
        addEmployee(store, {code: 'EMP001', name: 'Amina'}, NOW)
        ingestPunches(store, [punch('EMP001', '2026-03-12T08:00:00Z')], {source: 'test', now: NOW})
        throw new Error('the request failed after storing')
      }),
    ).toThrow('the request failed')
    expect(outbox()).toEqual([])
  })

  it('on the server, one event per punch of a group; a request whose savepoint rolled back leaves none', async () => {
    await subscribe('attendance.created')
    const writes = new GroupCommit(store, {now: () => NOW})
    const job = (user: string, fail = false) =>
      writes.run((unit) => {
        ingestPunches(store, [punch(user, '2026-03-12T08:00:00Z')], {source: 'http:a', now: unit.now, changes: unit.changes})
        if (fail) throw new Error('bad request')
      })
    const results = await Promise.allSettled([job('1'), job('2', true), job('3')])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(outbox().map((e) => e.data.device_user_id)).toEqual(['1', '3'])
  })

  it('queues attendance.created for manual punches too, and nothing for punches stored with webhooks off (import --no-webhooks)', async () => {
    await subscribe('attendance.created,attendance_day.updated')
    addEmployee(store, {code: 'EMP001', name: 'Amina'}, NOW)
    ingestPunches(store, [punch('EMP001', '2026-03-10T08:00:00Z'), punch('EMP001', '2026-03-10T17:00:00Z')], {source: 'import:csv', now: NOW, webhooks: false})
    expect(outbox()).toEqual([])
    // The recompute still ran: the day exists.
    expect(store.sqlite.prepare(`SELECT status FROM attendance_days WHERE date = '2026-03-10'`).pluck().get()).toBe('present')
    await addManualPunch(portOf(store), {employeeCode: 'EMP001', at: '2026-03-11 08:00'}, NOW)
    expect(types()).toEqual(['attendance.created', 'attendance_day.updated'])
    expect(outbox()[0].data).toMatchObject({source: 'manual', device_serial: 'manual', user_id: 'usr_1'})
  })
})

describe('attendance_day.updated', () => {
  beforeEach(async () => {
    await subscribe('attendance_day.updated')
    addEmployee(store, {code: 'EMP001', name: 'Amina Hassan'}, NOW)
  })

  it('announces a new day, then what changed — and nothing when a recompute changes nothing', async () => {
    ingestPunches(store, [punch('EMP001', '2026-03-10T08:00:00Z')], {source: 'test', now: NOW})
    ingestPunches(store, [punch('EMP001', '2026-03-10T17:00:00Z')], {source: 'test', now: NOW})
    ingestPunches(store, [punch('EMP001', '2026-03-10T17:00:00Z')], {source: 'test', now: NOW})
    await runRecompute(portOf(store), {from: '2026-03-10', to: '2026-03-10'}, NOW)
    const events = outbox()
    expect(events).toHaveLength(2)
    expect(events[0].data).toEqual({
      user_id: 'usr_1', employee_code: 'EMP001', employee_name: 'Amina Hassan', date: '2026-03-10', status: 'present', shift: null,
      check_in: '2026-03-10T08:00:00Z', check_out: null, worked_minutes: 0, late: false, late_minutes: 0, early_departure: false,
      early_minutes: 0, overtime_minutes: 0, missed_punch: true, punch_count: 1, off_day_minutes: 0, half_off: null, manual: false,
      note: null, removed: false, previous_attributes: null,
    })
    expect(events[1].data).toMatchObject({check_out: '2026-03-10T17:00:00Z', worked_minutes: 540, missed_punch: false, punch_count: 2})
    expect(events[1].data.previous_attributes).toEqual({check_out: null, worked_minutes: 0, missed_punch: true, punch_count: 1})
  })

  it('announces the days a removed or reassigned punch changed', async () => {
    const added = await addManualPunch(portOf(store), {employeeCode: 'EMP001', at: '2026-03-10 09:00'}, NOW)
    await removeManualPunch(portOf(store), added.id, NOW)
    const removed = outbox().at(-1)!
    expect(removed.data).toMatchObject({date: '2026-03-10', status: 'absent', punch_count: 0, check_in: null, previous_attributes: {status: 'present', punch_count: 1}})

    // A device user's punch, unmapped until now, moves to EMP001 with the mapping.
    ingestPunches(store, [punch('77', '2026-03-09T08:00:00Z')], {source: 'test', now: NOW})
    const before = outbox().length
    addMapping(store, {deviceUserId: '77', employeeCode: 'EMP001'}, NOW)
    expect(outbox().slice(before).map((e) => [e.data.date, e.data.status])).toEqual([['2026-03-09', 'present']])
  })
})

describe('user events', () => {
  it('user.created and user.updated from the directory and its CSV import, with what changed', async () => {
    await subscribe('user.created,user.updated')
    addEmployee(store, {code: 'EMP001', name: 'Amina', department: 'IT'}, NOW)
    updateEmployee(store, 'EMP001', {department: 'HR', email: 'amina@example.com'}, NOW + MIN)
    // Setting what is already there: nothing a receiver could see changed.
    updateEmployee(store, 'EMP001', {department: 'HR'}, NOW + 2 * MIN)
    deactivateEmployee(store, 'EMP001', '2026-03-31', NOW + 3 * MIN)
    await importEmployees(portOf(store), 'code,name,department\nEMP001,Amina,HR\nEMP002,Baraka,Ops\n', NOW + 4 * MIN)
    const events = outbox()
    expect(events.map((e) => [e.type, e.data.employee_code])).toEqual([
      ['user.created', 'EMP001'],
      ['user.updated', 'EMP001'],
      ['user.updated', 'EMP001'],
      ['user.created', 'EMP002'],
    ])
    expect(events[0].data).toMatchObject({id: 'usr_1', name: 'Amina', department: 'IT', active: true, left_on: null})
    expect(events[1].data.previous_attributes).toEqual({department: 'IT', email: null})
    expect(events[2].data).toMatchObject({active: false, left_on: '2026-03-31', previous_attributes: {active: true, left_on: null}})
  })
})

describe('device.status_changed', () => {
  it('announces an admin activating or deactivating a device', async () => {
    await subscribe('device.status_changed')
    createDevice(store, {serial: 'ZK1', name: 'Gate'}, NOW)
    await updateDevice(portOf(store), 'ZK1', {name: 'Main gate'}, NOW)
    await deactivateDevice(portOf(store), 'ZK1', NOW + MIN)
    await updateDevice(portOf(store), 'ZK1', {status: 'active'}, NOW + 2 * MIN)
    expect(outbox().map((e) => [e.data.status, e.data.previous_attributes])).toEqual([
      ['inactive', {status: 'active'}],
      ['active', {status: 'inactive'}],
    ])
    expect(outbox()[0].data).toMatchObject({id: 'dev_1', serial_number: 'ZK1', name: 'Main gate', presence: null})
  })

  it('announces each presence transition once, whoever notices it: two connections, one event each', async () => {
    await subscribe('device.status_changed')
    const device = createDevice(store, {serial: 'ZK1', name: 'Gate'}, NOW).device
    const other = openStore(path.join(store.dir, 'attend.db'))
    try {
      markDeviceSeen(store, device.id, NOW)
      markDeviceSeen(other, device.id, NOW + 1000)
      markDeviceSeen(store, device.id, NOW + 4 * MIN)
      // Both processes check after the 5-minute window: one announces.
      expect(sweepPresence(store, NOW + 10 * MIN) + sweepPresence(other, NOW + 10 * MIN)).toBe(1)
      expect(sweepPresence(other, NOW + 20 * MIN)).toBe(0)
      markDeviceSeen(other, device.id, NOW + 30 * MIN)
      markDeviceSeen(store, device.id, NOW + 30 * MIN + 1000)
    } finally {
      other.close()
    }
    const events = outbox()
    expect(events.map((e) => [e.data.presence, e.data.previous_attributes, e.created_at])).toEqual([
      ['online', {presence: null}, '2026-03-12T18:00:00Z'],
      ['offline', {presence: 'online'}, '2026-03-12T18:09:00Z'],
      ['online', {presence: 'offline'}, '2026-03-12T18:30:00Z'],
    ])
    expect(store.sqlite.prepare('SELECT presence FROM devices').pluck().get()).toBe('online')
  })

  it('follows the configured offline delay, and announces a lapse nobody noticed when the device is seen again', async () => {
    await subscribe('device.status_changed')
    setConfig(store, 'device-offline-after', '15m', NOW)
    const device = createDevice(store, {serial: 'ZK1', name: 'Gate'}, NOW).device
    markDeviceSeen(store, device.id, NOW)
    expect(sweepPresence(store, NOW + 10 * MIN)).toBe(0)
    // No check ran while it was away: seen again an hour later, it went offline 15 minutes after it was last seen.
    markDeviceSeen(store, device.id, NOW + 60 * MIN)
    expect(outbox().map((e) => [e.data.presence, e.created_at])).toEqual([
      ['online', '2026-03-12T18:00:00Z'],
      ['offline', '2026-03-12T18:15:00Z'],
      ['online', '2026-03-12T19:00:00Z'],
    ])
  })

  it('announces a device that registers itself as online', async () => {
    await subscribe('device.status_changed')
    registerDevice(store, {serial: 'NEW1', name: 'New terminal'}, NOW)
    expect(outbox().map((e) => [e.data.serial_number, e.data.presence, e.data.previous_attributes])).toEqual([['NEW1', 'online', {presence: null}]])
  })

  it('queues nothing for a disabled endpoint', async () => {
    const id = await subscribe('device.status_changed')
    await updateWebhook(portOf(store), id, {enabled: false}, NOW)
    createDevice(store, {serial: 'ZK1', name: 'Gate'}, NOW)
    await deactivateDevice(portOf(store), 'ZK1', NOW)
    expect(outbox()).toEqual([])
  })
})
