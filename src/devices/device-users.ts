import type {deviceUsers} from '../db/schema.js'
import type {DeviceUserRecord} from '../formats/zkteco-operlog.js'
import type {AttendStore} from '../store/port.js'

export type DeviceUser = typeof deviceUsers.$inferSelect

export interface DeviceUserView {
  deviceId: number
  deviceSerial: string
  deviceUserId: string
  name: string | null
  privilege: string | null
  card: string | null
  updatedAt: number
}

/**
 * Stores the users a device reports (ZKTeco OPERLOG USER lines, CAMS user changes), one row per
 * (device, PIN). The device is the authority on its own users, so a re-sent user replaces what was
 * stored; the last line for a PIN in one upload wins. One transaction: stored whole or not at all.
 */
export function upsertDeviceUsers(store: AttendStore, deviceId: number, users: readonly DeviceUserRecord[], now: number): Promise<{created: number; updated: number}> {
  if (users.length === 0) return Promise.resolve({created: 0, updated: 0})
  return store.directory.upsertDeviceUsers(deviceId, users, now)
}

/** Forgets users a device reports it deleted; returns how many were known. */
export function removeDeviceUsers(store: AttendStore, deviceId: number, deviceUserIds: readonly string[]): Promise<number> {
  return store.directory.removeDeviceUsers(deviceId, deviceUserIds)
}

/** Users reported by devices (all devices, or one), ordered by device then user id. */
export function listDeviceUsers(store: AttendStore, filter: {deviceId?: number} = {}): Promise<DeviceUserView[]> {
  return store.directory.listDeviceUsers(filter)
}

/**
 * The name a device gave this user id: the given device's own record first, else any device's
 * (a PIN is usually enrolled under the same name on every terminal of a site).
 */
export function deviceUserName(store: AttendStore, deviceUserId: string, deviceId?: number | null): Promise<string | null> {
  return store.directory.deviceUserName(deviceUserId, deviceId)
}
