/**
 * The status page's reads, run as tasks of the report thread (src/reports/worker/tasks.ts) on its
 * read-only connection: building today's figures for a thousand people never holds the event loop
 * that ingest runs on (docs/architecture.md, "Status page").
 */
import {buildInstance} from '../../attendance/engine/instances.js'
import {isoInstant} from '../../reports/dates.js'
import {addDays} from '../../time/calendar.js'
import type {AttendStore} from '../../store/port.js'
import {LocalClock} from '../../time/local-clock.js'
import {devicesView, feedPunch, inNow, monthView, todayView, type DevicesView, type FeedPunch, type InNowEntry, type MonthView, type TodayView} from './model.js'
import {readDaily, readRegister} from './reads.js'

/** Punches the feed lists at most: the newest arrivals; a backlog uploaded at once shows its end. */
export const FEED_LENGTH = 50

export interface DashboardSnapshot {
  generated_at: string
  /** The server's clock (epoch ms): the page shows "3 min ago" against it, not against its own. */
  now: number
  zone: string
  /** "Now" in site time (ISO with offset): what the page prints as the time of its figures. */
  as_of: string
  title: string
  today: TodayView
  in_now: InNowEntry[]
  /** This month up to today; null when the caller keeps the one it has. */
  month: MonthView | null
  devices: DevicesView
  recent: FeedPunch[]
  /** The highest punch id the snapshot has seen: the live feed goes on from there. */
  cursor: number
}

export interface LiveUpdate {
  now: number
  cursor: number
  /** Punches stored after the cursor asked for, newest first (at most FEED_LENGTH). */
  punches: FeedPunch[]
  devices: DevicesView
}

export async function dashboardSnapshot(store: AttendStore, input: {withMonth: boolean}, now: number): Promise<DashboardSnapshot> {
  const settings = await store.siteSettings.read()
  const zone = settings.timezone
  const clock = LocalClock.for(zone)
  const date = clock.dateOf(now)
  const live = await store.dashboard.live(null, FEED_LENGTH, now)
  const today = await readDaily(store, date, now)
  const yesterdayDate = addDays(date, -1)
  let yesterday = null
  const open = new Set<string>()
  // Whose shift of yesterday is still open now (a night shift): only then is yesterday's daily
  // report read, for who is in.
  const openShifts = (await store.dashboard.shifts()).filter((shift) => buildInstance(clock, yesterdayDate, shift.rule).closesAt > now)
  if (openShifts.length > 0) {
    yesterday = await readDaily(store, yesterdayDate, now)
    const names = new Set(openShifts.map((shift) => shift.name))
    for (const row of yesterday.rows) if (row.shift !== null && names.has(row.shift)) open.add(row.code)
  }
  return {
    generated_at: isoInstant(now),
    now,
    zone,
    as_of: clock.iso(now),
    title: settings.reportTitle,
    today: todayView(today),
    in_now: inNow(today, yesterday, open),
    month: input.withMonth ? monthView(await readRegister(store, `${date.slice(0, 7)}-01`, date, now)) : null,
    devices: devicesView(live.devices, live.refused),
    recent: live.punches.map((punch) => feedPunch(punch, zone)),
    // The feed goes on from the last punch the snapshot saw, read with it.
    cursor: live.lastPunchId,
  }
}

/** What arrived after punch `after`, and the devices as they are now (a short read, every second or two). */
export async function dashboardLive(store: AttendStore, input: {after: number}, now: number): Promise<LiveUpdate> {
  const zone = (await store.siteSettings.read()).timezone
  const live = await store.dashboard.live(input.after, FEED_LENGTH, now)
  return {
    now,
    cursor: Math.max(input.after, live.punches[0]?.id ?? 0),
    punches: live.punches.map((punch) => feedPunch(punch, zone)),
    devices: devicesView(live.devices, live.refused),
  }
}

export const dashboardThreadTasks = {
  'dashboard-snapshot': dashboardSnapshot,
  'dashboard-live': dashboardLive,
}
