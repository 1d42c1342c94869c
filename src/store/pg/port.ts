import {openPgDatabase, type PgDatabase} from '../../db/pg/open.js'
import {settingsFromRows} from '../../settings/settings.js'
import type {AttendStore} from '../port.js'
import {cachedByRevision} from '../revisions.js'
import {pgAgentPulls} from './agent-pulls.js'
import {pgAttendance} from './attendance.js'
import {pgDevicePresence} from './device-presence.js'
import {pgLimits} from './limits.js'
import {pgServing} from './serving.js'
import {pgDirectory} from './directory/index.js'
import {pgDevices} from './devices.js'
import {pgSchedules} from './schedules.js'
import {pgImports} from './imports.js'
import {pgPunches} from './punches.js'
import {pgDashboard} from './dashboard.js'
import {pgReports} from './reports.js'
import {pgRevisions} from './revisions.js'
import {pgSite} from './site.js'
import {pgWebhookQueue} from './webhook-queue.js'
import {pgWebhooks} from './webhooks.js'

/** Connects to the PostgreSQL store at `url` (migrating it first, as every opener does) and gives its port. */
export async function openPgAttendStore(url: string): Promise<AttendStore> {
  const database = await openPgDatabase(url)
  return {...pgAttendStore(database), close: () => database.close()}
}

/**
 * The port over an open PostgreSQL database, whose pool its opener ends. The site settings are kept
 * until the `site` revision moves, so another server's `attend config set` reaches this one's next read.
 */
export function pgAttendStore(database: PgDatabase): AttendStore {
  const revisions = pgRevisions(database)
  const settings = cachedByRevision(revisions, 'site', async () =>
    settingsFromRows((await database.pool.query<{key: string; value: string}>('SELECT key, value FROM settings')).rows),
  )
  const site = pgSite(database, revisions, settings)
  const punches = pgPunches(database, settings, site)
  return {
    engine: 'postgres',
    location: {engine: 'postgres', url: database.url},
    revisions,
    siteSettings: {read: settings},
    webhookQueue: pgWebhookQueue(database),
    webhooks: pgWebhooks(database),
    devicePresence: pgDevicePresence(database),
    agentPulls: pgAgentPulls(database),
    limits: pgLimits(database),
    serving: pgServing(database),
    directory: pgDirectory(database, settings),
    devices: pgDevices(database, settings),
    schedules: pgSchedules(database, settings),
    punches,
    attendance: pgAttendance(database, settings, site),
    imports: pgImports(database, settings, site),
    reports: pgReports(database),
    dashboard: pgDashboard(database),
    close: async () => {},
  }
}
