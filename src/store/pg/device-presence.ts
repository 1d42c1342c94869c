import {eq} from 'drizzle-orm'
import {drizzle} from 'drizzle-orm/node-postgres'

import type {PgDatabase} from '../../db/pg/open.js'
import {devices} from '../../db/pg/schema.js'
import {transitionsOnCheck, type PresenceState} from '../../devices/presence.js'
import {presenceEvents} from '../../devices/presence-view.js'
import type {DevicePresence} from '../device-presence.js'
import {queueEvents} from './outbox.js'
import {inTransaction} from './transaction.js'

/**
 * Device presence on PostgreSQL. A sweep takes the lapsed devices' rows `FOR UPDATE SKIP LOCKED`:
 * a device another checker is turning offline right now is left to it, and once it has committed
 * the device is no longer online, so the transition is announced once across servers.
 */
export function pgDevicePresence(database: PgDatabase): DevicePresence {
  return {
    sweep: (now, windowMs) =>
      inTransaction(database.pool, async (client) => {
        const lapsed = await client.query<PresenceState & {id: number}>(
          `SELECT id, presence, last_seen_at AS "lastSeenAt" FROM devices WHERE presence = 'online' AND last_seen_at < $1 ORDER BY id FOR UPDATE SKIP LOCKED`,
          [now - windowMs],
        )
        const db = drizzle(client)
        let changed = 0
        for (const row of lapsed.rows) {
          const transitions = transitionsOnCheck(row, now, windowMs)
          if (transitions.length === 0) continue
          const [device] = await db
            .update(devices)
            .set({presence: 'offline', presenceChangedAt: transitions[0].at})
            .where(eq(devices.id, row.id))
            .returning()
          await queueEvents(client, presenceEvents(device, transitions), now)
          changed++
        }
        return changed
      }),
  }
}
