import {and, eq, isNull, notExists, or} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {deviceUserMappings, deviceUsers, employees, punches} from '../db/schema.js'
import {upsertMapping, withReresolve} from './service.js'

export interface AutoMapResult {
  mapped: {deviceUserId: string; employeeCode: string; employeeName: string}[]
  /** Ids that match more than one employee code (e.g. codes 42 and 042): left for the admin. */
  ambiguous: {deviceUserId: string; employeeCodes: string[]}[]
  /** Unmapped ids that match no employee code. */
  unmatched: string[]
  reresolved: number
}

/** Device user `0042` and code `42` are the same person; so are `emp7` and `EMP7`. */
export function matchKey(id: string): string {
  return id.trim().toLowerCase().replace(/^0+(?=.)/, '')
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
  const globallyMapped = new Set(
    store.db.select({id: deviceUserMappings.deviceUserId}).from(deviceUserMappings).where(isNull(deviceUserMappings.deviceId)).all().map((r) => r.id),
  )
  const ids = new Set([...fromPunches, ...fromDevices].map((r) => r.id).filter((id) => !globallyMapped.has(id)))
  return [...ids].sort((a, b) => a.length - b.length || a.localeCompare(b))
}

/**
 * `map auto`: a global mapping for every unmapped device user id that equals exactly one employee
 * code (case-insensitive, leading zeros ignored), then the affected punches move to the employees.
 */
export function autoMap(openStore: () => Store, now: number): AutoMapResult {
  const store = openStore()
  return withReresolve(store, now, (touch) => {
    const byKey = new Map<string, {id: number; code: string; name: string}[]>()
    for (const employee of store.db.select({id: employees.id, code: employees.code, name: employees.name}).from(employees).all()) {
      const key = matchKey(employee.code)
      byKey.set(key, [...(byKey.get(key) ?? []), employee])
    }
    const result: Omit<AutoMapResult, 'reresolved'> = {mapped: [], ambiguous: [], unmatched: []}
    for (const deviceUserId of unmappedIds(store)) {
      const matches = byKey.get(matchKey(deviceUserId)) ?? []
      if (matches.length === 0) {
        result.unmatched.push(deviceUserId)
      } else if (matches.length > 1) {
        result.ambiguous.push({deviceUserId, employeeCodes: matches.map((m) => m.code)})
      } else {
        const scope = {deviceUserId, deviceId: null}
        upsertMapping(store, scope, matches[0].id, now)
        touch(scope)
        result.mapped.push({deviceUserId, employeeCode: matches[0].code, employeeName: matches[0].name})
      }
    }
    return result
  })
}
