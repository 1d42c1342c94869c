import {MAX_ID_LENGTH, idTooLong, quote} from '../formats/input-policy.js'
import {describeMargin} from '../settings/settings.js'
import {LocalClock} from '../time/local-clock.js'
import {wallAsUtc, zoneOffsetAt} from '../time/parse.js'
import {isValidTimeZone} from '../time/zone.js'
import type {CanonicalPunch, DeviceRow, EmployeeRow, IngestCache, IngestOptions, PunchDirection, ResolvedEmployee} from './types.js'

/**
 * What the pipeline reads from the store to check and resolve a punch, whichever engine holds it
 * (docs/architecture.md, "The store port"): SQLite answers from prepared statements as it goes,
 * PostgreSQL from what it loaded for the whole batch in a few queries. Synchronous either way, so
 * the checks below are one code for both engines.
 */
export interface IngestLookups {
  device(serial: string): DeviceRow | undefined
  /** Device mapping → global mapping → employee code = device user id; `deviceId` null for no device. */
  employee(deviceId: number | null, deviceUserId: string): EmployeeRow | undefined
  employeeById(id: number): EmployeeRow | undefined
  /** The site's zone and future margin. */
  settings(): {timezone: string; futureMarginMinutes?: number | null}
}

/** Null when a raw code fits the length policy, else the sentence naming it. */
function codeTooLong(value: string | null | undefined, name: string): string | null {
  return typeof value === 'string' && value.length > MAX_ID_LENGTH ? idTooLong(value, `The ${name}`) : null
}

/** What prepare() resolved for a punch it accepted. */
export interface PreparedPunch {
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

/**
 * Checks and resolves punches for the pipeline. Per-call caches (or the caller's, see IngestOptions.cache): a batch names few devices and few people, each looked up once. */
export class PunchPreparer {
  private readonly devices: Map<string, DeviceRow | undefined>
  private readonly employees: Map<number, Map<string, ResolvedEmployee | null>>
  private readonly employeesById: Map<number, ResolvedEmployee | null>
  private readonly stateMaps: Map<number, Record<string, PunchDirection>>
  private siteZone: string | undefined
  private futureMargin: number | null | undefined
  private latestAllowed: number | undefined
  /** The last zone a wall time was resolved in, and its clock: a batch rarely names two. */
  private zoneName: string | undefined
  private clock: LocalClock | undefined
  /** What the last prepare() that returned null resolved; overwritten by the next call. */
  readonly prepared: PreparedPunch = {deviceKey: '', device: undefined, employee: null, instant: 0, offsetMinutes: null, direction: null}

  constructor(
    private readonly lookups: IngestLookups,
    private readonly options: IngestOptions,
    /** The `people` revision now, for a cache shared across calls (IngestOptions.cache). */
    peopleRevision?: number,
  ) {
    const cache = options.cache ?? newIngestCache()
    // A cache shared by the calls of a whole import run keeps whom every device user resolved to,
    // nobody included, until an employee or a mapping changes (maybe in another process).
    if (options.cache && cache.peopleRevision !== peopleRevision) {
      cache.employees.clear()
      cache.employeesById.clear()
      cache.peopleRevision = peopleRevision
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
      this.futureMargin = this.lookups.settings().futureMarginMinutes ?? null
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
    const row = this.lookups.device(serial)
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
      found = this.lookups.employee(deviceId === NO_DEVICE ? null : deviceId, deviceUserId) ?? null
      users.set(deviceUserId, found)
    }
    return found
  }

  private employeeById(id: number): ResolvedEmployee | null {
    let found = this.employeesById.get(id)
    if (found === undefined) {
      found = this.lookups.employeeById(id) ?? null
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
      const zone = this.lookups.settings().timezone
      this.siteZone = isValidTimeZone(zone) ? zone : 'UTC'
    }
    return this.siteZone
  }
}

/**
 * The record as received, kept for audits: the first RAW_LIMIT characters of it. A JSON punch
 * carrying a photo, or a garbage line, must not make every punch row a megabyte.
 */
const RAW_LIMIT = 4096
export function rawExcerpt(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null
  return raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…` : raw
}
