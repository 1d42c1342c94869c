import type {Store} from '../db/open.js'
import {touchDevice, type Device} from '../devices/service.js'

/** last_seen_at is shown to the second; skipping finer updates saves a write per request under load. */
const SEEN_RESOLUTION_MS = 1000

/** Marks the device as seen at `now` unless it already was within the last second. */
export function markDeviceSeen(store: Store, device: Device, now: number): void {
  if (device.lastSeenAt !== null && Math.abs(now - device.lastSeenAt) < SEEN_RESOLUTION_MS) return
  touchDevice(store, device.id, now)
}
