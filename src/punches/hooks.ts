import type {Store} from '../db/open.js'
import type {StoredPunch} from './types.js'

export interface PunchHookContext {
  store: Store
  /** "Now" of the ingest (UTC ms): the engine uses it to tell pending days from absent ones. */
  now: number
  source: string
}

/**
 * Work that must happen with every stored punch, inside the pipeline's transaction, so a punch
 * is never committed without it: recomputing the touched attendance days, queueing webhook
 * events. Hooks are synchronous (better-sqlite3 transactions cannot await).
 */
export interface PunchHook {
  name: string
  /**
   * `punches` are the rows just inserted, or rows whose employee changed after a mapping change
   * (then `previousEmployeeId` says whose days lost them).
   */
  afterStore(context: PunchHookContext, punches: readonly StoredPunch[]): void
}
