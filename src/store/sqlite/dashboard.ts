/**
 * The status page's section on SQLite: the live feed's reads in one deferred read transaction, the
 * devices as the device services list them, and the sessions (`dashboard_sessions`) written through
 * the process's group commit.
 */
import {eq, lte} from 'drizzle-orm'

import {lastPullView} from './agent/pull-store.js'
import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {apiKeys, dashboardSessions, shifts} from '../../db/schema.js'
import {listDevicesWithPresence} from './devices/presence-store.js'
import {REFUSED_RECENT_DAYS} from '../../devices/service.js'
import {listRefusedDevices} from './devices.js'
import type {ApiScope} from '../../keys/service.js'
import type {Writes} from './writes.js'
import {shiftInfoOf} from '../../reports/read.js'
import type {ArrivedPunch, DashboardSection, LiveRows} from '../dashboard.js'

export const FEED_COLUMNS = `p.id, p.instant, p.device_key AS "deviceKey", p.device_id AS "deviceId", d.name AS "deviceName",
  p.device_user_id AS "deviceUserId", du.name AS "enrolledName", e.code AS "employeeCode",
  e.name AS "employeeName", e.department, p.direction, p.source, p.manual`

// By id, not by time: the feed shows punches as they arrive, and a backlog a terminal uploads late
// arrives now. The primary key makes this a short range read however big the table is.
export const FEED_FROM = `FROM punches p
  LEFT JOIN devices d ON d.id = p.device_id
  LEFT JOIN employees e ON e.id = p.employee_id
  LEFT JOIN device_users du ON du.device_id = p.device_id AND du.device_user_id = p.device_user_id`

const statements = perConnection((sqlite) => ({
  latest: sqlite.prepare<[number, number]>(`SELECT ${FEED_COLUMNS} ${FEED_FROM} WHERE p.id > ? ORDER BY p.id DESC LIMIT ?`),
  last: sqlite.prepare<[]>('SELECT max(id) FROM punches').pluck(),
}))

export function sqliteDashboard(store: Store, writes: Writes): DashboardSection {
  const live = (afterId: number | null, limit: number, now: number): LiveRows => {
    const s = statements(store)
    const rows = s.latest.all(afterId ?? 0, limit) as (Omit<ArrivedPunch, 'manual'> & {manual: number})[]
    return {
      punches: rows.map((row) => ({...row, manual: row.manual === 1})),
      lastPunchId: (s.last.get() as number | null) ?? 0,
      devices: listDevicesWithPresence(store, now).map((device) => ({device, lastPull: device.mode === 'agent' ? lastPullView(store, device.id) : null})),
      refused: listRefusedDevices(store, now - REFUSED_RECENT_DAYS * 86_400_000),
    }
  }
  return {
    live: async (afterId, limit, now) => store.sqlite.transaction(() => live(afterId, limit, now))(),
    shifts: async () => store.db.select().from(shifts).all().map(shiftInfoOf),
    createSession: (session) =>
      writes.run(() => {
        store.db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, session.createdAt)).run()
        store.db.insert(dashboardSessions).values(session).run()
      }),
    findSession: async (idHash) => {
      const row = store.db
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
        .get()
      return row && {...row, keyScopes: JSON.parse(row.keyScopes) as ApiScope[]}
    },
    extendSession: (idHash, expiresAt) => writes.run(() => void store.db.update(dashboardSessions).set({expiresAt}).where(eq(dashboardSessions.idHash, idHash)).run()),
    deleteSession: (idHash) => writes.run(() => void store.db.delete(dashboardSessions).where(eq(dashboardSessions.idHash, idHash)).run()),
  }
}
