import {randomUUID} from 'node:crypto'
import {and, asc, eq} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {devicePulls, devices} from '../../../db/schema.js'
import type {Device} from '../../../devices/service.js'

export type DevicePull = typeof devicePulls.$inferSelect

/** A lease lasts this long unless renewed; a crashed process frees its devices after it. */
export const LEASE_MS = 120_000

/** Long enough to outlast the longest wait of one request, retries included, between renewals. */
export function leaseFor(timeoutMs: number | undefined, retries = 3): number {
  return Math.max(LEASE_MS, 2 * (retries + 1) * (timeoutMs ?? 10_000))
}

export function newLeaseOwner(): string {
  return randomUUID()
}

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

export interface PullOutcome {
  at: number
  error: string | null
  counts?: {recordsRead: number; recordsNew: number; duplicates: number; rejected: number; users: number; durationMs: number}
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

/** The last pull as `devices show` and `--json` present it (no lease internals). */
export interface LastPullView {
  at: number | null
  error: string | null
  lastSuccessAt: number | null
  recordsRead: number | null
  recordsNew: number | null
  duplicates: number | null
  rejected: number | null
  users: number | null
  durationMs: number | null
}

export function lastPullView(store: Store, deviceId: number): LastPullView | null {
  return pullViewOf(lastPull(store, deviceId))
}

/** A `device_pulls` row as listings show it (null before the first pull), on either engine. */
export function pullViewOf(row: DevicePull | undefined): LastPullView | null {
  if (!row || row.lastPullAt === null) return null
  return {
    at: row.lastPullAt,
    error: row.lastError,
    lastSuccessAt: row.lastSuccessAt,
    recordsRead: row.recordsRead,
    recordsNew: row.recordsNew,
    duplicates: row.duplicates,
    rejected: row.rejected,
    users: row.users,
    durationMs: row.durationMs,
  }
}
