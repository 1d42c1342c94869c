import {randomUUID} from 'node:crypto'

import type {devicePulls} from '../db/schema.js'

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

export interface PullOutcome {
  at: number
  error: string | null
  counts?: {recordsRead: number; recordsNew: number; duplicates: number; rejected: number; users: number; durationMs: number}
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
