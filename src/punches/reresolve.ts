import type {Store} from '../db/open.js'
import {PunchChanges} from './changes.js'
import type {PunchSubscriber, ReassignedPunch} from './events.js'
import {punchStatements} from './statements.js'
import type {StoredPunch} from './types.js'

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
 */
export function reresolvePunches(
  store: Store,
  scope: readonly ReresolveScope[],
  now: number,
  subscribers?: readonly PunchSubscriber[],
): {updated: number} {
  return store.transaction(() => {
    const st = punchStatements(store.sqlite)
    const columns = `id, device_key AS deviceKey, device_id AS deviceId, device_user_id AS deviceUserId,
      employee_id AS employeeId, instant, direction, source`
    const allDevices = store.sqlite.prepare(`SELECT ${columns} FROM punches WHERE device_user_id = ? AND manual = 0`)
    // A punch stored before its device was registered has no device id yet, only the serial as its key.
    const oneDevice = store.sqlite.prepare(
      `SELECT ${columns} FROM punches WHERE device_user_id = ? AND manual = 0
         AND (device_id = ? OR (device_id IS NULL AND device_key = (SELECT serial FROM devices WHERE id = ?)))`,
    )
    const update = store.sqlite.prepare('UPDATE punches SET employee_id = ?, device_id = coalesce(device_id, ?) WHERE id = ?')
    const deviceBySerial = store.sqlite.prepare('SELECT id FROM devices WHERE serial = ?')

    const changed: ReassignedPunch[] = []
    const done = new Set<number>()
    const resolved = new Map<string, number | null>()
    for (const {deviceUserId, deviceId} of scope) {
      const rows = (deviceId === null ? allDevices.all(deviceUserId) : oneDevice.all(deviceUserId, deviceId, deviceId)) as PunchRow[]
      for (const row of rows) {
        if (done.has(row.id)) continue
        done.add(row.id)
        let effectiveDeviceId = row.deviceId
        if (effectiveDeviceId === null) effectiveDeviceId = (deviceBySerial.get(row.deviceKey) as {id: number} | undefined)?.id ?? null
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
    }
    if (changed.length > 0) {
      const changes = new PunchChanges()
      changes.reassigned(changed)
      PunchChanges.publish(store, [changes], now, subscribers)
    }
    return {updated: changed.length}
  })
}
