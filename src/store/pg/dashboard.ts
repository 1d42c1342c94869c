/**
 * The status page's section on PostgreSQL: the live feed's reads in one read-only REPEATABLE READ
 * snapshot, and the sessions (`dashboard_sessions`) each in a short transaction of their own.
 * Devices are listed and their presence worked out as `attend devices list` does on SQLite.
 */
import {asc, desc, eq, inArray, lte, sql} from 'drizzle-orm'
import {drizzle} from 'drizzle-orm/node-postgres'

import {pullViewOf, type DevicePull} from '../../agent/lease.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {apiKeys, dashboardSessions, devicePulls, devices, refusedDevices, shifts} from '../../db/pg/schema.js'
import {presenceAt} from '../../devices/presence.js'
import {REFUSED_RECENT_DAYS, toDeviceView, type Device, type RefusedDevice} from '../../devices/service.js'
import type {ApiScope} from '../../keys/service.js'
import {shiftInfoOf} from '../../reports/read.js'
import {settingsFromRows} from '../../settings/settings.js'
import type {ShiftRow} from '../../shifts/rule.js'
import type {ArrivedPunch, DashboardSection} from '../dashboard.js'
import {FEED_COLUMNS, FEED_FROM} from '../sqlite/dashboard.js'
import {inSnapshot, inTransaction} from './transaction.js'

export function pgDashboard(database: PgDatabase): DashboardSection {
  return {
    live: (afterId, limit, now) =>
      inSnapshot(database.pool, async (client) => {
        const db = drizzle(client)
        const punches = await client.query<ArrivedPunch>(`SELECT ${FEED_COLUMNS} ${FEED_FROM} WHERE p.id > $1 ORDER BY p.id DESC LIMIT $2`, [afterId ?? 0, limit])
        const last = await client.query<{max: number | null}>('SELECT max(id) AS max FROM punches')
        const settings = settingsFromRows((await client.query<{key: string; value: string}>('SELECT key, value FROM settings')).rows)
        const windowMs = settings.deviceOfflineAfterMinutes * 60_000
        // By serial in code-point order, as SQLite sorts text.
        const listed = (await db.select().from(devices).orderBy(sql`${devices.serial} COLLATE "C"`)) as unknown as Device[]
        const agents = listed.filter((device) => device.mode === 'agent').map((device) => device.id)
        const pulls = agents.length === 0 ? [] : ((await db.select().from(devicePulls).where(inArray(devicePulls.deviceId, agents))) as unknown as DevicePull[])
        const pullOf = new Map(pulls.map((pull) => [pull.deviceId, pull]))
        const refused = (await db
          .select()
          .from(refusedDevices)
          .where(sql`${refusedDevices.lastSeenAt} >= ${now - REFUSED_RECENT_DAYS * 86_400_000} AND ${refusedDevices.serial} NOT IN (SELECT serial FROM devices)`)
          .orderBy(desc(refusedDevices.lastSeenAt), asc(refusedDevices.serial))) as RefusedDevice[]
        return {
          punches: punches.rows,
          lastPunchId: last.rows[0]?.max ?? 0,
          devices: listed.map((device) => ({
            device: {...toDeviceView(device), presence: presenceAt(device.lastSeenAt, now, windowMs)},
            lastPull: device.mode === 'agent' ? pullViewOf(pullOf.get(device.id)) : null,
          })),
          refused,
        }
      }),
    shifts: async () => ((await drizzle(database.pool).select().from(shifts)) as ShiftRow[]).map(shiftInfoOf),
    createSession: (session) =>
      inTransaction(database.pool, async (client) => {
        const db = drizzle(client)
        await db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, session.createdAt))
        await db.insert(dashboardSessions).values(session)
      }),
    findSession: async (idHash) => {
      const [row] = await drizzle(database.pool)
        .select({
          apiKeyId: dashboardSessions.apiKeyId,
          keyName: apiKeys.name,
          keyScopes: apiKeys.scopes,
          keyRevokedAt: apiKeys.revokedAt,
          createdAt: dashboardSessions.createdAt,
          expiresAt: dashboardSessions.expiresAt,
        })
        .from(dashboardSessions)
        .innerJoin(apiKeys, eq(apiKeys.id, dashboardSessions.apiKeyId))
        .where(eq(dashboardSessions.idHash, idHash))
      return row && {...row, keyScopes: JSON.parse(row.keyScopes) as ApiScope[]}
    },
    extendSession: async (idHash, expiresAt) => {
      await drizzle(database.pool).update(dashboardSessions).set({expiresAt}).where(eq(dashboardSessions.idHash, idHash))
    },
    deleteSession: async (idHash) => {
      await drizzle(database.pool).delete(dashboardSessions).where(eq(dashboardSessions.idHash, idHash))
    },
  }
}
