import type {Store} from '../../db/open.js'
import {storeRevision} from '../../db/revisions.js'
import type {Writes} from '../../punches/writes.js'
import {siteSettings} from '../../settings/settings.js'
import type {AttendStore} from '../port.js'
import {sqliteAgentPulls} from './agent-pulls.js'
import {sqliteDashboard} from './dashboard.js'
import {sqliteDevicePresence} from './device-presence.js'
import {sqliteReports} from './reports.js'
import {sqliteWebhookQueue} from './webhook-queue.js'

/** The port over an open SQLite store, its writes through `writes` (the process's group commit). */
export function sqliteAttendStore(store: Store, writes: Writes): AttendStore {
  return {
    engine: 'sqlite',
    location: {engine: 'sqlite', path: store.path},
    revisions: {current: async (scope) => storeRevision(store, scope)},
    siteSettings: {read: async () => siteSettings(store)},
    webhookQueue: sqliteWebhookQueue(store, writes),
    devicePresence: sqliteDevicePresence(store, writes),
    agentPulls: sqliteAgentPulls(store, writes),
    reports: sqliteReports(store),
    dashboard: sqliteDashboard(store, writes),
    close: async () => {},
  }
}
