import net from 'node:net'

import {protocolChoices, type ZkProtocolChoice} from '../agent/zk/client.js'
import {MAX_COMM_KEY} from '../agent/zk/commkey.js'
import {DEFAULT_PORT} from '../agent/zk/constants.js'
import {UsageError} from '../errors.js'

/** How `attend pull` reaches an agent-mode device, as typed on the command line. */
export interface AgentSettingsInput {
  ip?: string | null
  port?: number | string | null
  protocol?: string | null
  /** A number from 0 to 999999, or `none` to clear. */
  commKey?: number | string | null
}

export interface AgentSettings {
  ip: string | null
  port: number | null
  protocol: ZkProtocolChoice | null
  commKey: number | null
}

// A host name as DNS allows it (sites with local DNS name their terminals).
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

export function parseAddress(value: string): string | null {
  const text = value.trim()
  if (text === '' || text.toLowerCase() === 'none') return null
  const bare = text.replace(/^\[(.*)\]$/, '$1')
  if (net.isIP(bare) || (HOST_NAME.test(text) && !/^[\d.]+$/.test(text))) return bare
  throw new UsageError(`Invalid --ip "${value}": expected the device's address on the LAN, such as 192.168.1.201.`, 'invalid_ip')
}

export function parsePort(value: number | string): number {
  const port = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`Invalid --port "${value}": expected a TCP/UDP port from 1 to 65535 (ZKTeco terminals use ${DEFAULT_PORT}).`, 'invalid_port')
  }
  return port
}

export function parseProtocol(value: string): ZkProtocolChoice {
  const protocol = value.trim().toLowerCase()
  if (!(protocolChoices as readonly string[]).includes(protocol)) {
    throw new UsageError(`Invalid --protocol "${value}": expected ${protocolChoices.join(', ')}.`, 'invalid_protocol')
  }
  return protocol as ZkProtocolChoice
}

/** Never echoes the value: it is a secret. */
export function parseCommKey(value: number | string): number | null {
  const text = String(value).trim()
  if (text.toLowerCase() === 'none' || text === '') return null
  const key = Number(text)
  if (!/^\d+$/.test(text) || key > MAX_COMM_KEY) {
    throw new UsageError(`Invalid --comm-key: expected the number set on the device's Comm menu, from 0 to ${MAX_COMM_KEY} (or none).`, 'invalid_comm_key')
  }
  return key === 0 ? null : key
}

/** The fields given, parsed; absent ones stay absent (undefined), so a patch changes only those. */
export function parseAgentSettings(input: AgentSettingsInput): Partial<AgentSettings> {
  const out: Partial<AgentSettings> = {}
  if (input.ip !== undefined) out.ip = input.ip === null ? null : parseAddress(input.ip)
  if (input.port !== undefined) out.port = input.port === null ? null : parsePort(input.port)
  if (input.protocol !== undefined) out.protocol = input.protocol === null ? null : parseProtocol(input.protocol)
  if (input.commKey !== undefined) out.commKey = input.commKey === null ? null : parseCommKey(input.commKey)
  return out
}

/**
 * The rules between mode and connection settings, for the command line: the settings belong to
 * agent-mode devices, and an agent-mode device needs an address (the port defaults to 4370).
 */
export function checkAgentSettings(serial: string, mode: string, given: Partial<AgentSettings>, ip: string | null): void {
  const named = Object.keys(given).map((key) => `--${key === 'commKey' ? 'comm-key' : key}`)
  if (mode !== 'agent' && named.length > 0) {
    throw new UsageError(`${named.join(', ')} ${named.length === 1 ? 'applies' : 'apply'} to agent-mode devices, which attend pull reads: add --mode agent.`, 'agent_settings_push_mode')
  }
  if (mode === 'agent' && !ip) {
    throw new UsageError(`Device ${serial} is in agent mode: give its address with --ip (e.g. --ip 192.168.1.201) so attend pull can reach it.`, 'missing_ip')
  }
}

/** `agent mode at 192.168.1.201:4370 (auto, comm key set)` for agent devices; null for push ones. */
export function describeAgentAddress(device: {mode: string; ip: string | null; port: number | null; protocol: string | null; commKey: number | null}): string | null {
  if (device.mode !== 'agent') return null
  if (!device.ip) return 'agent mode, no address'
  const host = device.ip.includes(':') ? `[${device.ip}]` : device.ip
  const key = device.commKey ? ', comm key set' : ''
  return `agent mode at ${host}:${device.port ?? DEFAULT_PORT} (${device.protocol ?? 'auto'}${key})`
}
