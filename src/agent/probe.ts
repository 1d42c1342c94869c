import {parseAddress, parseCommKey, parsePort, parseProtocol} from '../devices/agent-settings.js'
import {requireDevice, type Device} from '../devices/service.js'
import {markDeviceSeen} from '../server/device-seen.js'
import type {AttendStore} from '../store/port.js'
import {UsageError} from '../errors.js'
import {describeDrift, deviceWallClock, readingOf, type ClockReading} from './device-clock.js'
import {DeviceLease} from './pull.js'
import {leaseFor, newLeaseOwner} from './lease.js'
import {withDeviceSession} from './session.js'
import {addressTarget, deviceTarget, targetAddress, type AgentTarget} from './target.js'
import type {ZkClient} from './zk/client.js'

export interface ProbeRequest {
  /** A registered device; its address, comm key and zone are used unless given. */
  serial?: string
  ip?: string
  port?: number | string
  protocol?: string
  commKey?: string
  timeoutMs?: number
}

export interface ProbeResult {
  address: string
  protocol: 'tcp' | 'udp'
  serial: string | null
  /** The device registered under the serial asked for (or reporting this serial), if any. */
  registered: {serial: string; name: string; mode: string} | null
  /** Whether the reported serial is the registered one; null when probing an unregistered address. */
  serialMatches: boolean | null
  deviceName: string | null
  platform: string | null
  firmware: string | null
  counts: {users: number; fingers: number; records: number; faces: number | null}
  capacity: {users: number; fingers: number; records: number; faces: number | null}
  clock: ClockReading
}

interface Resolved {
  target: AgentTarget
  device: Device | null
  zone: string
}

async function resolve(store: AttendStore, request: ProbeRequest): Promise<Resolved> {
  const device = request.serial === undefined ? null : await requireDevice(store, request.serial)
  const zone = device?.timezone ?? (await store.siteSettings.read()).timezone
  const ip = request.ip === undefined ? undefined : parseAddress(request.ip)
  if (!device && !ip) throw new UsageError('Name a registered device (attend devices probe SN) or give an address with --ip.', 'missing_target')
  if (device && !ip && !device.ip) {
    throw new UsageError(`Device ${device.serial} has no address: probe it with --ip, or store one with attend devices update ${device.serial} --ip … --mode agent.`, 'missing_ip')
  }
  const base = device && device.ip ? deviceTarget(device) : addressTarget({host: ip!})
  const target: AgentTarget = {
    ...base,
    // What the command line says wins over what is stored; the serial is compared, not enforced.
    serial: null,
    host: ip ?? base.host,
    port: request.port === undefined ? base.port : parsePort(request.port),
    protocol: request.protocol === undefined ? base.protocol : parseProtocol(request.protocol),
    commKey: request.commKey === undefined ? base.commKey : (parseCommKey(request.commKey) ?? 0),
  }
  target.label = targetAddress(target)
  return {target, device, zone}
}

/** Opens a session with the device the request names, holding its lease when it is registered. */
async function withProbe<T>(store: AttendStore, request: ProbeRequest, now: () => number, work: (client: ZkClient, resolved: Resolved, serial: string | null) => Promise<T>): Promise<T> {
  const resolved = await resolve(store, request)
  const lease = resolved.device ? new DeviceLease(store.agentPulls, resolved.device.id, newLeaseOwner(), now, leaseFor(request.timeoutMs)) : null
  await lease?.acquire()
  try {
    return await withDeviceSession(resolved.target, {
      timeoutMs: request.timeoutMs,
      onConnected: () => {
        const device = resolved.device
        const at = now()
        if (device) markDeviceSeen(store.devices, device, at)
      },
    }, (client, serial) => work(client, resolved, serial))
  } finally {
    await lease?.release()
  }
}

/**
 * `attend devices probe`: what the terminal says about itself (serial, model, firmware, counters,
 * capacity) and how far its clock is from ours. Changes nothing on the device.
 */
export async function probeDevice(store: AttendStore, request: ProbeRequest, now: () => number): Promise<ProbeResult> {
  return withProbe(store, request, now, async (client, {target, device, zone}, serial) => {
    const [deviceName, platform, firmware, sizes, time] = [
      await client.readOption('~DeviceName'),
      await client.readOption('~Platform'),
      await client.firmwareVersion(),
      await client.readSizes(),
      await client.getTime(),
    ]
    const registered = device ?? (serial ? ((await store.devices.bySerial(serial)) ?? null) : null)
    return {
      address: targetAddress(target),
      protocol: client.protocol,
      serial,
      registered: registered ? {serial: registered.serial, name: registered.name, mode: registered.mode} : null,
      serialMatches: device ? serial !== null && serial.toUpperCase() === device.serial.toUpperCase() : null,
      deviceName,
      platform,
      firmware,
      counts: {users: sizes.users, fingers: sizes.fingers, records: sizes.records, faces: sizes.faceCapacity ? sizes.faces : null},
      capacity: {users: sizes.userCapacity, fingers: sizes.fingerCapacity, records: sizes.recordCapacity, faces: sizes.faceCapacity || null},
      clock: readingOf(time, now(), zone),
    }
  })
}

export interface DeviceTimeResult {
  serial: string
  before: ClockReading
  /** After --sync: the clock as the device reads it once set. */
  after: ClockReading | null
}

/**
 * `attend devices time SN [--sync]`: the device clock and its drift; with sync, sets it to our
 * time as wall clock in the device's zone (its --timezone, else the site's), then reads it back.
 */
export async function deviceTime(store: AttendStore, request: {serial: string; sync: boolean; timeoutMs?: number}, now: () => number): Promise<DeviceTimeResult> {
  const device = await requireDevice(store, request.serial)
  if (!device.ip) throw new UsageError(`Device ${device.serial} has no address: set it with attend devices update ${device.serial} --ip … --mode agent.`, 'missing_ip')
  return withProbe(store, {serial: request.serial, timeoutMs: request.timeoutMs}, now, async (client, {zone}, serial) => {
    if (serial === null || serial.toUpperCase() !== device.serial.toUpperCase()) {
      throw new UsageError(`The device at ${device.ip} reports serial ${serial ?? 'none'}, not ${device.serial}: its clock was left alone.`, 'serial_mismatch')
    }
    const before = readingOf(await client.getTime(), now(), zone)
    if (!request.sync) return {serial: device.serial, before, after: null}
    await client.setTime(deviceWallClock(now(), zone))
    return {serial: device.serial, before, after: readingOf(await client.getTime(), now(), zone)}
  })
}

export {describeDrift}
