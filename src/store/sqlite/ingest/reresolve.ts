import type {Store} from '../../../db/open.js'
import {PunchChanges} from './changes.js'
import type {PunchSubscriber, ReassignedPunch} from '../../../punches/events.js'
import {punchStatements} from './statements.js'
import type {StoredPunch} from '../../../punches/types.js'

export interface ReresolveScope {
  deviceUserId: string
  /** The device a mapping belongs to; null = a global mapping (every device). */
  deviceId: number | null
}

/** A stored punch as read back for re-resolution. */
type PunchRow = StoredPunch

/**
 * After a mapping change, runs employee resolution again for the stored punches of the affected
 * device users and moves the ones whose employee changed, published as `reassigned`: the recompute
 * then redoes the days that gained or lost them. Manual punches name their employee and never move.
 *
 * No index leads with the device user id (the dedup key leads with the instant, docs/architecture.md,
 * "Import"), so the punches of every user in `scope` are found in one pass over the dedup index,
 * which holds the device user id: one scan per change, however many users it names (a mapping
 * file), rather than one per user.
 */
export function reresolvePunches(
  store: Store,
  scope: readonly ReresolveScope[],
  now: number,
  subscribers?: readonly PunchSubscriber[],
): {updated: number} {
  if (scope.length === 0) return {updated: 0}
  return store.transaction(() => {
    const st = punchStatements(store.sqlite)
    // Per device user: every device (a global mapping), or the devices whose mappings changed.
    const wanted = new Map<string, {everyDevice: boolean; devices: Set<number>}>()
    for (const {deviceUserId, deviceId} of scope) {
      let entry = wanted.get(deviceUserId)
      if (!entry) wanted.set(deviceUserId, (entry = {everyDevice: false, devices: new Set()}))
      if (deviceId === null) entry.everyDevice = true
      else entry.devices.add(deviceId)
    }
    const rows = store.sqlite
      .prepare(
        `SELECT id, device_key AS deviceKey, device_id AS deviceId, device_user_id AS deviceUserId,
                employee_id AS employeeId, instant, direction, source
           FROM punches
          WHERE id IN (SELECT id FROM punches WHERE device_user_id IN (SELECT value FROM json_each(?)))
            AND manual = 0
          ORDER BY id`,
      )
      .all(JSON.stringify([...wanted.keys()])) as PunchRow[]
    const update = store.sqlite.prepare('UPDATE punches SET employee_id = ?, device_id = coalesce(device_id, ?) WHERE id = ?')
    const deviceBySerial = store.sqlite.prepare('SELECT id FROM devices WHERE serial = ?')
    const serials = new Map<string, number | null>()

    const changed: ReassignedPunch[] = []
    const resolved = new Map<string, number | null>()
    for (const row of rows) {
      let effectiveDeviceId = row.deviceId
      // A punch stored before its device was registered has no device id yet, only the serial as its key.
      if (effectiveDeviceId === null) {
        if (!serials.has(row.deviceKey)) serials.set(row.deviceKey, (deviceBySerial.get(row.deviceKey) as {id: number} | undefined)?.id ?? null)
        effectiveDeviceId = serials.get(row.deviceKey) ?? null
      }
      const entry = wanted.get(row.deviceUserId)
      if (!entry || (!entry.everyDevice && (effectiveDeviceId === null || !entry.devices.has(effectiveDeviceId)))) continue
      const key = `${effectiveDeviceId ?? ''}\u0000${row.deviceUserId}`
      let employeeId = resolved.get(key)
      if (employeeId === undefined) {
        employeeId = st.resolveEmployee.get({deviceId: effectiveDeviceId, deviceUserId: row.deviceUserId})?.id ?? null
        resolved.set(key, employeeId)
      }
      if (employeeId === row.employeeId) continue
      update.run(employeeId, effectiveDeviceId, row.id)
      changed.push({...row, deviceId: effectiveDeviceId, employeeId, previousEmployeeId: row.employeeId})
    }
    if (changed.length > 0) {
      const changes = new PunchChanges()
      changes.reassigned(changed)
      PunchChanges.publish(store, [changes], now, subscribers)
    }
    return {updated: changed.length}
  })
}
