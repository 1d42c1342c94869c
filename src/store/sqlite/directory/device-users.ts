import {and, asc, eq, sql} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {deviceUsers, devices} from '../../../db/schema.js'
import type {DeviceUserView} from '../../../devices/device-users.js'
import type {DeviceUserRecord} from '../../../formats/zkteco-operlog.js'

/**
 * Stores the users a device reports (ZKTeco OPERLOG USER lines), one row per (device, PIN). The
 * device is the authority on its own users, so a re-sent user replaces what was stored; the last
 * line for a PIN in one upload wins. One transaction: a device's upload is stored whole or not at all.
 */
export function upsertDeviceUsers(store: Store, deviceId: number, users: readonly DeviceUserRecord[], now: number): {created: number; updated: number} {
  if (users.length === 0) return {created: 0, updated: 0}
  const latest = new Map<string, DeviceUserRecord>()
  for (const user of users) latest.set(user.deviceUserId, user)
  return store.transaction(() => {
    let created = 0
    let updated = 0
    for (const user of latest.values()) {
      const existing = store.db
        .select({id: deviceUsers.id})
        .from(deviceUsers)
        .where(and(eq(deviceUsers.deviceId, deviceId), eq(deviceUsers.deviceUserId, user.deviceUserId)))
        .get()
      store.db
        .insert(deviceUsers)
        .values({deviceId, deviceUserId: user.deviceUserId, name: user.name, privilege: user.privilege, card: user.card, updatedAt: now})
        .onConflictDoUpdate({
          target: [deviceUsers.deviceId, deviceUsers.deviceUserId],
          set: {name: user.name, privilege: user.privilege, card: user.card, updatedAt: now},
        })
        .run()
      if (existing) updated++
      else created++
    }
    return {created, updated}
  })
}

/** Forgets users a device reports it deleted; returns how many were known. */
export function removeDeviceUsers(store: Store, deviceId: number, deviceUserIds: readonly string[]): number {
  let removed = 0
  for (const deviceUserId of new Set(deviceUserIds)) {
    removed += store.db.delete(deviceUsers).where(and(eq(deviceUsers.deviceId, deviceId), eq(deviceUsers.deviceUserId, deviceUserId))).run().changes
  }
  return removed
}

/** Users reported by devices (all devices, or one), ordered by device then user id. */
export function listDeviceUsers(store: Store, filter: {deviceId?: number} = {}): DeviceUserView[] {
  return store.db
    .select({
      deviceId: deviceUsers.deviceId,
      deviceSerial: devices.serial,
      deviceUserId: deviceUsers.deviceUserId,
      name: deviceUsers.name,
      privilege: deviceUsers.privilege,
      card: deviceUsers.card,
      updatedAt: deviceUsers.updatedAt,
    })
    .from(deviceUsers)
    .innerJoin(devices, eq(devices.id, deviceUsers.deviceId))
    .where(filter.deviceId === undefined ? undefined : eq(deviceUsers.deviceId, filter.deviceId))
    .orderBy(asc(devices.serial), sql`length(${deviceUsers.deviceUserId})`, asc(deviceUsers.deviceUserId))
    .all()
}

/**
 * The name a device gave this user id: the given device's own record first, else any device's
 * (a PIN is usually enrolled under the same name on every terminal of a site).
 */
export function deviceUserName(store: Store, deviceUserId: string, deviceId?: number | null): string | null {
  const rows = store.db
    .select({deviceId: deviceUsers.deviceId, name: deviceUsers.name})
    .from(deviceUsers)
    .where(eq(deviceUsers.deviceUserId, deviceUserId))
    .orderBy(asc(deviceUsers.deviceId))
    .all()
    .filter((row) => row.name !== null)
  return (rows.find((row) => row.deviceId === deviceId) ?? rows[0])?.name ?? null
}
