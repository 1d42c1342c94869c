import type {Store} from '../db/open.js'
import {storeRevision} from '../db/revisions.js'
import {MAX_ID_LENGTH, idTooLong, quote} from '../formats/input-policy.js'
import {describeMargin, siteSettings} from '../settings/settings.js'
import {LocalClock} from '../time/local-clock.js'
import {wallAsUtc, zoneOffsetAt} from '../time/parse.js'
import {isValidTimeZone} from '../time/zone.js'
import {PunchChanges} from './changes.js'
import type {PunchSubscriber} from './events.js'
import {punchStatements, type DeviceRow, type EmployeeRow} from './statements.js'
import type {CanonicalPunch, IngestCache, IngestOptions, IngestOutcome, IngestResult, PunchDirection, ResolvedEmployee, StoredPunch} from './types.js'

/**
 * The one way a punch gets stored, whatever its source. In one synchronous transaction: apply the
 * input policy (lengths, future margin), resolve the device and the employee, turn wall-clock time
 * into an instant, insert with the dedup key (device key, device user id, instant) so retries and
 * re-imports are no-ops, and publish the rows just stored to the punch subscribers (webhook outbox,
 * attendance recompute) — or, with `options.changes`, hand them to the caller's transaction, which
 * publishes once for all its calls. Outcomes are in input order.
 *
 * A scan id (seed 000) is kept with the punch but is not a dedup key: it names a scan only together
 * with (device key, user, instant). A terminal that reuses a scan id for another person or another
 * time has made a new punch, which is stored, never answered "already recorded" and dropped.
 */
export function ingestPunches(
  store: Store,
  punches: readonly CanonicalPunch[],
  options: IngestOptions,
  subscribers?: readonly PunchSubscriber[],
): IngestResult {
  const run = (): IngestResult => ingestInTransaction(store, punches, options, subscribers)
  return options.dryRun || options.changes ? run() : store.transaction(run)
}

/**
 * ingestPunches for a caller that holds the write transaction itself (an import writing in
 * time-bounded slices): no savepoint of its own — SQLite copies every page a savepoint touches into
 * its journal, a quarter of a bulk load's time — so a failure rolls back the caller's whole
 * transaction instead of this call alone.
 */
export function ingestPunchesInTransaction(
  store: Store,
  punches: readonly CanonicalPunch[],
  options: IngestOptions,
  subscribers?: readonly PunchSubscriber[],
): IngestResult {
  if (!store.sqlite.inTransaction) throw new Error('ingestPunchesInTransaction needs an open write transaction.')
  return ingestInTransaction(store, punches, options, subscribers)
}

function ingestInTransaction(store: Store, punches: readonly CanonicalPunch[], options: IngestOptions, subscribers: readonly PunchSubscriber[] | undefined): IngestResult {
  const st = punchStatements(store.sqlite)
  const context = new IngestContext(store, options)
  const countOnly = options.countOnly === true
  const outcomes: IngestOutcome[] = countOnly ? [] : new Array(punches.length)
  const stored: StoredPunch[] = []
  const result: IngestResult = {outcomes, stored: 0, duplicates: 0, rejected: 0, unmapped: 0}
  if (countOnly) result.rejections = []
  const seen = options.dryRun ? (options.dryRunSeen ?? new Set<string>()) : undefined
  const lookupIds = options.duplicateIds !== false
  const collect = subscribers === undefined || subscribers.length > 0 || options.changes !== undefined
  const {source, now} = options
  const importId = options.importId ?? null
  // The context's one scratch record, overwritten by every prepare() (no object per punch).
  const prepared = context.prepared

  for (let i = 0; i < punches.length; i++) {
    const punch = punches[i]
    const reason = context.prepare(punch)
    if (reason !== null) {
      if (countOnly) result.rejections!.push({index: i, reason})
      else outcomes[i] = {status: 'rejected', reason}
      result.rejected++
      continue
    }
    const {deviceKey, device, employee, instant, offsetMinutes, direction} = prepared

    if (seen) {
      const existing = dryRunDuplicate(st, seen, deviceKey, punch, instant)
      if (existing !== false) {
        if (!countOnly) outcomes[i] = {status: 'duplicate', punchId: existing, instant, employee, deviceKey}
        result.duplicates++
      } else {
        if (!countOnly) outcomes[i] = {status: 'stored', punchId: 0, instant, employee, deviceKey}
        result.stored++
        if (!employee) result.unmapped++
      }
      continue
    }

    const deviceId = device === undefined ? null : device.id
    const employeeId = employee === null ? null : employee.id
    const info = st.insertPunch.run(
      deviceKey,
      deviceId,
      punch.deviceUserId,
      employeeId,
      instant,
      punch.timeText,
      offsetMinutes,
      direction,
      punch.rawStatus ?? null,
      punch.rawVerify ?? null,
      punch.workCode ?? null,
      source,
      punch.scanId ?? null,
      punch.temperature ?? null,
      punch.mask === undefined || punch.mask === null ? null : punch.mask ? 1 : 0,
      punch.confidence ?? null,
      punch.manual ? 1 : 0,
      punch.note ?? null,
      importId,
      now,
      rawExcerpt(punch.raw),
    )

    if (info.changes === 1) {
      const id = Number(info.lastInsertRowid)
      if (!countOnly) outcomes[i] = {status: 'stored', punchId: id, instant, employee, deviceKey}
      result.stored++
      if (employee === null) result.unmapped++
      if (collect) {
        stored.push({id, deviceKey, deviceId, deviceUserId: punch.deviceUserId, employeeId, employeeCode: employee === null ? null : employee.code, instant, offsetMinutes, direction, source})
      }
    } else {
      if (!countOnly) {
        const existing = lookupIds ? st.existsByKey.get(deviceKey, punch.deviceUserId, instant) : undefined
        outcomes[i] = {status: 'duplicate', punchId: existing?.id ?? null, instant, employee, deviceKey}
      }
      result.duplicates++
    }
  }

  if (stored.length > 0) {
    if (options.changes) options.changes.stored(stored)
    else {
      const changes = new PunchChanges(options.webhooks !== false)
      changes.stored(stored)
      PunchChanges.publish(store, [changes], now, subscribers)
    }
  }
  return result
}

/**
 * The punches the pipeline would reject, with the reason, checked exactly as ingestPunches checks
 * them (device, time zone, employee) but without touching punches: `attend import --strict`
 * validates a whole file with it before writing anything.
 */
export function rejectedPunches(store: Store, punches: readonly CanonicalPunch[], options: IngestOptions): {index: number; reason: string}[] {
  const context = new IngestContext(store, options)
  const rejected: {index: number; reason: string}[] = []
  punches.forEach((punch, index) => {
    const reason = context.prepare(punch)
    if (reason !== null) rejected.push({index, reason})
  })
  return rejected
}

/** false when new; else the id of the stored twin (null when the twin is earlier in this dry run). */
function dryRunDuplicate(st: ReturnType<typeof punchStatements>, seen: Set<string>, deviceKey: string, punch: CanonicalPunch, instant: number): number | null | false {
  const key = `${deviceKey}\u0000${punch.deviceUserId}\u0000${instant}`
  const existing = st.existsByKey.get(deviceKey, punch.deviceUserId, instant)
  if (existing) return existing.id
  if (seen.has(key)) return null
  seen.add(key)
  return false
}

/** Null when a raw code fits the length policy, else the sentence naming it. */
function codeTooLong(value: string | null | undefined, name: string): string | null {
  return typeof value === 'string' && value.length > MAX_ID_LENGTH ? idTooLong(value, `The ${name}`) : null
}

/**
 * The record as received, kept for audits: the first RAW_LIMIT characters of it. A JSON punch
 * carrying a photo, or a garbage line, must not make every punch row a megabyte.
 */
const RAW_LIMIT = 4096
function rawExcerpt(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null
  return raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…` : raw
}

/**
 * Whom (device, device user id) resolved to, kept per connection across calls until an employee
 * code or name or a mapping changes (the `people` revision, read once per call — once per group on
 * the server). Only resolutions that found someone are kept: an employee created meanwhile in the
 * same transaction can turn "nobody" into someone, but cannot change whom a found id resolves to
 * (a mapping outranks a matching code), so no kept entry can go stale before the revision moves.
 */
const resolutionCaches = new WeakMap<Store['sqlite'], {revision: number; entries: Map<string, ResolvedEmployee>}>()
const MAX_RESOLUTIONS = 50_000

function resolvedEmployees(store: Store): Map<string, ResolvedEmployee> {
  const revision = storeRevision(store, 'people')
  let cache = resolutionCaches.get(store.sqlite)
  if (!cache || cache.revision !== revision) {
    cache = {revision, entries: new Map()}
    resolutionCaches.set(store.sqlite, cache)
  }
  return cache.entries
}

/**
 * Drops what the resolution cache learned on this connection. For a caller whose transaction (or
 * savepoint) was rolled back: a rollback also restores the `people` revision, so an entry learned
 * from rows that no longer exist would otherwise look current.
 */
export function forgetResolvedEmployees(store: Store): void {
  resolutionCaches.delete(store.sqlite)
}

function remember(cache: Map<string, ResolvedEmployee>, key: string, employee: ResolvedEmployee): void {
  if (cache.size >= MAX_RESOLUTIONS) cache.clear()
  cache.set(key, employee)
}

/** What prepare() resolved for a punch it accepted. */
interface PreparedPunch {
  deviceKey: string
  device: DeviceRow | undefined
  employee: ResolvedEmployee | null
  instant: number
  offsetMinutes: number | null
  direction: PunchDirection | null
}

/** Empty lookups for IngestOptions.cache. */
export function newIngestCache(): IngestCache {
  return {devices: new Map(), employees: new Map(), employeesById: new Map(), stateMaps: new Map()}
}

/** Device id standing for "no device" in the employee lookups (ids start at 1). */
const NO_DEVICE = 0

/** Per-call caches (or the caller's, see IngestOptions.cache): a batch names few devices and few people, each looked up once. */
class IngestContext {
  private readonly st
  private readonly devices: Map<string, DeviceRow | undefined>
  private readonly employees: Map<number, Map<string, ResolvedEmployee | null>>
  private readonly employeesById: Map<number, ResolvedEmployee | null>
  private readonly stateMaps: Map<number, Record<string, PunchDirection>>
  private siteZone: string | undefined
  private futureMargin: number | null | undefined
  private latestAllowed: number | undefined
  private resolved: Map<string, ResolvedEmployee> | undefined
  /** The last zone a wall time was resolved in, and its clock: a batch rarely names two. */
  private zoneName: string | undefined
  private clock: LocalClock | undefined
  /** What the last prepare() that returned null resolved; overwritten by the next call. */
  readonly prepared: PreparedPunch = {deviceKey: '', device: undefined, employee: null, instant: 0, offsetMinutes: null, direction: null}

  constructor(
    private readonly store: Store,
    private readonly options: IngestOptions,
  ) {
    this.st = punchStatements(store.sqlite)
    const cache = options.cache ?? newIngestCache()
    // A cache shared by the calls of a whole import run keeps whom every device user resolved to,
    // nobody included, until an employee or a mapping changes (maybe in another process).
    if (options.cache) {
      const revision = storeRevision(store, 'people')
      if (cache.peopleRevision !== revision) {
        cache.employees.clear()
        cache.employeesById.clear()
        cache.peopleRevision = revision
      }
    }
    ;({devices: this.devices, employees: this.employees, employeesById: this.employeesById, stateMaps: this.stateMaps} = cache)
  }

  /**
   * Checks and resolves one punch: null when it can be stored (what it resolved to is then in
   * `prepared`), else the reason it is rejected. Runs for every punch of an import, so it builds
   * nothing it does not keep (docs/architecture.md, "Import").
   */
  prepare(punch: CanonicalPunch): string | null {
    const deviceUserId = punch.deviceUserId
    if (typeof deviceUserId !== 'string' || deviceUserId.trim() === '') return 'Missing device user id.'
    const tooLong = this.tooLong(punch)
    if (tooLong) return tooLong

    const serial = punch.deviceSerial || this.options.defaultDeviceSerial || null
    const device = serial ? this.device(serial) : undefined
    const deviceKey = serial ?? this.options.fallbackDeviceKey ?? this.options.source

    let instant: number
    let offsetMinutes: number | null
    const time = punch.time
    if (time.kind === 'instant') {
      instant = time.ms
      if (!Number.isFinite(instant)) return `Invalid timestamp "${punch.timeText}".`
      offsetMinutes = time.offsetMinutes ?? this.offsetFor(instant, device)
    } else {
      try {
        const resolved = this.clockFor(device).resolve(time.asUtc ?? wallAsUtc(time.local))
        instant = resolved.instant
        offsetMinutes = resolved.offsetMinutes
      } catch (error) {
        return error instanceof Error ? error.message : String(error)
      }
    }

    if (this.latestAllowed === undefined) {
      this.futureMargin = siteSettings(this.store).futureMarginMinutes ?? null
      this.latestAllowed = this.futureMargin === null ? Infinity : this.options.now + this.futureMargin * 60_000
    }
    if (instant > this.latestAllowed) return this.tooFarAhead(instant, punch.timeText)

    const employee = punch.employeeId ? this.employeeById(punch.employeeId) : this.employee(device?.id ?? NO_DEVICE, deviceUserId)
    if (punch.employeeId && !employee) return `No employee with id ${punch.employeeId}.`

    let direction: PunchDirection | null = punch.direction ?? null
    if (device && (device.direction === 'in' || device.direction === 'out')) direction = device.direction
    else if (!direction && device?.stateMap && punch.rawStatus != null) direction = this.stateMap(device)[punch.rawStatus] ?? null

    const prepared = this.prepared
    prepared.deviceKey = deviceKey
    prepared.device = device
    prepared.employee = employee
    prepared.instant = instant
    prepared.offsetMinutes = offsetMinutes
    prepared.direction = direction
    return null
  }

  /** The length policy, for every source: ids and codes at most MAX_ID_LENGTH characters. */
  private tooLong(punch: CanonicalPunch): string | null {
    if (punch.deviceUserId.length > MAX_ID_LENGTH) return idTooLong(punch.deviceUserId, 'The device user id')
    if (punch.scanId && punch.scanId.length > MAX_ID_LENGTH) return idTooLong(punch.scanId, 'The scan id')
    const serial = punch.deviceSerial || this.options.defaultDeviceSerial
    if (serial && serial.length > MAX_ID_LENGTH) return idTooLong(serial, 'The device serial')
    return codeTooLong(punch.rawStatus, 'status code') ?? codeTooLong(punch.rawVerify, 'verify code') ?? codeTooLong(punch.workCode, 'work code')
  }

  /** The clock of the zone a wall time is read in: the --timezone override, the device's, the site's. */
  private clockFor(device: DeviceRow | undefined): LocalClock {
    const zone = this.options.timezone || device?.timezone || this.site()
    if (zone !== this.zoneName || this.clock === undefined) {
      this.clock = LocalClock.for(zone)
      this.zoneName = zone
    }
    return this.clock
  }

  /**
   * A punch beyond the site's future margin (default a day) is a device clock gone wrong or a
   * mistyped year: stored, it would create attendance that has not happened.
   */
  private tooFarAhead(instant: number, timeText: string): string {
    const margin = this.futureMargin as number
    const hours = Math.floor((instant - this.options.now) / 3_600_000)
    const ahead = hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.max(1, hours)} hours`
    return `The punch time ${quote(timeText)} is ${ahead} in the future, beyond the future margin of ${describeMargin(margin)} (attend config set future-margin).`
  }

  private device(serial: string): DeviceRow | undefined {
    if (this.devices.has(serial)) return this.devices.get(serial)
    const row = this.st.deviceBySerial.get(serial)
    if (row?.timezone && !isValidTimeZone(row.timezone)) row.timezone = null
    this.devices.set(serial, row)
    return row
  }

  private employee(deviceId: number, deviceUserId: string): ResolvedEmployee | null {
    // Two levels (device, then user) rather than one key per punch built from both.
    let users = this.employees.get(deviceId)
    if (users === undefined) this.employees.set(deviceId, (users = new Map()))
    let found = users.get(deviceUserId)
    if (found === undefined) {
      const key = `${deviceId === NO_DEVICE ? '' : deviceId}\u0000${deviceUserId}`
      this.resolved ??= resolvedEmployees(this.store)
      found = this.resolved.get(key)
      if (found === undefined) {
        const row: EmployeeRow | undefined = this.st.resolveEmployee.get({deviceId: deviceId === NO_DEVICE ? null : deviceId, deviceUserId})
        found = row ? {id: row.id, code: row.code, name: row.name} : null
        if (found) remember(this.resolved, key, found)
      }
      users.set(deviceUserId, found)
    }
    return found
  }

  private employeeById(id: number): ResolvedEmployee | null {
    let found = this.employeesById.get(id)
    if (found === undefined) {
      const row = this.store.sqlite.prepare('SELECT id, code, name FROM employees WHERE id = ?').get(id) as EmployeeRow | undefined
      found = row ? {id: row.id, code: row.code, name: row.name} : null
      this.employeesById.set(id, found)
    }
    return found
  }

  private stateMap(device: DeviceRow): Record<string, PunchDirection> {
    let map = this.stateMaps.get(device.id)
    if (!map) {
      map = {}
      try {
        const parsed = JSON.parse(device.stateMap ?? '{}') as Record<string, unknown>
        for (const [code, value] of Object.entries(parsed)) if (value === 'in' || value === 'out') map[code] = value
      } catch {
        // A malformed map configures nothing rather than failing every punch of the device.
      }
      this.stateMaps.set(device.id, map)
    }
    return map
  }

  private offsetFor(instant: number, device: DeviceRow | undefined): number {
    return zoneOffsetAt(instant, this.options.timezone || device?.timezone || this.site())
  }

  private site(): string {
    if (this.siteZone === undefined) {
      const zone = siteSettings(this.store).timezone
      this.siteZone = isValidTimeZone(zone) ? zone : 'UTC'
    }
    return this.siteZone
  }
}
