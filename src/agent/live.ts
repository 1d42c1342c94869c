import type {Device} from '../devices/service.js'
import type {IngestResult} from '../punches/types.js'
import {markDeviceSeen} from '../server/device-seen.js'
import type {AttendStore} from '../store/port.js'
import {AGENT_SOURCE, DeviceLease, emptyResult, readIntoStore, type DevicePullResult, type PullOptions} from './pull.js'
import {leaseFor, newLeaseOwner} from './lease.js'
import {agentPunch} from './punches.js'
import {AgentFailure, withDeviceSession} from './session.js'
import {deviceTarget} from './target.js'
import {pause} from './watch.js'
import {Command, EventFlag} from './zk/constants.js'
import type {ZkClient} from './zk/client.js'
import {decodeRealtimeAttendance} from './zk/realtime.js'
import type {ZkRealtimePunch} from './zk/realtime.js'
import type {ZkUser} from './zk/records.js'
import {wallClockText} from './zk/time.js'

export type LiveEvent =
  | {kind: 'connected'; serial: string; protocol: 'tcp' | 'udp'; caughtUp: DevicePullResult}
  | {kind: 'punch'; serial: string; userId: string; name: string | null; time: string; state: number; verify: number; status: 'stored' | 'duplicate'; employee: {code: string; name: string} | null}
  | {kind: 'rejected'; serial: string; reason: string}
  | {kind: 'disconnected'; serial: string; reason: string; retryInMs: number}

export interface LiveOptions extends Omit<PullOptions, 'clearAfter' | 'signal'> {
  signal: AbortSignal
  onEvent: (event: LiveEvent) => void
  /** First wait before reconnecting; doubles per failed attempt up to maxBackoffMs (default 1 s → 60 s). */
  backoffMs?: number
  maxBackoffMs?: number
  /** How often an idle session is checked (a device that lost power sends no FIN; default 30 s). */
  keepAliveMs?: number
}

export interface LiveDeviceSummary {
  serial: string
  punches: number
  stored: number
  duplicates: number
  rejected: number
  reconnects: number
}

/**
 * `attend pull --live`: a session per device that stays open. Each (re)connection first catches up
 * with a normal pull (punches made while disconnected are in the device log; dedup makes the rest
 * no-ops), then registers for realtime attendance events (EF_ATTLOG) and stores each punch as it
 * comes, in its own write job. The client acknowledges every event. A lost session (device
 * restart, network drop, no answer to the keep-alive) is reopened with exponential backoff.
 * Runs until `signal` aborts.
 */
export async function liveCapture(store: AttendStore, devices: readonly Device[], options: LiveOptions): Promise<LiveDeviceSummary[]> {
  const owner = options.owner ?? newLeaseOwner()
  return Promise.all(devices.map((device) => captureDevice(store, device, {...options, owner})))
}

async function captureDevice(store: AttendStore, device: Device, options: LiveOptions): Promise<LiveDeviceSummary> {
  const summary: LiveDeviceSummary = {serial: device.serial, punches: 0, stored: 0, duplicates: 0, rejected: 0, reconnects: 0}
  const initial = options.backoffMs ?? 1000
  const max = options.maxBackoffMs ?? 60_000
  let failures = 0
  let connectedOnce = false
  while (!options.signal.aborted) {
    const lease = new DeviceLease(store.agentPulls, device.id, options.owner!, options.now, leaseFor(options.timeoutMs))
    let reason: string
    try {
      await lease.acquire()
      const seen = () => {
        const now = options.now()
        markDeviceSeen(store.devices, device, now)
      }
      reason = await withDeviceSession(deviceTarget(device), {timeoutMs: options.timeoutMs, onConnected: seen}, async (client) => {
        const caughtUp = emptyResult(device, {})
        caughtUp.protocol = client.protocol
        const users = await readIntoStore(store, client, device, caughtUp, options, () => lease.renewIfDue())
        caughtUp.ok = true
        // Listening before registering: an event may arrive in the same segment as the ACK.
        const listening = listen(store, client, device, users, summary, options, lease)
        try {
          await client.registerEvents(EventFlag.ATTLOG)
        } catch (error) {
          listening.end('')
          throw error
        }
        failures = 0
        connectedOnce = true
        options.onEvent({kind: 'connected', serial: device.serial, protocol: client.protocol, caughtUp})
        return listening.ended
      })
    } catch (error) {
      // Once the device has answered, advice about devices that never do is noise.
      reason = error instanceof AgentFailure && connectedOnce ? error.reason : error instanceof Error ? error.message : String(error)
    } finally {
      await lease.release()
    }
    if (options.signal.aborted) break
    const retryInMs = Math.min(max, initial * 2 ** failures)
    failures++
    summary.reconnects++
    options.onEvent({kind: 'disconnected', serial: device.serial, reason, retryInMs})
    await pause(retryInMs, options.signal)
  }
  return summary
}

/**
 * Stores each event until the session ends: `ended` resolves with why (or '' when stopped).
 * `end` stops listening from outside.
 */
function listen(
  store: AttendStore,
  client: ZkClient,
  device: Device,
  users: readonly ZkUser[],
  summary: LiveDeviceSummary,
  options: LiveOptions,
  lease: DeviceLease,
): {ended: Promise<string>; end: (reason: string) => void} {
  let resolveEnded: (reason: string) => void = () => {}
  const ended = new Promise<string>((resolve) => (resolveEnded = resolve))
  // Events are stored in the order they came: each waits for the one before.
  let previous: Promise<unknown> = Promise.resolve()
  let done = false
  const end = (reason: string): void => {
    if (done) return
    done = true
    clearInterval(keepAlive)
    options.signal.removeEventListener('abort', stop)
    // Not before the events received so far are stored: the caller closes the store after this.
    void previous.finally(() => resolveEnded(reason))
  }
  const stop = (): void => {
    // Unregister politely; the session is ended by withDeviceSession.
    client.registerEvents(0).then(() => end(''), () => end(''))
  }
  client.onClose = (error) => end(error.message)
  client.onEvent = (packet) => {
    if (packet.session !== EventFlag.ATTLOG) return
    const now = options.now()
    markDeviceSeen(store.devices, device, now)
    for (const record of decodeRealtimeAttendance(packet.data, users)) {
      if (!record.ok) {
        summary.rejected++
        options.onEvent({kind: 'rejected', serial: device.serial, reason: record.reason})
        continue
      }
      const punch = agentPunch(record.punch, device.serial)
      const stored = previous.then((): Promise<IngestResult> => store.punches.ingest([punch], {source: AGENT_SOURCE, defaultDeviceSerial: device.serial}))
      previous = stored.then(
        (result) => report(result, record.punch),
        (error: unknown) => {
          summary.rejected++
          options.onEvent({kind: 'rejected', serial: device.serial, reason: `user ${record.punch.userId}: not stored: ${error instanceof Error ? error.message : String(error)}`})
        },
      )
    }
  }
  const report = (result: IngestResult, punch: ZkRealtimePunch): void => {
    const outcome = result.outcomes[0]
    summary.punches++
    if (outcome.status === 'rejected') {
      summary.rejected++
      options.onEvent({kind: 'rejected', serial: device.serial, reason: `user ${punch.userId}: ${outcome.reason}`})
      return
    }
    if (outcome.status === 'stored') summary.stored++
    else summary.duplicates++
    options.onEvent({
      kind: 'punch',
      serial: device.serial,
      userId: punch.userId,
      name: users.find((u) => u.userId === punch.userId)?.name ?? null,
      time: wallClockText(punch.time),
      state: punch.state,
      verify: punch.verify,
      status: outcome.status,
      employee: outcome.employee ? {code: outcome.employee.code, name: outcome.employee.name} : null,
    })
  }
  // An idle session is checked now and then: a device that lost power or network sends nothing.
  const keepAlive = setInterval(() => {
    try {
      lease.renewIfDue()
    } catch (error) {
      end(error instanceof Error ? error.message : String(error))
      return
    }
    client.command(Command.GET_TIME).catch((error: unknown) => {
      client.close()
      end(error instanceof Error ? error.message : String(error))
    })
  }, options.keepAliveMs ?? 30_000)
  if (options.signal.aborted) stop()
  else options.signal.addEventListener('abort', stop, {once: true})
  return {ended, end}
}
