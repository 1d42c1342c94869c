import type {Store} from '../db/open.js'
import {defaultPunchHooks} from './default-hooks.js'
import type {PunchHook} from './hooks.js'
import type {StoredPunch} from './types.js'

/**
 * Punches stored by several pipeline calls that share one transaction, waiting for the hooks to
 * run once over all of them before that transaction commits. The server's group commit gives each
 * request one (src/server/group-commit.ts): a group of fifty single-punch requests then loads the
 * site context and recomputes once instead of fifty times, and a request whose savepoint rolled
 * back simply never hands its collection over (docs/architecture.md, "Group commit").
 */
export class PunchChanges {
  private readonly collected: StoredPunch[] = []
  private readonly sources = new Set<string>()

  add(punches: readonly StoredPunch[]): void {
    for (const punch of punches) {
      this.collected.push(punch)
      this.sources.add(punch.source)
    }
  }

  get size(): number {
    return this.collected.length
  }

  /**
   * Runs each hook once over the punches of every collection, inside the caller's transaction.
   * The hook context names the source when the punches share one, else `mixed`.
   */
  static runHooks(store: Store, collections: readonly PunchChanges[], now: number, hooks: readonly PunchHook[] = defaultPunchHooks()): void {
    const punches = collections.flatMap((changes) => changes.collected)
    if (punches.length === 0) return
    const sources = new Set(collections.flatMap((changes) => [...changes.sources]))
    const context = {store, now, source: sources.size === 1 ? [...sources][0] : 'mixed'}
    for (const hook of hooks) hook.afterStore(context, punches)
  }
}
