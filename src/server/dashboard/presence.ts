/**
 * Whether a device is online: seen within the offline window. Until `attend config set
 * device-offline-after` exists, the window is five minutes (docs/architecture.md, "Status page").
 */
export const DEFAULT_OFFLINE_AFTER_MS = 5 * 60_000

export type Presence = 'online' | 'offline'

/** online | offline by the last sighting; null for a device never seen. */
export function presenceAt(lastSeenAt: number | null, now: number, windowMs = DEFAULT_OFFLINE_AFTER_MS): Presence | null {
  if (lastSeenAt === null) return null
  return now - lastSeenAt <= windowMs ? 'online' : 'offline'
}
