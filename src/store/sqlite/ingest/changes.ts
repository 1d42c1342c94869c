import type {Store} from '../../../db/open.js'
import {publishPunchChanges, type PunchChangeSet, type PunchSubscriber, type ReassignedPunch} from '../../../punches/events.js'
import {defaultPunchSubscribers} from './subscribers.js'
import type {StoredPunch} from '../../../punches/types.js'

/**
 * Punch changes made by several calls that share one transaction, waiting to be published once
 * over all of them before that transaction commits. The server's group commit gives each request
 * one (src/store/sqlite/group-commit.ts): a group of fifty single-punch requests then loads the site
 * context and recomputes once instead of fifty times, and a request whose savepoint rolled back
 * simply never hands its collection over (docs/architecture.md, "Group commit").
 */
export class PunchChanges {
  private readonly set = {stored: [] as StoredPunch[], removed: [] as StoredPunch[], reassigned: [] as ReassignedPunch[]}
  private readonly sources = new Set<string>()

  /** `webhooks: false` — the changes queue no webhook event (see PunchEventContext). */
  constructor(readonly webhooks = true) {}

  stored(punches: readonly StoredPunch[]): void {
    this.add(this.set.stored, punches)
  }

  removed(punches: readonly StoredPunch[]): void {
    this.add(this.set.removed, punches)
  }

  reassigned(punches: readonly ReassignedPunch[]): void {
    this.add(this.set.reassigned, punches)
  }

  get size(): number {
    return this.set.stored.length + this.set.removed.length + this.set.reassigned.length
  }

  private add<T extends StoredPunch>(into: T[], punches: readonly T[]): void {
    for (const punch of punches) {
      into.push(punch)
      this.sources.add(punch.source)
    }
  }

  /**
   * Publishes the changes of every collection to each subscriber once, inside the caller's
   * transaction (once per webhooks setting: a group never mixes them in practice). The context
   * names the source when the punches share one, else `mixed`.
   */
  static publish(store: Store, collections: readonly PunchChanges[], now: number, subscribers: readonly PunchSubscriber[] = defaultPunchSubscribers()): void {
    for (const webhooks of [true, false]) {
      const part = collections.filter((changes) => changes.webhooks === webhooks && changes.size > 0)
      if (part.length === 0) continue
      const merged: PunchChangeSet =
        part.length === 1
          ? part[0].set
          : {
              stored: part.flatMap((changes) => changes.set.stored),
              removed: part.flatMap((changes) => changes.set.removed),
              reassigned: part.flatMap((changes) => changes.set.reassigned),
            }
      const sources = new Set(part.flatMap((changes) => [...changes.sources]))
      publishPunchChanges({store, now, source: sources.size === 1 ? [...sources][0] : 'mixed', webhooks}, merged, subscribers)
    }
  }
}
