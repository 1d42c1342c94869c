import {and, asc, count, desc, eq, isNull, max, sql} from 'drizzle-orm'
import {DateTime} from 'luxon'

import type {Store} from '../db/open.js'
import {deviceUserMappings, deviceUsers, devices, employees, punches} from '../db/schema.js'
import {NotFoundError, UsageError} from '../errors.js'
import type {Device} from '../devices/service.js'
import {requireDevice} from '../store/sqlite/devices.js'
import {requireEmployee} from '../employees/service.js'
import {reresolvePunches} from '../punches/reresolve.js'
import {readSettings} from '../settings/settings.js'

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

export function validateDeviceUserId(value: string): string {
  const id = value.trim()
  if (!id) throw new UsageError('The device user id cannot be empty.', 'invalid_device_user_id')
  if (id.length > 64 || /[\s,;]/.test(id)) {
    throw new UsageError(`Invalid device user id "${value}": expected the id enrolled on the device, such as 42 or 0042 (no spaces).`, 'invalid_device_user_id')
  }
  return id
}

const mappingColumns = {
  id: deviceUserMappings.id,
  deviceUserId: deviceUserMappings.deviceUserId,
  device: devices.serial,
  employeeId: deviceUserMappings.employeeId,
  employeeCode: employees.code,
  employeeName: employees.name,
  createdAt: deviceUserMappings.createdAt,
}

function mappingQuery(store: Store) {
  return store.db
    .select(mappingColumns)
    .from(deviceUserMappings)
    .innerJoin(employees, eq(employees.id, deviceUserMappings.employeeId))
    .leftJoin(devices, eq(devices.id, deviceUserMappings.deviceId))
    .$dynamic()
}

function scopeCondition(scope: MappingScope) {
  return and(
    eq(deviceUserMappings.deviceUserId, scope.deviceUserId),
    scope.deviceId === null ? isNull(deviceUserMappings.deviceId) : eq(deviceUserMappings.deviceId, scope.deviceId),
  )
}

export function findMapping(store: Store, scope: MappingScope): MappingView | undefined {
  return mappingQuery(store).where(scopeCondition(scope)).get()
}

/** Every mapping, global ones first within a device user id. */
export function listMappings(store: Store, options: {employeeCode?: string; device?: string} = {}): MappingView[] {
  let query = mappingQuery(store)
  const conditions = []
  if (options.employeeCode !== undefined) conditions.push(eq(deviceUserMappings.employeeId, requireEmployee(store, options.employeeCode).id))
  if (options.device !== undefined) conditions.push(eq(deviceUserMappings.deviceId, requireDevice(store, options.device).id))
  if (conditions.length > 0) query = query.where(and(...conditions))
  return query
    .orderBy(asc(sql`length(${deviceUserMappings.deviceUserId})`), asc(deviceUserMappings.deviceUserId), sql`${devices.serial} IS NOT NULL`, asc(devices.serial))
    .all()
}

/**
 * Writes (or replaces) one mapping inside the caller's transaction and returns the employee it
 * replaced. Re-resolution of punches is the caller's job, so imports can do it once for all rows.
 */
function upsertMapping(store: Store, scope: MappingScope, employeeId: number, now: number): {previousEmployeeId: number | null; changed: boolean} {
  const existing = store.db.select().from(deviceUserMappings).where(scopeCondition(scope)).get()
  if (existing) {
    if (existing.employeeId === employeeId) return {previousEmployeeId: employeeId, changed: false}
    store.db.update(deviceUserMappings).set({employeeId}).where(eq(deviceUserMappings.id, existing.id)).run()
    return {previousEmployeeId: existing.employeeId, changed: true}
  }
  store.db.insert(deviceUserMappings).values({...scope, employeeId, createdAt: now}).run()
  return {previousEmployeeId: null, changed: true}
}

/**
 * `map add DEVICE_USER_ID EMPLOYEE_CODE [--device SN]`: maps (or re-maps) the device user and moves
 * their stored punches to the employee, in one transaction.
 */
export function addMapping(openStore: () => Store, input: {deviceUserId: string; employeeCode: string; deviceSerial?: string}, now: number): AddMappingResult {
  const deviceUserId = validateDeviceUserId(input.deviceUserId)
  const store = openStore()
  return store.transaction(() => {
    const employee = requireEmployee(store, input.employeeCode)
    const device: Device | null = input.deviceSerial === undefined ? null : requireDevice(store, input.deviceSerial)
    const scope = {deviceUserId, deviceId: device?.id ?? null}
    const {previousEmployeeId, changed} = upsertMapping(store, scope, employee.id, now)
    const previous =
      previousEmployeeId !== null && previousEmployeeId !== employee.id
        ? (store.db.select({code: employees.code, name: employees.name}).from(employees).where(eq(employees.id, previousEmployeeId)).get() ?? null)
        : null
    const reresolved = changed ? reresolvePunches(store, [scope], now).updated : 0
    return {mapping: findMapping(store, scope) as MappingView, previous, reresolved}
  })
}

/** `map remove`: the device user's punches fall back to a global mapping, else to nobody. */
export function removeMapping(openStore: () => Store, input: {deviceUserId: string; deviceSerial?: string}, now: number): {mapping: MappingView; reresolved: number} {
  const deviceUserId = validateDeviceUserId(input.deviceUserId)
  const store = openStore()
  return store.transaction(() => {
    const device = input.deviceSerial === undefined ? null : requireDevice(store, input.deviceSerial)
    const scope = {deviceUserId, deviceId: device?.id ?? null}
    const mapping = findMapping(store, scope)
    if (!mapping) {
      const where = device ? ` on device ${device.serial}` : ' for all devices'
      throw new NotFoundError(`Device user "${deviceUserId}" has no mapping${where}: see attend map list.`)
    }
    store.db.delete(deviceUserMappings).where(eq(deviceUserMappings.id, mapping.id)).run()
    const reresolved = reresolvePunches(store, [scope], now).updated
    return {mapping, reresolved}
  })
}

/**
 * Device user ids in stored punches that resolve to nobody, per device, most punches first, with
 * the name the device has enrolled for them when known.
 */
export function listUnmapped(store: Store, options: {limit?: number} = {}): UnmappedUser[] {
  const siteZone = readSettings(store).timezone
  const punchCount = count().as('punch_count')
  const lastInstant = max(punches.instant).as('last_instant')
  const grouped = store.db
    .select({
      deviceUserId: punches.deviceUserId,
      deviceKey: punches.deviceKey,
      deviceId: punches.deviceId,
      punches: punchCount,
      lastPunchAt: lastInstant,
    })
    .from(punches)
    .where(isNull(punches.employeeId))
    .groupBy(punches.deviceUserId, punches.deviceKey, punches.deviceId)
    .as('grouped')
  let query = store.db
    .select({
      deviceUserId: grouped.deviceUserId,
      deviceKey: grouped.deviceKey,
      deviceId: grouped.deviceId,
      name: deviceUsers.name,
      punches: grouped.punches,
      lastPunchAt: grouped.lastPunchAt,
      timezone: devices.timezone,
    })
    .from(grouped)
    .leftJoin(deviceUsers, and(eq(deviceUsers.deviceId, grouped.deviceId), eq(deviceUsers.deviceUserId, grouped.deviceUserId)))
    .leftJoin(devices, eq(devices.id, grouped.deviceId))
    .orderBy(desc(grouped.punches), desc(grouped.lastPunchAt), asc(grouped.deviceUserId))
    .$dynamic()
  if (options.limit !== undefined) query = query.limit(options.limit)
  return query.all().map(({timezone, ...row}) => ({
    ...row,
    name: row.name ?? null,
    lastPunchAt: Number(row.lastPunchAt),
    lastPunchLocal: DateTime.fromMillis(Number(row.lastPunchAt), {zone: timezone ?? siteZone}).toFormat('yyyy-MM-dd HH:mm'),
  }))
}

/** Runs `fn` and re-resolves the punches of every scope it touched, all in one transaction. */
export function withReresolve<T>(store: Store, now: number, fn: (touch: (scope: MappingScope) => void) => T): T & {reresolved: number} {
  return store.transaction(() => {
    const scopes = new Map<string, MappingScope>()
    const result = fn((scope) => scopes.set(`${scope.deviceId ?? '*'}\u0000${scope.deviceUserId}`, scope))
    const reresolved = scopes.size > 0 ? reresolvePunches(store, [...scopes.values()], now).updated : 0
    return {...result, reresolved}
  })
}

export {upsertMapping}
