import {performance} from 'node:perf_hooks'

import type {Device} from '../devices/service.js'
import {AttendError, UsageError, unknownDevice} from '../errors.js'
import type {CanonicalPunch} from '../punches/types.js'
import {markDeviceSeen} from '../server/device-seen.js'
import type {AgentPulls} from '../store/agent-pulls.js'
import type {AttendStore} from '../store/port.js'
import {agentDeviceUsers, agentPunch} from './punches.js'
import {LEASE_MS, leaseFor, newLeaseOwner} from './lease.js'
import {withDeviceSession} from './session.js'
import {deviceTarget} from './target.js'
import type {ZkClient} from './zk/client.js'
import {ZkError} from './zk/errors.js'
import {decodeUserTable, type AttendanceLayout, type UserLayout, type ZkRejectedRecord, type ZkUser} from './zk/records.js'

export const AGENT_SOURCE = 'agent'

export interface PullProgress {
  serial: string
  table: 'users' | 'attendance'
  bytes: number
  total: number
}

export interface PullOptions {
  /** "Now" (UTC ms) for received_at, the device-seen mark and the pull record. */
  now: () => number
  /** How long each request or chunk may wait for the device (default 10 s). */
  timeoutMs?: number
  /** Clear the device's log once its records are committed. */
  clearAfter?: boolean
  onProgress?: (progress: PullProgress) => void
  /** Punches per write job (default 10 000; the server's puller uses smaller jobs). */
  batchSize?: number
  /** The lease owner for this process (default: a fresh one per call). */
  owner?: string
  /** How many rejected records a result lists (all are counted). */
  keepRejected?: number
  /**
   * Stops the pull between chunks (Ctrl-C): the device is still re-enabled and the session ended.
   * What was read before is not stored, and nothing is cleared.
   */
  signal?: AbortSignal
}

export interface DevicePullResult {
  serial: string
  name: string
  ok: boolean
  /** Why the pull failed; null when it worked. */
  error: string | null
  protocol: 'tcp' | 'udp' | null
  recordsRead: number
  recordsNew: number
  duplicates: number
  /** Records refused (impossible dates, by the device's decoder or the pipeline). */
  rejected: number
  /** New punches whose user id maps to no employee yet. */
  unmapped: number
  users: number
  layout: {records: AttendanceLayout | null; users: UserLayout | null}
  /** null: not asked; true: the device log was cleared after the commit; false: kept (see clearNote). */
  cleared: boolean | null
  clearNote: string | null
  rejectedRecords: {index: number; reason: string}[]
  /** What went wrong without failing the pull (e.g. a user table in an unknown layout). */
  warnings: string[]
  durationMs: number
  /** Time on the wire (connect, read) and in the store (users and punches), of durationMs. */
  transferMs: number
  storeMs: number
}

export interface PullSummary {
  devices: DevicePullResult[]
  ok: number
  failed: number
  recordsRead: number
  recordsNew: number
  rejected: number
}

/** Punches per write job by default: each is one transaction, and the event loop breathes between them. */
const INGEST_BATCH = 10_000

/**
 * Active agent-mode devices, by serial: what `attend pull` and the server's puller read. Every
 * store write of a pull goes through the store port it is given: under `attend serve --pull-every`
 * the server's (on SQLite its writes are jobs of the server's group commit, so pulls never take the
 * write lock between its requests).
 */
export async function activeAgentDevices(store: AttendStore): Promise<Device[]> {
  return (await store.devices.list()).filter((device) => device.mode === 'agent' && device.status === 'active')
}

/**
 * The devices `attend pull` reads: the one named (which must be an active agent-mode device), or
 * every active agent-mode device.
 */
export async function devicesToPull(store: AttendStore, serial?: string): Promise<Device[]> {
  if (serial !== undefined) {
    const device = await store.devices.bySerial(serial)
    if (!device) throw unknownDevice(serial)
    if (device.mode !== 'agent') {
      throw new UsageError(
        `Device ${device.serial} is in push mode: it sends its punches to attend serve. attend pull reads agent-mode devices (attend devices update ${device.serial} --mode agent --ip …).`,
        'not_agent_device',
      )
    }
    if (device.status !== 'active') throw new UsageError(`Device ${device.serial} is inactive: reactivate it with attend devices update ${device.serial} --status active.`, 'device_inactive')
    return [device]
  }
  const all = await activeAgentDevices(store)
  if (all.length === 0) {
    throw new AttendError('No active agent-mode devices to pull: register one with attend devices add --serial SN --name NAME --mode agent --ip 192.168.1.201.', {code: 'no_agent_devices'})
  }
  return all
}

/** Pulls every device given, a few at a time; one device failing does not stop the others. */
export async function pullDevices(store: AttendStore, list: readonly Device[], options: PullOptions, concurrency = 4): Promise<PullSummary> {
  const owner = options.owner ?? newLeaseOwner()
  const results: DevicePullResult[] = new Array(list.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++
      results[i] = await pullDevice(store, list[i], {...options, owner})
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, list.length)}, worker))
  return summarize(results)
}

export function summarize(results: DevicePullResult[]): PullSummary {
  return {
    devices: results,
    ok: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
    recordsRead: results.reduce((n, r) => n + r.recordsRead, 0),
    recordsNew: results.reduce((n, r) => n + r.recordsNew, 0),
    rejected: results.reduce((n, r) => n + r.rejected, 0),
  }
}

/**
 * One pull: take the device's lease, open a session and check the serial, then with the device
 * disabled (so its log cannot change underneath) read its counters, users and log, store them
 * through the punch pipeline (source `agent`: dedup makes a repeated pull store nothing), and
 * only after that commit clear the log if asked. The device is re-enabled whatever happens. The
 * outcome is kept per device (`device_pulls`) and never thrown: the caller moves on to the next.
 */
export async function pullDevice(store: AttendStore, device: Device, options: PullOptions): Promise<DevicePullResult> {
  const started = performance.now()
  const result = emptyResult(device, options)
  const pulls = store.agentPulls
  const lease = new DeviceLease(pulls, device.id, options.owner ?? newLeaseOwner(), options.now, leaseFor(options.timeoutMs))
  try {
    throwIfAborted(options.signal)
    const target = deviceTarget(device)
    await lease.acquire()
    await withDeviceSession(target, {timeoutMs: options.timeoutMs, onConnected: (client) => {
      result.protocol = client.protocol
      const now = options.now()
      markDeviceSeen(store.devices, device, now)
    }}, (client) => readIntoStore(store, client, device, result, options, () => lease.renewIfDue()))
    result.ok = true
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error)
  } finally {
    result.durationMs = Math.round(performance.now() - started)
    result.transferMs = Math.max(0, result.durationMs - result.storeMs)
    const outcome = {
      at: options.now(),
      error: result.error,
      counts: {recordsRead: result.recordsRead, recordsNew: result.recordsNew, duplicates: result.duplicates, rejected: result.rejected, users: result.users, durationMs: result.durationMs},
    }
    await pulls.recordPull(device.id, outcome).catch((error: unknown) => {
      result.warnings.push(`the pull's outcome was not recorded: ${error instanceof Error ? error.message : String(error)}`)
    })
    await lease.release()
  }
  return result
}

export function emptyResult(device: Device, options: {clearAfter?: boolean}): DevicePullResult {
  return {
    serial: device.serial, name: device.name, ok: false, error: null, protocol: null,
    recordsRead: 0, recordsNew: 0, duplicates: 0, rejected: 0, unmapped: 0, users: 0,
    layout: {records: null, users: null}, cleared: options.clearAfter ? false : null, clearNote: null,
    rejectedRecords: [], warnings: [], durationMs: 0, transferMs: 0, storeMs: 0,
  }
}

/**
 * The device is this process's while it talks to it (a terminal serves one client at a time): a
 * lease in the store, renewed as the transfer goes on, so `attend pull` and `attend serve
 * --pull-every` (or two servers) never open sessions with the same terminal at once. Its writes go
 * through the agent section of the store port (`AgentPulls`), committed like the pull's others.
 */
export class DeviceLease {
  private held = false
  private renewedAt = 0
  private renewing = false
  private lost = false

  constructor(
    private readonly pulls: AgentPulls,
    private readonly deviceId: number,
    private readonly owner: string,
    private readonly now: () => number,
    private readonly ttlMs = LEASE_MS,
  ) {}

  async acquire(): Promise<void> {
    const now = this.now()
    const lease = await this.pulls.acquireLease(this.deviceId, this.owner, now, this.ttlMs)
    if (!lease.ok) {
      throw new AttendError(`another attend process is reading it (attend pull or attend serve --pull-every); its turn ends by ${new Date(lease.until).toISOString()}`, {code: 'device_busy'})
    }
    this.held = true
    this.renewedAt = now
  }

  /**
   * Called as the transfer goes on (synchronously, from progress callbacks): renews once a quarter
   * of the lease has passed. The renewal is a write like any other, so its answer arrives later; a
   * lease found lost stops the transfer at the next call, still well within the lease's length.
   */
  renewIfDue(): void {
    if (this.lost) throw new AttendError('another attend process took the device over (its lease had run out)', {code: 'device_busy'})
    const now = this.now()
    if (!this.held || this.renewing || now - this.renewedAt < this.ttlMs / 4) return
    this.renewedAt = now
    this.renewing = true
    this.pulls
      .renewLease(this.deviceId, this.owner, now, this.ttlMs)
      .then((renewed) => {
        if (renewed) return
        this.held = false
        this.lost = true
      }, () => {
        // Not renewed this time (the store was busy): the next call tries again.
        this.renewedAt = 0
      })
      .finally(() => (this.renewing = false))
  }

  async release(): Promise<void> {
    if (this.held) await this.pulls.releaseLease(this.deviceId, this.owner).catch(() => {})
    this.held = false
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AttendError('interrupted', {code: 'interrupted'})
}

/**
 * Within an open session: with the device disabled (so its log cannot change underneath), read its
 * counters, users and log; store them; then clear the log if asked. The device is re-enabled
 * whatever happens. Returns the users read (realtime events name users by them).
 */
export async function readIntoStore(store: AttendStore, client: ZkClient, device: Device, result: DevicePullResult, options: PullOptions, keepLease: () => void = () => {}): Promise<ZkUser[]> {
  return client.whileDisabled(() => readAndStore(store, client, device, result, options, keepLease))
}

async function readAndStore(store: AttendStore, client: ZkClient, device: Device, result: DevicePullResult, options: PullOptions, keepLease: () => void): Promise<ZkUser[]> {
  const progress = (table: PullProgress['table']) => (p: {bytes: number; total: number}) => {
    throwIfAborted(options.signal)
    keepLease()
    options.onProgress?.({serial: device.serial, table, bytes: p.bytes, total: p.total})
  }
  // Counted with the device disabled: the log cannot grow between counting and reading.
  const sizes = await client.readSizes()
  const {layout: userLayout, users} = await readUsers(client, sizes.users, result, progress('users'))
  const log = await client.readAttendance(sizes.records, users, progress('attendance'))
  throwIfAborted(options.signal)
  if (log.layout === 8 && result.warnings.length > 0) {
    throw new AttendError('its 8-byte records name users by slot, and its user table could not be read, so the records cannot be told apart: nothing stored', {code: 'users_unreadable'})
  }
  result.layout = {records: log.layout, users: userLayout}
  result.users = users.length
  result.recordsRead = log.records.length + log.rejected.length
  const keep = options.keepRejected ?? 20
  const reject = (r: {index: number; reason: string}): void => {
    result.rejected++
    if (result.rejectedRecords.length < keep) result.rejectedRecords.push({index: r.index, reason: r.reason})
  }
  log.rejected.forEach((r: ZkRejectedRecord) => reject(r))

  const storeStarted = performance.now()
  const batchSize = options.batchSize ?? INGEST_BATCH
  const deviceUsers = agentDeviceUsers(users)
  if (deviceUsers.length > 0) await store.directory.upsertDeviceUsers(device.id, deviceUsers, options.now())
  const punches = log.records.map((record) => agentPunch(record, device.serial))
  for (let i = 0; i < punches.length; i += batchSize) {
    const batch: CanonicalPunch[] = punches.slice(i, i + batchSize)
    const stored = await store.punches.ingest(batch, {source: AGENT_SOURCE, defaultDeviceSerial: device.serial, duplicateIds: false})
    result.recordsNew += stored.stored
    result.duplicates += stored.duplicates
    result.unmapped += stored.unmapped
    stored.outcomes.forEach((outcome, j) => {
      if (outcome.status === 'rejected') reject({index: batch[j].line ?? 0, reason: `record ${batch[j].line} (user ${batch[j].deviceUserId}): ${outcome.reason}`})
    })
    // Between jobs the server answers its devices (each job is a group commit of its own).
    if (i + batchSize < punches.length) keepLease()
  }
  result.storeMs = Math.round(performance.now() - storeStarted)

  if (options.clearAfter) await clearIfSafe(client, result, sizes.records, options.signal)
  return users
}

/**
 * The user table, decoded. A table in a layout attend does not know costs the names, not the pull:
 * punches carry user ids of their own (except 8-byte records, which the caller refuses then).
 */
async function readUsers(client: ZkClient, count: number, result: DevicePullResult, onProgress: (p: {bytes: number; total: number}) => void): Promise<{layout: UserLayout | null; users: ZkUser[]}> {
  if (count === 0) return {layout: null, users: []}
  const bytes = await client.readUserTable(onProgress)
  try {
    return decodeUserTable(bytes, count)
  } catch (error) {
    if (!(error instanceof ZkError)) throw error
    result.warnings.push(`users not read (punches are stored without their names): ${error.message}`)
    return {layout: null, users: []}
  }
}

/**
 * Clears the device log, now that everything read is committed (docs/architecture.md, "Agent mode"):
 * only when the log still holds
 * exactly what was read, and nothing was rejected (a rejected record exists nowhere but on the
 * device, so clearing would lose it).
 */
async function clearIfSafe(client: ZkClient, result: DevicePullResult, counted: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) {
    result.clearNote = 'not cleared: interrupted'
    return
  }
  if (result.rejected > 0) {
    result.clearNote = `not cleared: ${result.rejected} record${result.rejected === 1 ? ' was' : 's were'} rejected and would be lost`
    return
  }
  const now = await client.readSizes()
  if (now.records !== counted) {
    result.clearNote = `not cleared: the device now holds ${now.records} records, not the ${counted} read`
    return
  }
  await client.clearAttendance()
  result.cleared = true
}
