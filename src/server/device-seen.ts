import type {Store} from '../db/open.js'
import {markDeviceSeen as recordSighting} from '../devices/presence-store.js'
import type {Device} from '../devices/service.js'

/** last_seen_at is shown to the second; skipping finer updates saves a write per request under load. */
const SEEN_RESOLUTION_MS = 1000

/** Whether `device` should be marked seen at `now`: not when it already was within the last second. */
export function seenLongAgo(device: Pick<Device, 'lastSeenAt'>, now: number): boolean {
  return device.lastSeenAt === null || Math.abs(now - device.lastSeenAt) >= SEEN_RESOLUTION_MS
}

/**
 * Marks the device as seen at `now` unless it already was within the last second (agent pulls):
 * a device that was offline comes online (src/devices/presence-store.ts).
 */
export function markDeviceSeen(store: Store, device: Device, now: number): void {
  if (seenLongAgo(device, now)) recordSighting(store, device.id, now)
}
