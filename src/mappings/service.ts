import type {deviceUserMappings} from '../db/schema.js'
import {NotFoundError, UsageError} from '../errors.js'
import type {CsvRejectedRow} from '../employees/csv-table.js'
import type {AttendStore} from '../store/port.js'

export type Mapping = typeof deviceUserMappings.$inferSelect

export interface MappingView {
  id: number
  deviceUserId: string
  /** Serial of the device the mapping is limited to; null = every device. */
  device: string | null
  employeeId: number
  employeeCode: string
  employeeName: string
  createdAt: number
}

/** A device user id seen in punches that resolve to nobody. */
export interface UnmappedUser {
  deviceUserId: string
  /** The punches' device key: the serial (registered or not), else the source. */
  deviceKey: string
  deviceId: number | null
  /** The name enrolled on the device (device_users), when the device reported it. */
  name: string | null
  punches: number
  lastPunchAt: number
  /** The last punch as wall-clock time in the device's (else the site's) zone. */
  lastPunchLocal: string
}

export interface MappingScope {
  deviceUserId: string
  deviceId: number | null
}

export interface AddMappingResult {
  mapping: MappingView
  /** The employee this device user was mapped to before, when the mapping replaced one. */
  previous: {code: string; name: string} | null
  /** Stored punches whose employee changed. */
  reresolved: number
}

export interface AutoMapResult {
  mapped: {deviceUserId: string; employeeCode: string; employeeName: string}[]
  /** Ids that match more than one employee code (e.g. codes 42 and 042): left for the admin. */
  ambiguous: {deviceUserId: string; employeeCodes: string[]}[]
  /** Unmapped ids that match no employee code. */
  unmatched: string[]
  reresolved: number
}

/** One checked row of a mapping CSV (`device` = the serial it names, null = every device). */
export interface MappingImportRow {
  line: number
  raw: string
  deviceUserId: string
  employeeCode: string
  device: string | null
}

/** What the store did with the rows of a mapping import. */
export interface MappingImportOutcome {
  created: number
  updated: number
  unchanged: number
  /** Rows naming an unknown employee or device. */
  rejected: CsvRejectedRow[]
  /** Stored punches whose employee changed. */
  reresolved: number
}

export function validateDeviceUserId(value: string): string {
  const id = value.trim()
  if (!id) throw new UsageError('The device user id cannot be empty.', 'invalid_device_user_id')
  if (id.length > 64 || /[\s,;]/.test(id)) {
    throw new UsageError(`Invalid device user id "${value}": expected the id enrolled on the device, such as 42 or 0042 (no spaces).`, 'invalid_device_user_id')
  }
  return id
}

/** `map remove` of a mapping that does not exist. */
export function missingMapping(deviceUserId: string, deviceSerial: string | null): NotFoundError {
  const where = deviceSerial ? ` on device ${deviceSerial}` : ' for all devices'
  return new NotFoundError(`Device user "${deviceUserId}" has no mapping${where}: see attend map list.`)
}

/** Every mapping, global ones first within a device user id. */
export function listMappings(store: AttendStore, options: {employeeCode?: string; device?: string} = {}): Promise<MappingView[]> {
  return store.directory.listMappings(options)
}

/**
 * Device user ids in stored punches that resolve to nobody, per device, most punches first, with
 * the name the device has enrolled for them when known.
 */
export function listUnmapped(store: AttendStore, options: {limit?: number} = {}): Promise<UnmappedUser[]> {
  return store.directory.listUnmapped(options)
}

/**
 * `map add DEVICE_USER_ID EMPLOYEE_CODE [--device SN]`: maps (or re-maps) the device user and moves
 * their stored punches to the employee, in one transaction.
 */
export async function addMapping(
  store: AttendStore,
  input: {deviceUserId: string; employeeCode: string; deviceSerial?: string},
  now: number,
): Promise<AddMappingResult> {
  const deviceUserId = validateDeviceUserId(input.deviceUserId)
  return store.directory.addMapping({...input, deviceUserId}, now)
}

/** `map remove`: the device user's punches fall back to a global mapping, else to nobody. */
export async function removeMapping(
  store: AttendStore,
  input: {deviceUserId: string; deviceSerial?: string},
  now: number,
): Promise<{mapping: MappingView; reresolved: number}> {
  const deviceUserId = validateDeviceUserId(input.deviceUserId)
  return store.directory.removeMapping({...input, deviceUserId}, now)
}
