import {recomputeHook} from '../attendance/hook.js'
import type {PunchHook} from './hooks.js'

/**
 * The hooks every ingest runs unless the caller passes its own list. The attendance engine's
 * recompute hook (and later the webhook outbox) is registered here, so every source — import,
 * HTTP, manual — gets the same follow-up work in the same transaction.
 */
export function defaultPunchHooks(): PunchHook[] {
  return [recomputeHook]
}
