/**
 * Device presence, as data: a device is online while it has been seen (any request, heartbeat,
 * ADMS poll, agent pull) within the offline delay, and offline after. The store keeps the presence
 * it last announced; these functions say which transitions an observation makes, each announced
 * once by `device.status_changed` (docs/architecture.md, "Device presence"). Pure: the clock is an
 * argument, so tests walk a device through a day in microseconds.
 */

export type Presence = 'online' | 'offline'

export interface PresenceState {
  /** The presence last announced; null when the device was never seen. */
  presence: Presence | null
  lastSeenAt: number | null
}

export interface PresenceTransition {
  from: Presence | null
  to: Presence
  /** When it happened: going offline happens when the window ran out, not when someone noticed. */
  at: number
}

/** Default offline delay: a ZKTeco polls every 10–30 s and a CAMS device heartbeats every minute. */
export const DEFAULT_OFFLINE_AFTER_MINUTES = 5

function lapsed(state: PresenceState, now: number, windowMs: number): boolean {
  return state.presence === 'online' && state.lastSeenAt !== null && now - state.lastSeenAt > windowMs
}

/**
 * The device was seen at `now`. An online device within its window: nothing. An offline or
 * never-seen one comes online. One that was online but whose window ran out unnoticed (no server
 * was checking) went offline at the end of its window, and is back now: both are announced.
 */
export function transitionsOnSeen(state: PresenceState, now: number, windowMs: number): PresenceTransition[] {
  if (lapsed(state, now, windowMs)) {
    return [
      {from: 'online', to: 'offline', at: state.lastSeenAt! + windowMs},
      {from: 'offline', to: 'online', at: now},
    ]
  }
  if (state.presence === 'online') return []
  return [{from: state.presence, to: 'online', at: now}]
}

/** A periodic check at `now`: an online device not seen within its window has gone offline. */
export function transitionsOnCheck(state: PresenceState, now: number, windowMs: number): PresenceTransition[] {
  return lapsed(state, now, windowMs) ? [{from: 'online', to: 'offline', at: state.lastSeenAt! + windowMs}] : []
}

/** What a listing shows at `now`, from the last sighting alone (whether or not a check has run). */
export function presenceAt(lastSeenAt: number | null, now: number, windowMs: number): Presence | null {
  if (lastSeenAt === null) return null
  return now - lastSeenAt > windowMs ? 'offline' : 'online'
}

/** `just now`, `40 s ago`, `3 min ago`, `2 h ago`, `5 days ago`; `never` for null. */
export function relativeTime(ms: number | null, now: number): string {
  if (ms === null) return 'never'
  const seconds = Math.round((now - ms) / 1000)
  if (seconds < 0) return seconds > -60 ? 'just now' : `in ${describeSpan(-seconds)}`
  if (seconds < 10) return 'just now'
  return `${describeSpan(seconds)} ago`
}

function describeSpan(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h`
  const days = Math.floor(hours / 24)
  return `${days} day${days === 1 ? '' : 's'}`
}
