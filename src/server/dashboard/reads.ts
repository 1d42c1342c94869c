/**
 * Everything the status page reads from the store, and the only place in src/server/dashboard that
 * does. They run on the report thread's read-only connection (docs/architecture.md, "Status page"):
 * the attendance figures come from the report kinds themselves, devices from the device services;
 * only the live punch feed, which lists punches in the order they arrived, has a query of its own.
 */
import type {Statement} from 'better-sqlite3'

import {lastPullView, type LastPullView} from '../../agent/pull-store.js'
import type {Store} from '../../db/open.js'
import {listDevicesWithPresence, type DevicePresenceView} from '../../devices/presence-store.js'
import {REFUSED_RECENT_DAYS, type RefusedDevice} from '../../devices/service.js'
import {listRefusedDevices} from '../../store/sqlite/devices.js'
import {buildReport} from '../../reports/build.js'
import {loadShifts, loadSiteSettings} from '../../reports/load.js'
import type {DailyReport} from '../../reports/models/daily.js'
import type {RegisterReport} from '../../reports/models/register.js'
import type {ShiftInfo} from '../../reports/types.js'
import type {SiteSettings} from '../../settings/settings.js'

/** `attend report daily --date DATE` for everyone: the same model, the same numbers. */
export function readDaily(store: Store, date: string, now: number): DailyReport {
  return buildReport(store, {kind: 'daily', from: date, to: date, employee: null, department: null, generatedAt: null}, now).model
}

/** `attend report register --from FROM --to TO` for everyone. */
export function readRegister(store: Store, from: string, to: string, now: number): RegisterReport {
  return buildReport(store, {kind: 'register', from, to, employee: null, department: null, generatedAt: null}, now).model
}

export function readSiteSettings(store: Store): SiteSettings {
  return loadSiteSettings(store)
}

export function readShifts(store: Store): ShiftInfo[] {
  return [...loadShifts(store).values()]
}

export interface DeviceRead {
  /** With its presence at `now`, exactly as `attend devices list` shows it. */
  device: DevicePresenceView
  /** Agent-mode devices: their last pull (`device_pulls`), null before the first. */
  lastPull: LastPullView | null
}

export function readDevices(store: Store, now: number): DeviceRead[] {
  return listDevicesWithPresence(store, now).map((device) => ({device, lastPull: device.mode === 'agent' ? lastPullView(store, device.id) : null}))
}

export function readRefusedSerials(store: Store, now: number): RefusedDevice[] {
  return listRefusedDevices(store, now - REFUSED_RECENT_DAYS * 86_400_000)
}

/** A stored punch with who and what it came from, as the live feed shows it. */
export interface ArrivedPunch {
  id: number
  instant: number
  deviceKey: string
  deviceId: number | null
  deviceName: string | null
  deviceUserId: string
  /** The name the device has enrolled for this user, when it reported one (ZKTeco USERINFO, CAMS). */
  enrolledName: string | null
  employeeCode: string | null
  employeeName: string | null
  department: string | null
  direction: 'in' | 'out' | null
  source: string
  manual: boolean
}

interface FeedStatements {
  latest: Statement<[number, number]>
  last: Statement<[]>
}

const prepared = new WeakMap<Store['sqlite'], FeedStatements>()

function feedStatements(store: Store): FeedStatements {
  let s = prepared.get(store.sqlite)
  if (!s) {
    s = {
      // By id, not by time: the feed shows punches as they arrive, and a backlog a terminal uploads
      // late arrives now. The primary key makes this a short range read however big the table is.
      latest: store.sqlite.prepare(
        `SELECT p.id, p.instant, p.device_key AS deviceKey, p.device_id AS deviceId, d.name AS deviceName,
                p.device_user_id AS deviceUserId, du.name AS enrolledName, e.code AS employeeCode,
                e.name AS employeeName, e.department, p.direction, p.source, p.manual
           FROM punches p
           LEFT JOIN devices d ON d.id = p.device_id
           LEFT JOIN employees e ON e.id = p.employee_id
           LEFT JOIN device_users du ON du.device_id = p.device_id AND du.device_user_id = p.device_user_id
          WHERE p.id > ?
          ORDER BY p.id DESC
          LIMIT ?`,
      ),
      last: store.sqlite.prepare('SELECT max(id) FROM punches').pluck(),
    }
    prepared.set(store.sqlite, s)
  }
  return s
}

/** The newest punches stored after punch `afterId` (all of them when null), newest first, at most `limit`. */
export function readArrivedPunches(store: Store, afterId: number | null, limit: number): ArrivedPunch[] {
  const rows = feedStatements(store).latest.all(afterId ?? 0, limit) as (Omit<ArrivedPunch, 'manual'> & {manual: number})[]
  return rows.map((row) => ({...row, manual: row.manual === 1}))
}

/** The highest punch id stored (0 when there is none): where the live feed goes on from. */
export function readLastPunchId(store: Store): number {
  return (feedStatements(store).last.get() as number | null) ?? 0
}
