import type {Store} from '../db/open.js'
import type {StoredPunch} from './types.js'

/** What every subscriber is told about the transaction its changes belong to. */
export interface PunchEventContext {
  store: Store
  /** "Now" of the change (UTC ms): the engine's pending/absent cut-off, the events' created_at. */
  now: number
  /** The source when every punch shares one, else `mixed`; each punch also names its own. */
  source: string
  /**
   * False for a change that must queue no webhook event (`attend import --no-webhooks`, a
   * historical back-fill): the recompute still runs, the outbox stays silent.
   */
  webhooks: boolean
}

/** A punch whose employee changed (a mapping or an employee code changed): whose days lost it. */
export interface ReassignedPunch extends StoredPunch {
  previousEmployeeId: number | null
}

/**
 * The punch changes of one transaction, by kind. `stored`: rows just inserted; `removed`: rows
 * deleted (`attend punches remove`), as they were; `reassigned`: rows that moved to another employee.
 */
export interface PunchChangeSet {
  stored: readonly StoredPunch[]
  removed: readonly StoredPunch[]
  reassigned: readonly ReassignedPunch[]
}

export type PunchChangeKind = keyof PunchChangeSet

/**
 * Work that must happen with punch changes, inside the transaction that made them, so a punch is
 * never committed without it: the attendance recompute (every kind), the webhook outbox (stored
 * punches become `attendance.created`). A subscriber names the kinds it wants and is called once
 * per transaction (once per group on the server) with all of them, only when there are some.
 * Synchronous: better-sqlite3 transactions cannot await (docs/architecture.md, "Punch events").
 */
export interface PunchSubscriber {
  name: string
  kinds: readonly PunchChangeKind[]
  handle(context: PunchEventContext, changes: PunchChangeSet): void
}

export const noPunchChanges: PunchChangeSet = Object.freeze({stored: [], removed: [], reassigned: []})

/** Hands `changes` to every subscriber that wants one of the kinds present. */
export function publishPunchChanges(context: PunchEventContext, changes: PunchChangeSet, subscribers: readonly PunchSubscriber[]): void {
  for (const subscriber of subscribers) {
    if (subscriber.kinds.some((kind) => changes[kind].length > 0)) subscriber.handle(context, changes)
  }
}
