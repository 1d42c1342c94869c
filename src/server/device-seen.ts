import type {Device} from '../devices/service.js'
import type {DevicesSection} from '../store/devices.js'

/** last_seen_at is shown to the second; skipping finer updates saves a write per request under load. */
const SEEN_RESOLUTION_MS = 1000

/** Whether `device` should be marked seen at `now`: not when it already was within the last second. */
export function seenLongAgo(device: Pick<Device, 'lastSeenAt'>, now: number): boolean {
  return device.lastSeenAt === null || Math.abs(now - device.lastSeenAt) >= SEEN_RESOLUTION_MS
}

/**
 * Marks the device as seen at `now` unless it already was within the last second (agent pulls and
 * probes), without being waited for: a device that was offline comes online. A failure is reported
 * to `onError`, never thrown at the pull that saw the device.
 */
export function markDeviceSeen(devices: DevicesSection, device: Device, now: number, onError: (error: unknown) => void = () => {}): void {
  if (seenLongAgo(device, now)) devices.markSeen(device.id, now).catch(onError)
}
