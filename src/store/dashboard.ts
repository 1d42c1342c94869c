import type {LastPullView} from '../agent/lease.js'
import type {DevicePresenceView} from '../devices/presence-view.js'
import type {RefusedDevice} from '../devices/service.js'
import type {ApiScope} from '../keys/service.js'
import type {ShiftInfo} from '../reports/types.js'

/** A device as the status page shows it. */
export interface DeviceRead {
  /** With its presence at `now`, exactly as `attend devices list` shows it. */
  device: DevicePresenceView
  /** Agent-mode devices: their last pull (`device_pulls`), null before the first. */
  lastPull: LastPullView | null
}

/** A stored punch with who and what it came from, as the live feed shows it. */
export interface ArrivedPunch {
  id: number
  instant: number
  deviceKey: string
  deviceId: number | null
  deviceName: string | null
  deviceUserId: string
  /** The name the device has enrolled for this user, when it reported one (ZKTeco USERINFO, CAMS). */
  enrolledName: string | null
  employeeCode: string | null
  employeeName: string | null
  department: string | null
  direction: 'in' | 'out' | null
  source: string
  manual: boolean
}

/** What the live feed reads every second or two, in one snapshot. */
export interface LiveRows {
  /** Punches stored after the cursor asked for, newest first (at most the limit). */
  punches: ArrivedPunch[]
  /** The highest punch id stored (0 when there is none). */
  lastPunchId: number
  devices: DeviceRead[]
  /** Unregistered serials seen lately (and not registered since), most recent first. */
  refused: RefusedDevice[]
}

export interface StoredSession {
  apiKeyId: number
  keyName: string
  keyScopes: ApiScope[]
  keyRevokedAt: number | null
  createdAt: number
  expiresAt: number
}

/**
 * The status page's section of the store port (docs/architecture.md, "Status page"): its reads
 * besides the reports (the live feed, devices, shifts) and its sessions, kept by the SHA-256 of the
 * session id, never the id itself.
 */
export interface DashboardSection {
  /** The newest punches after punch `afterId` (all when null), devices at `now` and refused serials. */
  live(afterId: number | null, limit: number, now: number): Promise<LiveRows>
  shifts(): Promise<ShiftInfo[]>
  /** Stores a new session, removing the expired ones (of no use to anyone) in the same unit. */
  createSession(session: {idHash: string; apiKeyId: number; createdAt: number; expiresAt: number}): Promise<void>
  /** The session and the API key behind it (revoked or not: the caller decides). */
  findSession(idHash: string): Promise<StoredSession | undefined>
  extendSession(idHash: string, expiresAt: number): Promise<void>
  deleteSession(idHash: string): Promise<void>
}
