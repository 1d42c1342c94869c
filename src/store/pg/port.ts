import {openPgDatabase} from '../../db/pg/open.js'
import {settingsFromRows} from '../../settings/settings.js'
import type {AttendStore} from '../port.js'
import {pgAgentPulls} from './agent-pulls.js'
import {pgDevicePresence} from './device-presence.js'
import {pgWebhookQueue} from './webhook-queue.js'

/** Connects to the PostgreSQL store at `url` (migrating it first, as every opener does) and gives its port. */
export async function openPgAttendStore(url: string): Promise<AttendStore> {
  const database = await openPgDatabase(url)
  return {
    engine: 'postgres',
    siteSettings: {
      read: async () => settingsFromRows((await database.pool.query<{key: string; value: string}>('SELECT key, value FROM settings')).rows),
    },
    webhookQueue: pgWebhookQueue(database),
    devicePresence: pgDevicePresence(database),
    agentPulls: pgAgentPulls(database),
    close: () => database.close(),
  }
}
