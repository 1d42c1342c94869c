import type {Store} from '../../db/open.js'
import {storeRevision} from '../../db/revisions.js'
import type {Writes} from './writes.js'
import {siteSettings} from './settings.js'
import type {AttendStore} from '../port.js'
import {sqliteAgentPulls} from './agent-pulls.js'
import {sqliteAttendance} from './attendance.js'
import {sqliteDevicePresence} from './device-presence.js'
import {sqliteLimits} from './limits.js'
import {sqliteServing} from './serving.js'
import {sqliteDirectory} from './directory/index.js'
import {sqliteDevices} from './devices.js'
import {sqliteSchedules} from './schedules/port.js'
import {sqliteImports} from './imports.js'
import {sqlitePunches} from './punches.js'
import {sqliteDashboard} from './dashboard.js'
import {sqliteReports} from './reports.js'
import {sqliteWebhookQueue} from './webhook-queue.js'
import {sqliteWebhooks} from './webhooks.js'

/** The port over an open SQLite store, its writes through `writes` (the process's group commit). */
export function sqliteAttendStore(store: Store, writes: Writes): AttendStore {
  return {
    engine: 'sqlite',
    location: {engine: 'sqlite', path: store.path},
    revisions: {current: async (scope) => storeRevision(store, scope)},
    siteSettings: {read: async () => siteSettings(store)},
    webhookQueue: sqliteWebhookQueue(store, writes),
    webhooks: sqliteWebhooks(store, writes),
    devicePresence: sqliteDevicePresence(store, writes),
    agentPulls: sqliteAgentPulls(store, writes),
    limits: sqliteLimits(store, writes),
    serving: sqliteServing(store),
    directory: sqliteDirectory(store, writes),
    devices: sqliteDevices(store, writes),
    schedules: sqliteSchedules(store, writes),
    punches: sqlitePunches(store, writes),
    attendance: sqliteAttendance(store, writes),
    imports: sqliteImports(store, writes),
    reports: sqliteReports(store),
    dashboard: sqliteDashboard(store, writes),
    close: async () => {},
  }
}
