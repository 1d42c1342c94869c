import type {LastPullView, PullOutcome} from '../agent/lease.js'

export type {PullOutcome} from '../agent/lease.js'

/**
 * Agent-mode pulls as the puller sees them: a lease per terminal (a terminal serves one client at a
 * time) and the outcome of each pull. A section of the store port (docs/architecture.md, "The store
 * port"): every operation is a whole unit of work, committed when its promise resolves.
 */
export interface AgentPulls {
  /**
   * Takes the device for `owner` until `now + ttlMs` unless another owner holds an unexpired lease
   * (then: that lease's end). Atomic: of any number of processes asking at once, one wins.
   */
  acquireLease(deviceId: number, owner: string, now: number, ttlMs: number): Promise<{ok: true} | {ok: false; until: number}>
  /** Extends a lease `owner` still holds; false when it was lost (expired and taken by another). */
  renewLease(deviceId: number, owner: string, now: number, ttlMs: number): Promise<boolean>
  /** Gives the device up, if `owner` still holds it. */
  releaseLease(deviceId: number, owner: string): Promise<void>
  /** Keeps the outcome of a pull; a failure keeps the counts of the last pull that worked. */
  recordPull(deviceId: number, outcome: PullOutcome): Promise<void>
  /** How the device's last pull went (`attend devices show`); null before the first. */
  lastPull(deviceId: number): Promise<LastPullView | null>
}
