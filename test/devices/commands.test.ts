import {beforeEach, describe, expect, it} from 'vitest'

import {commandText, listCommandsForDevice, queueCommandForDevice, requestFromChoices, type DeviceCommandRequest} from '../../src/devices/commands.js'
import {addDevice, deactivateDevice} from '../../src/devices/service.js'
import {AttendError, NotFoundError, UsageError} from '../../src/errors.js'
import {lazyAttendStore} from '../../src/store/lazy.js'
import {describeEngines} from '../helpers/engines.js'

const now = Date.UTC(2026, 2, 12, 9)

function errorOf(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
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

describeEngines(
  'queueCommandForDevice and listCommandsForDevice',
  (store) => {
    const port = () => store().port
    beforeEach(async () => {
      await addDevice(port(), {serial: 'CDQ9192960002', name: 'Main gate'}, now)
      await addDevice(port(), {serial: 'NAIROBI01', name: 'Depot', timezone: 'Africa/Nairobi'}, now)
    })
    const deviceId = async (serial: string) => (await port().devices.bySerial(serial))!.id

    it('queues the built command for the device and lists it as a view with ISO instants', async () => {
      const queued = await queueCommandForDevice(port(), 'CDQ9192960002', {kind: 'attlog', from: '2026-03-01', to: '2026-03-12'}, now)
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
      expect(await listCommandsForDevice(port(), 'CDQ9192960002')).toEqual({device: queued.device, commands: [queued.command]})
      // Another device's list does not show it, and uses that device's own zone.
      expect(await listCommandsForDevice(port(), 'NAIROBI01')).toEqual({
        device: {serial: 'NAIROBI01', name: 'Depot', zone: 'Africa/Nairobi', zoneIsSite: false},
        commands: [],
      })
    })

    it('filters by status and follows a command through sent and done', async () => {
      const info = (await queueCommandForDevice(port(), 'CDQ9192960002', {kind: 'info'}, now)).command
      const id = await deviceId('CDQ9192960002')
      expect((await port().devices.takeCommands(id, now + 10_000, 10)).map((c) => [c.id, c.status, c.sentAt])).toEqual([[info.id, 'sent', now + 10_000]])
      expect(await port().devices.takeCommands(id, now + 11_000, 10)).toEqual([])
      const reboot = (await queueCommandForDevice(port(), 'CDQ9192960002', {kind: 'reboot'}, now + 20_000)).command
      // Another device cannot close this device's command; an unknown id matches nothing.
      expect(await port().devices.recordResults(await deviceId('NAIROBI01'), [{id: info.id, returnCode: '-1', cmd: 'INFO'}], now + 25_000)).toEqual({updated: 0})
      expect(await port().devices.recordResults(id, [{id: info.id, returnCode: '0', cmd: 'INFO'}, {id: 999_999, returnCode: '0', cmd: null}], now + 30_000)).toEqual({updated: 1})

      const statusOf = async (status?: string) => (await listCommandsForDevice(port(), 'CDQ9192960002', {status})).commands.map((c) => [c.id, c.status])
      expect(await statusOf()).toEqual([
        [info.id, 'done'],
        [reboot.id, 'queued'],
      ])
      expect(await statusOf('queued')).toEqual([[reboot.id, 'queued']])
      expect(await statusOf('sent')).toEqual([])
      expect((await listCommandsForDevice(port(), 'CDQ9192960002', {status: 'done'})).commands).toEqual([
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
      const bad = await rejectionOf(listCommandsForDevice(port(), 'CDQ9192960002', {status: 'finished'}))
      expect(bad).toBeInstanceOf(UsageError)
      expect(bad.message).toBe('Invalid --status "finished": expected queued, sent, done, failed.')
    })

    it('hands out at most the limit, oldest first; a negative return code is a failure, with its content kept', async () => {
      const id = await deviceId('CDQ9192960002')
      const queued = []
      for (let i = 0; i < 3; i++) queued.push((await queueCommandForDevice(port(), 'CDQ9192960002', {kind: 'raw', command: `INFO ${i}`}, now + i)).command)
      expect((await port().devices.takeCommands(id, now + 10, 2)).map((c) => c.id)).toEqual([queued[0].id, queued[1].id])
      expect((await port().devices.takeCommands(id, now + 20, 2)).map((c) => c.id)).toEqual([queued[2].id])
      await port().devices.recordResults(id, [{id: queued[0].id, returnCode: '-1002', cmd: 'Shell', content: 'not supported'}], now + 30)
      expect((await listCommandsForDevice(port(), 'CDQ9192960002', {status: 'failed'})).commands).toMatchObject([{id: queued[0].id, returnCode: '-1002', result: 'not supported'}])
    })

    it('refuses an unknown serial, naming it and pointing at attend devices list', async () => {
      const error = await rejectionOf(queueCommandForDevice(port(), 'ZK0099', {kind: 'info'}, now))
      expect(error).toBeInstanceOf(NotFoundError)
      expect(error.message).toBe('Unknown device serial "ZK0099": register it with attend devices add, or see attend devices list.')
      expect(await rejectionOf(listCommandsForDevice(port(), 'ZK0099'))).toBeInstanceOf(NotFoundError)
    })

    it('refuses an inactive device and queues nothing', async () => {
      await deactivateDevice(port(), 'CDQ9192960002', now)
      const error = await rejectionOf(queueCommandForDevice(port(), 'CDQ9192960002', {kind: 'reboot'}, now))
      expect(error).toBeInstanceOf(AttendError)
      expect(error).toMatchObject({exit: 1, code: 'device_inactive'})
      expect(error.message).toBe(
        'Device CDQ9192960002 (Main gate) is inactive and attend serve refuses its polls: reactivate it with attend devices update CDQ9192960002 --status active first.',
      )
      expect((await listCommandsForDevice(port(), 'CDQ9192960002')).commands).toEqual([])
    })

    it('checks the request before opening the store', async () => {
      let opened = false
      const lazy = lazyAttendStore(store().engine, async () => {
        opened = true
        return port()
      })
      expect(await rejectionOf(queueCommandForDevice(lazy, 'CDQ9192960002', {kind: 'attlog', from: '2026-03-32'}, now))).toBeInstanceOf(UsageError)
      expect(await rejectionOf(listCommandsForDevice(lazy, 'CDQ9192960002', {status: 'nope'}))).toBeInstanceOf(UsageError)
      expect(opened).toBe(false)
    })

    it('keeps the one-line rule for commands queued by code', async () => {
      expect((await rejectionOf(port().devices.queueCommand('CDQ9192960002', '  ', now))).message).toBe('The device command cannot be empty.')
      expect((await rejectionOf(port().devices.queueCommand('CDQ9192960002', 'INFO\nREBOOT', now))).message).toBe('The device command must be one line: it contains a line break.')
      expect((await port().devices.queueCommand('CDQ9192960002', ' INFO ', now)).command).toMatchObject({command: 'INFO', status: 'queued', createdAt: now})
    })
  },
  {timezone: 'Asia/Kolkata'},
)
