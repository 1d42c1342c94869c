import {and, asc, eq} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {devicePulls, devices} from '../../../db/schema.js'
import type {Device} from '../../../devices/service.js'
import {LEASE_MS, pullViewOf, type DevicePull, type LastPullView, type PullOutcome} from '../../../agent/lease.js'

/**
 * Takes the device for `owner` until `now + ttlMs`, unless another owner holds an unexpired
 * lease: then returns that lease's end. One statement, so two processes cannot both win.
 */
export function acquireLease(store: Store, deviceId: number, owner: string, now: number, ttlMs = LEASE_MS): {ok: true} | {ok: false; until: number} {
  return store.transaction(() => {
    store.sqlite.prepare('INSERT OR IGNORE INTO device_pulls (device_id) VALUES (?)').run(deviceId)
    const taken = store.sqlite
      .prepare('UPDATE device_pulls SET lease_owner = ?, lease_until = ? WHERE device_id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)')
      .run(owner, now + ttlMs, deviceId, owner, now)
    if (taken.changes === 1) return {ok: true}
    const row = store.sqlite.prepare('SELECT lease_until AS until FROM device_pulls WHERE device_id = ?').get(deviceId) as {until: number}
    return {ok: false, until: row.until}
  })
}

/** Extends a lease still held by `owner`; false when it was lost (expired and taken by another). */
export function renewLease(store: Store, deviceId: number, owner: string, now: number, ttlMs = LEASE_MS): boolean {
  return store.db.update(devicePulls).set({leaseUntil: now + ttlMs}).where(and(eq(devicePulls.deviceId, deviceId), eq(devicePulls.leaseOwner, owner))).run().changes === 1
}

export function releaseLease(store: Store, deviceId: number, owner: string): void {
  store.db.update(devicePulls).set({leaseOwner: null, leaseUntil: null}).where(and(eq(devicePulls.deviceId, deviceId), eq(devicePulls.leaseOwner, owner))).run()
}

/** Keeps the outcome of a pull; a failure keeps the counts of the last pull that worked. */
export function recordPull(store: Store, deviceId: number, outcome: PullOutcome): void {
  const values = outcome.error === null ? {lastPullAt: outcome.at, lastError: null, lastSuccessAt: outcome.at, ...outcome.counts} : {lastPullAt: outcome.at, lastError: outcome.error}
  store.db.insert(devicePulls).values({deviceId, ...values}).onConflictDoUpdate({target: devicePulls.deviceId, set: values}).run()
}

export function lastPull(store: Store, deviceId: number): DevicePull | undefined {
  return store.db.select().from(devicePulls).where(eq(devicePulls.deviceId, deviceId)).get()
}

/** Active agent-mode devices, by serial: what `attend pull` and the server's puller read. */
export function activeAgentDevices(store: Store): Device[] {
  return store.db.select().from(devices).where(and(eq(devices.mode, 'agent'), eq(devices.status, 'active'))).orderBy(asc(devices.serial)).all()
}

export function lastPullView(store: Store, deviceId: number): LastPullView | null {
  return pullViewOf(lastPull(store, deviceId))
}
