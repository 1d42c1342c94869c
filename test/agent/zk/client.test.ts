import {afterEach, describe, expect, it} from 'vitest'

import {ZkClient, type ZkConnectOptions} from '../../../src/agent/zk/client.js'
import {ZkError} from '../../../src/agent/zk/errors.js'
import {decodeRealtimeAttendance} from '../../../src/agent/zk/realtime.js'
import {wallClockText} from '../../../src/agent/zk/time.js'
import type {EmulatorOptions, ZkEmulator} from '../emulator/zk-emulator.js'
import {numericStaff, punches, staff} from '../fixtures.js'
import {until, useEmulators} from '../helpers.js'

const emulator = useEmulators()
const clients: ZkClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})
const device = (options: Partial<EmulatorOptions> = {}): Promise<ZkEmulator> => emulator(options)

async function connect(emulator: ZkEmulator, options: Partial<ZkConnectOptions> = {}): Promise<ZkClient> {
  const client = await ZkClient.connect({host: emulator.host, port: emulator.port, timeoutMs: 1000, ...options})
  clients.push(client)
  return client
}

async function failure(promise: Promise<unknown>): Promise<ZkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ZkError)) throw new Error(`expected a ZkError, got ${String(error)}`)
  return error
}

const userIdsAndTimes = (records: {userId: string; time: Parameters<typeof wallClockText>[0]}[]) => records.map((r) => `${r.userId} ${wallClockText(r.time)}`)

describe.each(['tcp', 'udp'] as const)('over %s', (protocol) => {
  it('reads the device: serial, firmware, platform, counters, clock', async () => {
    const emulator = await device({clock: '2026-03-12 08:05:00', records: punches(3)})
    const client = await connect(emulator, {protocol})
    expect(client.protocol).toBe(protocol)
    expect(await client.serialNumber()).toBe('CDQ9192960002')
    expect(await client.firmwareVersion()).toBe('Ver 6.60 Apr 28 2017')
    expect(await client.readOption('~Platform')).toBe('ZMM220_TFT')
    expect(await client.readOption('~NoSuchOption')).toBeNull()
    expect(await client.readSizes()).toMatchObject({users: 4, records: 3, userCapacity: 3000, recordCapacity: 100_000})
    expect(wallClockText(await client.getTime())).toMatch(/^2026-03-12 08:05:0\d$/)
    await client.disconnect()
    expect(emulator.log.at(-1)).toEqual({command: 'CMD_EXIT', protocol})
  })

  it('reads a log that needs many chunks, one chunk at a time', async () => {
    const records = punches(5000)
    const emulator = await device({records})
    const client = await connect(emulator, {protocol})
    const progress: number[] = []
    const {users} = await client.readUsers(4)
    const log = await client.whileDisabled(() => client.readAttendance(5000, users, (p) => progress.push(p.bytes)))
    expect(log.layout).toBe(40)
    expect(userIdsAndTimes(log.records)).toEqual(records.map((r) => `${r.userId} ${r.time}`))
    const chunks = emulator.log.filter((e) => e.command === 'CMD_READ_BUFFER').length
    // 200 004 bytes: 4 chunks of ≤ 0xFFC0 over TCP, 13 of ≤ 16 KiB over UDP.
    expect(chunks).toBe(protocol === 'tcp' ? 4 : 13)
    expect(progress.at(-1)).toBe(200_004)
    expect(emulator.log.map((e) => e.command)).toContain('CMD_FREE_DATA')
    expect(emulator.enabled).toBe(true)
    expect(emulator.readsWhileEnabled).toBe(1) // the user table, read before disabling
  })

  it('reads a small table answered at once with DATA', async () => {
    const emulator = await device({records: punches(5)})
    const client = await connect(emulator, {protocol})
    const log = await client.readAttendance(5, [])
    expect(log.records).toHaveLength(5)
    expect(emulator.log.map((e) => e.command)).not.toContain('CMD_READ_BUFFER')
  })

  it('re-enables the device when a chunk fails', async () => {
    const emulator = await device({records: punches(5000), failChunk: 1})
    const client = await connect(emulator, {protocol})
    const error = await failure(client.whileDisabled(() => client.readAttendance(5000, [])))
    expect(error.failure).toBe('refused')
    expect(error.message).toBe(`chunk 2 of ${protocol === 'tcp' ? 4 : 13} (from byte ${protocol === 'tcp' ? 65472 : 16384} of 200004): the device answered CMD_READ_BUFFER (1504) with CMD_ACK_ERROR (2001)`)
    expect(emulator.enabled).toBe(true)
    expect(emulator.log.slice(-2).map((e) => e.command)).toEqual(['CMD_FREE_DATA', 'CMD_ENABLEDEVICE'])
  })

  it('names the chunk when the device stops answering mid-transfer', async () => {
    const emulator = await device({records: punches(5000), silentAfterChunks: 2})
    const client = await connect(emulator, {protocol, timeoutMs: 300, retries: 1})
    const error = await failure(client.whileDisabled(() => client.readAttendance(5000, [])))
    expect(error.failure).toBe('silent')
    const tries = protocol === 'udp' ? ' after 2 tries' : ''
    expect(error.message).toBe(
      `the device stopped answering during the transfer: chunk 3 of ${protocol === 'tcp' ? 4 : 13} (from byte ${protocol === 'tcp' ? 130944 : 32768} of 200004): ` +
        `no answer to CMD_READ_BUFFER (1504) from 127.0.0.1:${emulator.port} within 0.3 s${tries}`,
    )
    // ENABLEDEVICE went out in the finally, though this device no longer answers anything.
    expect(emulator.log.at(-1)?.command).toBe('CMD_ENABLEDEVICE')
  })

  it('authenticates with the comm key', async () => {
    const emulator = await device({commKey: 123456})
    const client = await connect(emulator, {protocol, commKey: 123456})
    expect(await client.serialNumber()).toBe('CDQ9192960002')
    expect(emulator.log.slice(0, 2).map((e) => e.command)).toEqual(['CMD_CONNECT', 'CMD_AUTH'])
  })

  it.each([
    [654321, 'the device refused the comm key'],
    [0, 'the device requires a comm key and none is set'],
  ])('refuses comm key %i clearly', async (key, message) => {
    const emulator = await device({commKey: 123456})
    const error = await failure(connect(emulator, {protocol, commKey: key}))
    expect(error).toMatchObject({failure: 'unauthorized', message})
  })

  it('reads and sets the clock', async () => {
    const emulator = await device({clock: '2026-03-12 07:59:00'})
    const client = await connect(emulator, {protocol})
    await client.setTime({year: 2026, month: 3, day: 12, hour: 8, minute: 5, second: 0})
    expect(emulator.clock).toMatch(/^2026-03-12 08:05:0\d$/)
    expect(emulator.log.slice(-2).map((e) => e.command)).toEqual(['CMD_SET_TIME', 'CMD_REFRESHDATA'])
  })

  it('clears the attendance log', async () => {
    const emulator = await device({records: punches(3)})
    const client = await connect(emulator, {protocol})
    await client.clearAttendance()
    expect(emulator.records).toEqual([])
  })

  it('receives realtime attendance events and acknowledges each', async () => {
    const emulator = await device()
    const client = await connect(emulator, {protocol})
    const events: string[] = []
    client.onEvent = (packet) => {
      for (const record of decodeRealtimeAttendance(packet.data)) if (record.ok) events.push(`${record.punch.userId} ${wallClockText(record.punch.time)} ${record.punch.state}`)
    }
    await client.registerEvents()
    emulator.punch({userId: '20260000123456', time: '2026-03-12 08:05:09', state: 0})
    emulator.punch({userId: '1002', time: '2026-03-12 08:06:00', state: 1})
    await until(() => events.length === 2)
    expect(events).toEqual(['20260000123456 2026-03-12 08:05:09 0', '1002 2026-03-12 08:06:00 1'])
    await until(() => emulator.acks === 2)
  })
})

describe('record layouts end to end', () => {
  // 28-byte users and 16-byte records store user ids as numbers: those devices have numeric ids only.
  it.each([
    [8, 72, staff],
    [16, 28, numericStaff],
    [40, 72, staff],
    [49, 72, staff],
    [8, 28, numericStaff],
  ] as const)('%i-byte records with %i-byte users', async (recordLayout, userLayout, users) => {
    const records = punches(3000, users)
    const emulator = await device({users, records, recordLayout, userLayout})
    const client = await connect(emulator, {protocol: 'tcp'})
    const {users: readUsers} = await client.readUsers(users.length)
    expect(readUsers.map((u) => [u.uid, u.userId])).toEqual(users.map((u) => [u.uid, u.userId]))
    const log = await client.readAttendance(records.length, readUsers)
    expect(log.layout).toBe(recordLayout)
    expect(userIdsAndTimes(log.records)).toEqual(records.map((r) => `${r.userId} ${r.time}`))
  })
})

describe('transport faults', () => {
  it('reassembles TCP answers that arrive in small segments', async () => {
    const records = punches(4000)
    const emulator = await device({records, tcpSegment: 997})
    const client = await connect(emulator, {protocol: 'tcp'})
    const log = await client.readAttendance(4000, [])
    expect(log.records).toHaveLength(4000)
  })

  it('asks again for a UDP chunk that lost a datagram', async () => {
    const records = punches(2000)
    const emulator = await device({records, dropDatagram: ({command, datagram, attempt}) => command === 1501 && datagram === 5 && attempt === 0})
    const client = await connect(emulator, {protocol: 'udp', timeoutMs: 300})
    const log = await client.readAttendance(2000, [])
    expect(userIdsAndTimes(log.records)).toEqual(records.map((r) => `${r.userId} ${r.time}`))
    const reads = emulator.log.filter((e) => e.command === 'CMD_READ_BUFFER').length
    expect(reads).toBe(5 + 5) // 80 004 bytes = 5 chunks, each asked again once
  })

  it('drops a damaged UDP datagram and asks again', async () => {
    const emulator = await device({records: punches(2000), corruptDatagram: ({command, attempt}) => command === 1500 && attempt === 0})
    const client = await connect(emulator, {protocol: 'udp', timeoutMs: 200})
    expect((await client.readAttendance(2000, [])).records).toHaveLength(2000)
  })

  it('gives up on UDP after its retransmits', async () => {
    const emulator = await device({udp: true, tcp: false})
    emulator.goSilent()
    const error = await failure(connect(emulator, {protocol: 'udp', timeoutMs: 100, retries: 2}))
    expect(error.message).toBe(`no answer to CMD_CONNECT (1000) from 127.0.0.1:${emulator.port} within 0.1 s after 3 tries`)
    expect(emulator.log.map((e) => e.command)).toEqual(['CMD_CONNECT', 'CMD_CONNECT', 'CMD_CONNECT'])
  })

  it('falls back to UDP when TCP is refused (protocol auto)', async () => {
    const emulator = await device({tcp: false})
    const client = await connect(emulator)
    expect(client.protocol).toBe('udp')
    expect(await client.serialNumber()).toBe('CDQ9192960002')
  })

  it('falls back to UDP when TCP accepts but never answers', async () => {
    const emulator = await device({silentTcp: true})
    const client = await connect(emulator, {timeoutMs: 200})
    expect(client.protocol).toBe('udp')
  })

  it('does not try UDP when the device refuses the comm key over TCP', async () => {
    const emulator = await device({commKey: 5})
    const error = await failure(connect(emulator, {commKey: 6}))
    expect(error.failure).toBe('unauthorized')
    expect(emulator.log.every((e) => e.protocol === 'tcp')).toBe(true)
  })

  it('says plainly when nothing answers over TCP or UDP', async () => {
    const emulator = await device({tcp: false})
    emulator.goSilent()
    const error = await failure(connect(emulator, {timeoutMs: 100, retries: 0}))
    expect(error.failure).toBe('unreachable')
    expect(error.message).toBe(
      `no answer on 127.0.0.1:${emulator.port} over TCP (no TCP connection to 127.0.0.1:${emulator.port}: connection refused (nothing listens on that port)) ` +
        `or UDP (no answer to CMD_CONNECT (1000) from 127.0.0.1:${emulator.port} within 0.1 s)`,
    )
  })

  it('fails the request in flight when the device drops the connection', async () => {
    const emulator = await device({records: punches(5000), beforeChunkDone: () => emulator.restart()})
    const client = await connect(emulator, {protocol: 'tcp'})
    let closed: ZkError | undefined
    client.onClose = (error) => (closed = error)
    const error = await failure(client.readAttendance(5000, []))
    expect(error.failure).toBe('silent')
    expect(error.message).toMatch(/^the device stopped answering during the transfer: chunk 1 of 4 \(from byte 0 of 200004\): 127\.0\.0\.1:\d+ closed the connection$/)
    expect(closed?.message).toMatch(/closed the connection$/)
  })
})
