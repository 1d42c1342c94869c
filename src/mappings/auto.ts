import type {AttendStore} from '../store/port.js'
import type {AutoMapResult, MappingScope} from './service.js'

export type {AutoMapResult} from './service.js'

/** Device user `0042` and code `42` are the same person; so are `emp7` and `EMP7`. */
export function matchKey(id: string): string {
  return id.trim().toLowerCase().replace(/^0+(?=.)/, '')
}

/**
 * What `map auto` does, given the employees and the still-unmapped device user ids: a global
 * mapping for every id that equals exactly one employee code (case-insensitive, leading zeros
 * ignored); ids matching several codes are ambiguous, ids matching none unmatched. Ids are taken
 * shortest first, then in order, once each.
 */
export function planAutoMap(
  staff: readonly {id: number; code: string; name: string}[],
  unmappedIds: readonly string[],
): {writes: {scope: MappingScope; employeeId: number}[]; result: Omit<AutoMapResult, 'reresolved'>} {
  const byKey = new Map<string, {id: number; code: string; name: string}[]>()
  for (const employee of staff) {
    const key = matchKey(employee.code)
    byKey.set(key, [...(byKey.get(key) ?? []), employee])
  }
  const ids = [...new Set(unmappedIds)].sort((a, b) => a.length - b.length || a.localeCompare(b))
  const writes: {scope: MappingScope; employeeId: number}[] = []
  const result: Omit<AutoMapResult, 'reresolved'> = {mapped: [], ambiguous: [], unmatched: []}
  for (const deviceUserId of ids) {
    const matches = byKey.get(matchKey(deviceUserId)) ?? []
    if (matches.length === 0) {
      result.unmatched.push(deviceUserId)
    } else if (matches.length > 1) {
      result.ambiguous.push({deviceUserId, employeeCodes: matches.map((m) => m.code)})
    } else {
      writes.push({scope: {deviceUserId, deviceId: null}, employeeId: matches[0].id})
      result.mapped.push({deviceUserId, employeeCode: matches[0].code, employeeName: matches[0].name})
    }
  }
  return {writes, result}
}

/**
 * `map auto`: a global mapping for every unmapped device user id that equals exactly one employee
 * code (see planAutoMap), then the affected punches move to the employees, in one transaction.
 */
export function autoMap(store: AttendStore, now: number): Promise<AutoMapResult> {
  return store.directory.autoMap(now)
}
