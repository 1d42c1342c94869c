import {acquireLease, lastPullView, recordPull, releaseLease, renewLease} from './agent/pull-store.js'
import type {Store} from '../../db/open.js'
import type {Writes} from './writes.js'
import type {AgentPulls} from '../agent-pulls.js'

/**
 * Agent pulls on SQLite: the synchronous repository functions, every write sent through `writes`
 * (the server's group commit, or the CLI's own), so a pull never takes the write lock between the
 * requests' transactions.
 */
export function sqliteAgentPulls(store: Store, writes: Writes): AgentPulls {
  return {
    acquireLease: (deviceId, owner, now, ttlMs) => writes.run(() => acquireLease(store, deviceId, owner, now, ttlMs)),
    renewLease: (deviceId, owner, now, ttlMs) => writes.run(() => renewLease(store, deviceId, owner, now, ttlMs)),
    releaseLease: (deviceId, owner) => writes.run(() => releaseLease(store, deviceId, owner)),
    recordPull: (deviceId, outcome) => writes.run(() => recordPull(store, deviceId, outcome)),
    lastPull: async (deviceId) => lastPullView(store, deviceId),
  }
}
