import {and, asc, count, desc, eq, isNull, max, notExists, or, sql} from 'drizzle-orm'
import {DateTime} from 'luxon'

import type {Store} from '../../../db/open.js'
import {deviceUserMappings, deviceUsers, devices, employees, punches} from '../../../db/schema.js'
import {findDeviceBySerial, requireDevice} from '../devices.js'
import {planAutoMap} from '../../../mappings/auto.js'
import {
  missingMapping,
  type AddMappingResult,
  type AutoMapResult,
  type MappingImportOutcome,
  type MappingImportRow,
  type MappingScope,
  type MappingView,
  type UnmappedUser,
} from '../../../mappings/service.js'
import {reresolvePunches} from '../ingest/reresolve.js'
import {readSettings} from '../settings.js'
import {findEmployeeByCode, requireEmployee} from './employees.js'

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

function findMapping(store: Store, scope: MappingScope): MappingView | undefined {
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

export function addMapping(store: Store, input: {deviceUserId: string; employeeCode: string; deviceSerial?: string}, now: number): AddMappingResult {
  return store.transaction(() => {
    const employee = requireEmployee(store, input.employeeCode)
    const device = input.deviceSerial === undefined ? null : requireDevice(store, input.deviceSerial)
    const scope = {deviceUserId: input.deviceUserId, deviceId: device?.id ?? null}
    const {previousEmployeeId, changed} = upsertMapping(store, scope, employee.id, now)
    const previous =
      previousEmployeeId !== null && previousEmployeeId !== employee.id
        ? (store.db.select({code: employees.code, name: employees.name}).from(employees).where(eq(employees.id, previousEmployeeId)).get() ?? null)
        : null
    const reresolved = changed ? reresolvePunches(store, [scope], now).updated : 0
    return {mapping: findMapping(store, scope) as MappingView, previous, reresolved}
  })
}

export function removeMapping(store: Store, input: {deviceUserId: string; deviceSerial?: string}, now: number): {mapping: MappingView; reresolved: number} {
  return store.transaction(() => {
    const device = input.deviceSerial === undefined ? null : requireDevice(store, input.deviceSerial)
    const scope = {deviceUserId: input.deviceUserId, deviceId: device?.id ?? null}
    const mapping = findMapping(store, scope)
    if (!mapping) throw missingMapping(input.deviceUserId, device?.serial ?? null)
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
function withReresolve<T>(store: Store, now: number, fn: (touch: (scope: MappingScope) => void) => T): T & {reresolved: number} {
  return store.transaction(() => {
    const scopes = new Map<string, MappingScope>()
    const result = fn((scope) => scopes.set(`${scope.deviceId ?? '*'}\u0000${scope.deviceUserId}`, scope))
    const reresolved = scopes.size > 0 ? reresolvePunches(store, [...scopes.values()], now).updated : 0
    return {...result, reresolved}
  })
}

/**
 * Device user ids still unmapped: in punches that resolve to nobody, or enrolled on a device
 * (device_users) with neither a global nor a device-specific mapping.
 */
function unmappedIds(store: Store): string[] {
  const fromPunches = store.db.selectDistinct({id: punches.deviceUserId}).from(punches).where(isNull(punches.employeeId)).all()
  const fromDevices = store.db
    .selectDistinct({id: deviceUsers.deviceUserId})
    .from(deviceUsers)
    .where(
      notExists(
        store.db
          .select({id: deviceUserMappings.id})
          .from(deviceUserMappings)
          .where(
            and(
              eq(deviceUserMappings.deviceUserId, deviceUsers.deviceUserId),
              or(isNull(deviceUserMappings.deviceId), eq(deviceUserMappings.deviceId, deviceUsers.deviceId)),
            ),
          ),
      ),
    )
    .all()
  const globallyMapped = store.db.select({id: deviceUserMappings.deviceUserId}).from(deviceUserMappings).where(isNull(deviceUserMappings.deviceId)).all()
  return [...fromPunches, ...fromDevices].map((r) => r.id).filter((id) => !globallyMapped.some((m) => m.id === id))
}

export function autoMap(store: Store, now: number): AutoMapResult {
  return withReresolve(store, now, (touch) => {
    const staff = store.db.select({id: employees.id, code: employees.code, name: employees.name}).from(employees).all()
    const plan = planAutoMap(staff, unmappedIds(store))
    for (const {scope, employeeId} of plan.writes) {
      upsertMapping(store, scope, employeeId, now)
      touch(scope)
    }
    return plan.result
  })
}

export function importMappings(store: Store, rows: readonly MappingImportRow[], now: number): MappingImportOutcome {
  const outcome: MappingImportOutcome = {created: 0, updated: 0, unchanged: 0, rejected: [], reresolved: 0}
  outcome.reresolved = withReresolve(store, now, (touch) => {
    for (const row of rows) {
      const employee = findEmployeeByCode(store, row.employeeCode)
      if (!employee) {
        outcome.rejected.push({line: row.line, reason: `unknown employee code "${row.employeeCode}"`, raw: row.raw})
        continue
      }
      const device = row.device === null ? null : findDeviceBySerial(store, row.device)
      if (device === undefined) {
        outcome.rejected.push({line: row.line, reason: `unknown device serial "${row.device}"`, raw: row.raw})
        continue
      }
      const scope = {deviceUserId: row.deviceUserId, deviceId: device?.id ?? null}
      const {previousEmployeeId, changed} = upsertMapping(store, scope, employee.id, now)
      if (!changed) outcome.unchanged++
      else if (previousEmployeeId === null) outcome.created++
      else outcome.updated++
      if (changed) touch(scope)
    }
    return {}
  }).reresolved
  return outcome
}
