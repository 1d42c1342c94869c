import type {Device} from '../devices/service.js'
import {AttendError} from '../errors.js'
import type {ZkConnectOptions, ZkProtocolChoice} from './zk/client.js'
import {DEFAULT_PORT} from './zk/constants.js'
import {formatAddress} from './zk/transport.js'

/** A terminal attend talks to over the binary protocol, and how. */
export interface AgentTarget {
  /** The registered serial, checked against the one the device reports; null for an unregistered probe. */
  serial: string | null
  /** `SN (Name)` or the address, for messages. */
  label: string
  host: string
  port: number
  protocol: ZkProtocolChoice
  commKey: number
}

export function deviceTarget(device: Device): AgentTarget {
  const label = `${device.serial} (${device.name})`
  if (!device.ip) {
    throw new AttendError(`no address is set: attend devices update ${device.serial} --ip 192.168.1.201 (the device's IP on the LAN)`, {code: 'missing_ip'})
  }
  return {
    serial: device.serial,
    label,
    host: device.ip,
    port: device.port ?? DEFAULT_PORT,
    protocol: device.protocol ?? 'auto',
    commKey: device.commKey ?? 0,
  }
}

export function addressTarget(input: {host: string; port?: number; protocol?: ZkProtocolChoice; commKey?: number | null}): AgentTarget {
  const port = input.port ?? DEFAULT_PORT
  return {serial: null, label: formatAddress(input.host, port), host: input.host, port, protocol: input.protocol ?? 'auto', commKey: input.commKey ?? 0}
}

export function connectOptions(target: AgentTarget, timeoutMs?: number): ZkConnectOptions {
  return {host: target.host, port: target.port, protocol: target.protocol, commKey: target.commKey, timeoutMs}
}

export function targetAddress(target: AgentTarget): string {
  return formatAddress(target.host, target.port)
}
