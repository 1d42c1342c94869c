import {AttendError} from '../errors.js'
import {connectOptions, targetAddress, type AgentTarget} from './target.js'
import {ZkClient} from './zk/client.js'
import {ZkError} from './zk/errors.js'

export interface SessionOptions {
  timeoutMs?: number
  /** Called once the device answered CONNECT: it is alive (the device-seen mark). */
  onConnected?: (client: ZkClient) => void
}

/**
 * Opens a session with the terminal, checks that it is the registered device (its serial), runs
 * `work`, and always ends the session. Errors come out as one sentence about this device.
 */
export async function withDeviceSession<T>(target: AgentTarget, options: SessionOptions, work: (client: ZkClient, serial: string | null) => Promise<T>): Promise<T> {
  let client: ZkClient
  try {
    client = await ZkClient.connect(connectOptions(target, options.timeoutMs))
  } catch (error) {
    throw describeFailure(target, error)
  }
  try {
    options.onConnected?.(client)
    const serial = await client.serialNumber()
    if (target.serial !== null) checkSerial(target, serial)
    return await work(client, serial)
  } catch (error) {
    throw describeFailure(target, error)
  } finally {
    await client.disconnect()
  }
}

/**
 * The device must be the one registered: an address that now points at another terminal (DHCP,
 * a swapped unit) would otherwise file its punches, and perhaps clear its log, under the wrong device.
 */
export function checkSerial(target: AgentTarget, reported: string | null): void {
  if (reported === null) {
    throw new AgentFailure(`the device at ${targetAddress(target)} does not report its serial number, so it cannot be checked against ${target.serial}: nothing stored`, 'serial_unknown')
  }
  if (reported.toUpperCase() !== target.serial!.toUpperCase()) {
    throw new AgentFailure(
      `the device at ${targetAddress(target)} reports serial ${reported}, not ${target.serial}: nothing stored (has the address moved to another terminal? register that one, or correct --ip)`,
      'serial_mismatch',
    )
  }
}

/** A device-level failure whose message is already the reason an admin reads, with advice when there is some. */
export class AgentFailure extends AttendError {
  /** What went wrong, without the advice. */
  readonly reason: string

  constructor(reason: string, code: string, advice?: string) {
    super(advice ? `${reason}. ${advice}` : reason, {code})
    this.name = 'AgentFailure'
    this.reason = reason
  }
}

/** Advice that turns a protocol failure into something to do about it. */
export function describeFailure(target: AgentTarget, error: unknown): Error {
  if (!(error instanceof ZkError)) return error instanceof Error ? error : new Error(String(error))
  const address = targetAddress(target)
  switch (error.failure) {
    case 'unauthorized': {
      const fix = target.serial ? `attend devices update ${target.serial} --comm-key N` : '--comm-key N'
      return new AgentFailure(`${error.message}: set the key from the device's Comm menu with ${fix}`, 'comm_key')
    }
    case 'unreachable':
      return new AgentFailure(error.message, 'unreachable', notAnsweringHint(target.serial))
    case 'silent':
      return new AgentFailure(error.message.includes(address) ? error.message : `${error.message} (${address})`, 'silent')
    default:
      return new AgentFailure(`${error.message} (${address})`, `zk_${error.failure}`)
  }
}

/**
 * Many newer terminals (SpeedFace, ProFace, the "ADMS"/cloud firmware) speak only the push
 * protocol and never answer on 4370.
 */
export function notAnsweringHint(serial: string | null): string {
  const update = `attend devices update ${serial ?? 'SN'} --mode push`
  return (
    'If the address is right, the device may not speak the pull protocol on this port: many newer models only push (ADMS). ' +
    `Then register it in push mode (${update}) and point its Cloud Server / ADMS setting at attend serve.`
  )
}
