import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {
  commandText,
  listCommandsForDevice,
  queueCommandForDevice,
  queueDeviceCommand,
  requestFromChoices,
  type DeviceCommandRequest,
} from '../../src/devices/commands.js'
import {createDevice, deactivateDevice, findDeviceBySerial} from '../../src/devices/service.js'
import {AttendError, NotFoundError, UsageError} from '../../src/errors.js'
import {recordCommandResults, takeQueuedCommands} from '../../src/server/zkteco/commands.js'
import {testStore} from '../helpers/store.js'

const now = Date.UTC(2026, 2, 12, 9)

function errorOf(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

describe('commandText', () => {
  it.each<[DeviceCommandRequest, string]>([
    [{kind: 'attlog', from: '2026-03-01', to: '2026-03-12'}, 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59'],
    [{kind: 'attlog', from: '2026-03-01'}, 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-01 23:59:59'],
    [{kind: 'attlog', from: '2024-02-29', to: '2024-02-29'}, 'DATA QUERY ATTLOG StartTime=2024-02-29 00:00:00\tEndTime=2024-02-29 23:59:59'],
    [{kind: 'users'}, 'DATA QUERY USERINFO'],
    [{kind: 'info'}, 'INFO'],
    [{kind: 'reboot'}, 'REBOOT'],
    [{kind: 'check'}, 'CHECK'],
    [{kind: 'raw', command: '  DATA QUERY USERINFO PIN=1  '}, 'DATA QUERY USERINFO PIN=1'],
    [{kind: 'raw', command: 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-01 23:59:59'}, 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-01 23:59:59'],
  ])('%j → %j', (request, text) => {
    expect(commandText(request)).toBe(text)
  })

  it('separates StartTime and EndTime with one TAB, as every iclock record does', () => {
    const text = commandText({kind: 'attlog', from: '2026-03-01', to: '2026-03-12'})
    expect(text.split('\t')).toEqual(['DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00', 'EndTime=2026-03-12 23:59:59'])
  })

  it.each([
    [{kind: 'attlog', from: '2026-02-30'}, 'Invalid --attlog-from "2026-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2026 has 28 days).'],
    [{kind: 'attlog', from: '2025-02-29'}, 'Invalid --attlog-from "2025-02-29": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2025 has 28 days).'],
    [{kind: 'attlog', from: '1/3/2026'}, 'Invalid --attlog-from "1/3/2026": expected a real date written YYYY-MM-DD, such as 2026-03-02.'],
    [{kind: 'attlog', from: '2026-03-01', to: '2026-13-01'}, 'Invalid --attlog-to "2026-13-01": expected a real date written YYYY-MM-DD, such as 2026-03-02 (there is no month 13).'],
    [{kind: 'attlog', from: '2026-03-05', to: '2026-03-01'}, 'Invalid --attlog-to "2026-03-01": it is before --attlog-from 2026-03-05.'],
    [{kind: 'raw', command: '   '}, 'The --raw command cannot be empty.'],
    [{kind: 'raw', command: 'INFO\nREBOOT'}, 'The --raw command must be one line: it contains a line break.'],
    [{kind: 'raw', command: 'INFO\rREBOOT'}, 'The --raw command must be one line: it contains a line break.'],
  ] as [DeviceCommandRequest, string][])('refuses %j with a usage error', (request, message) => {
    const error = errorOf(() => commandText(request))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe(message)
  })
})

describe('requestFromChoices', () => {
  it('maps each flag to its request; --attlog-to defaults to --attlog-from later, in commandText', () => {
    expect(requestFromChoices({attlogFrom: '2026-03-01', attlogTo: '2026-03-02'})).toEqual({kind: 'attlog', from: '2026-03-01', to: '2026-03-02'})
    expect(requestFromChoices({attlogFrom: '2026-03-01'})).toEqual({kind: 'attlog', from: '2026-03-01', to: undefined})
    expect(requestFromChoices({users: true})).toEqual({kind: 'users'})
    expect(requestFromChoices({info: true, users: false})).toEqual({kind: 'info'})
    expect(requestFromChoices({reboot: true})).toEqual({kind: 'reboot'})
    expect(requestFromChoices({check: true})).toEqual({kind: 'check'})
    expect(requestFromChoices({raw: 'INFO'})).toEqual({kind: 'raw', command: 'INFO'})
  })

  it('refuses none, several, or --attlog-to alone, naming the choices', () => {
    const none = errorOf(() => requestFromChoices({users: false}))
    expect(none).toBeInstanceOf(UsageError)
    expect(none.message).toBe('Nothing to queue: pass exactly one of --attlog-from, --users, --info, --reboot, --check, --raw.')
    const two = errorOf(() => requestFromChoices({users: true, raw: 'INFO'}))
    expect(two).toBeInstanceOf(UsageError)
    expect(two.message).toBe('Queue one command at a time: --users and --raw were given together; pass exactly one of --attlog-from, --users, --info, --reboot, --check, --raw.')
    const toAlone = errorOf(() => requestFromChoices({attlogTo: '2026-03-01'}))
    expect(toAlone).toBeInstanceOf(UsageError)
    expect(toAlone.message).toBe('--attlog-to needs --attlog-from: pass the first date of the range too.')
  })
})

describe('queueCommandForDevice and listCommandsForDevice', () => {
  let store: ReturnType<typeof testStore>
  beforeEach(() => {
    store = testStore({timezone: 'Asia/Kolkata'})
    createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, now)
    createDevice(store, {serial: 'NAIROBI01', name: 'Depot', timezone: 'Africa/Nairobi'}, now)
  })
  afterEach(() => store.cleanup())

  it('queues the built command for the device and lists it as a view with ISO instants', () => {
    const queued = queueCommandForDevice(() => store, 'CDQ9192960002', {kind: 'attlog', from: '2026-03-01', to: '2026-03-12'}, now)
    expect(queued).toEqual({
      device: {serial: 'CDQ9192960002', name: 'Main gate', zone: 'Asia/Kolkata', zoneIsSite: true},
      command: {
        id: queued.command.id,
        command: 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59',
        status: 'queued',
        queuedAt: '2026-03-12T09:00:00.000Z',
        sentAt: null,
        doneAt: null,
        returnCode: null,
        result: null,
      },
    })
    expect(listCommandsForDevice(() => store, 'CDQ9192960002')).toEqual({device: queued.device, commands: [queued.command]})
    // Another device's list does not show it, and uses that device's own zone.
    expect(listCommandsForDevice(() => store, 'NAIROBI01')).toEqual({
      device: {serial: 'NAIROBI01', name: 'Depot', zone: 'Africa/Nairobi', zoneIsSite: false},
      commands: [],
    })
  })

  it('filters by status and follows a command through sent and done', () => {
    const info = queueCommandForDevice(() => store, 'CDQ9192960002', {kind: 'info'}, now).command
    const device = findDeviceBySerial(store, 'CDQ9192960002')!
    takeQueuedCommands(store, device.id, now + 10_000)
    const reboot = queueCommandForDevice(() => store, 'CDQ9192960002', {kind: 'reboot'}, now + 20_000).command
    recordCommandResults(store, device.id, [{id: info.id, returnCode: '0', cmd: 'INFO'}], now + 30_000)

    const statusOf = (status?: string) => listCommandsForDevice(() => store, 'CDQ9192960002', {status}).commands.map((c) => [c.id, c.status])
    expect(statusOf()).toEqual([
      [info.id, 'done'],
      [reboot.id, 'queued'],
    ])
    expect(statusOf('queued')).toEqual([[reboot.id, 'queued']])
    expect(statusOf('sent')).toEqual([])
    expect(listCommandsForDevice(() => store, 'CDQ9192960002', {status: 'done'}).commands).toEqual([
      {
        id: info.id,
        command: 'INFO',
        status: 'done',
        queuedAt: '2026-03-12T09:00:00.000Z',
        sentAt: '2026-03-12T09:00:10.000Z',
        doneAt: '2026-03-12T09:00:30.000Z',
        returnCode: '0',
        result: null,
      },
    ])
    const bad = errorOf(() => listCommandsForDevice(() => store, 'CDQ9192960002', {status: 'finished'}))
    expect(bad).toBeInstanceOf(UsageError)
    expect(bad.message).toBe('Invalid --status "finished": expected queued, sent, done, failed.')
  })

  it('refuses an unknown serial, naming it and pointing at attend devices list', () => {
    const error = errorOf(() => queueCommandForDevice(() => store, 'ZK0099', {kind: 'info'}, now))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toBe('Unknown device serial "ZK0099": register it with attend devices add, or see attend devices list.')
    expect(errorOf(() => listCommandsForDevice(() => store, 'ZK0099'))).toBeInstanceOf(NotFoundError)
  })

  it('refuses an inactive device and queues nothing', () => {
    deactivateDevice(() => store, 'CDQ9192960002', now)
    const error = errorOf(() => queueCommandForDevice(() => store, 'CDQ9192960002', {kind: 'reboot'}, now))
    expect(error).toBeInstanceOf(AttendError)
    expect(error).toMatchObject({exit: 1, code: 'device_inactive'})
    expect(error.message).toBe(
      'Device CDQ9192960002 (Main gate) is inactive and attend serve refuses its polls: reactivate it with attend devices update CDQ9192960002 --status active first.',
    )
    expect(listCommandsForDevice(() => store, 'CDQ9192960002').commands).toEqual([])
  })

  it('checks the request before opening the store', () => {
    let opened = false
    const open = () => {
      opened = true
      return store
    }
    expect(errorOf(() => queueCommandForDevice(open, 'CDQ9192960002', {kind: 'attlog', from: '2026-03-32'}, now))).toBeInstanceOf(UsageError)
    expect(errorOf(() => listCommandsForDevice(open, 'CDQ9192960002', {status: 'nope'}))).toBeInstanceOf(UsageError)
    expect(opened).toBe(false)
  })

  it('queueDeviceCommand keeps the one-line rule for commands queued by code', () => {
    const device = findDeviceBySerial(store, 'CDQ9192960002')!
    expect(errorOf(() => queueDeviceCommand(store, device.id, '  ', now)).message).toBe('The device command cannot be empty.')
    expect(errorOf(() => queueDeviceCommand(store, device.id, 'INFO\nREBOOT', now)).message).toBe('The device command must be one line: it contains a line break.')
    expect(queueDeviceCommand(store, device.id, ' INFO ', now)).toMatchObject({command: 'INFO', status: 'queued', createdAt: now})
  })
})
