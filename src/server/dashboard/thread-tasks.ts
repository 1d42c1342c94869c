/**
 * The status page's reads, run as tasks of the report thread (src/reports/worker/tasks.ts) on its
 * read-only connection: building today's figures for a thousand people never holds the event loop
 * that ingest runs on (docs/architecture.md, "Status page").
 */
import type {Store} from '../../db/open.js'
import {buildInstance} from '../../attendance/engine/instances.js'
import {isoInstant} from '../../reports/dates.js'
import {addDays} from '../../time/calendar.js'
import {LocalClock} from '../../time/local-clock.js'
import {devicesView, feedPunch, inNow, monthView, todayView, type DevicesView, type FeedPunch, type InNowEntry, type MonthView, type TodayView} from './model.js'
import {readArrivedPunches, readDaily, readDevices, readLastPunchId, readRefusedSerials, readRegister, readShifts, readSiteSettings} from './reads.js'

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

function devicesNow(store: Store, now: number): DevicesView {
  return devicesView(readDevices(store, now), readRefusedSerials(store, now))
}

/**
 * Whose shift of yesterday is still open now (a night shift): only then is yesterday's daily
 * report read, for who is in.
 */
function openYesterday(store: Store, zone: string, yesterday: string, now: number): boolean {
  const clock = LocalClock.for(zone)
  return readShifts(store).some((shift) => buildInstance(clock, yesterday, shift.rule).closesAt > now)
}

export function dashboardSnapshot(store: Store, input: {withMonth: boolean}, now: number): DashboardSnapshot {
  const settings = readSiteSettings(store)
  const zone = settings.timezone
  const clock = LocalClock.for(zone)
  const date = clock.dateOf(now)
  const cursor = readLastPunchId(store)
  const today = readDaily(store, date, now)
  const yesterdayDate = addDays(date, -1)
  let yesterday = null
  const open = new Set<string>()
  if (openYesterday(store, zone, yesterdayDate, now)) {
    yesterday = readDaily(store, yesterdayDate, now)
    const shifts = new Map(readShifts(store).map((shift) => [shift.name, shift]))
    for (const row of yesterday.rows) {
      const shift = row.shift === null ? undefined : shifts.get(row.shift)
      if (shift && buildInstance(clock, yesterdayDate, shift.rule).closesAt > now) open.add(row.code)
    }
  }
  return {
    generated_at: isoInstant(now),
    now,
    zone,
    as_of: clock.iso(now),
    title: settings.reportTitle,
    today: todayView(today),
    in_now: inNow(today, yesterday, open),
    month: input.withMonth ? monthView(readRegister(store, `${date.slice(0, 7)}-01`, date, now)) : null,
    devices: devicesNow(store, now),
    recent: readArrivedPunches(store, null, FEED_LENGTH).map((punch) => feedPunch(punch, zone)),
    cursor,
  }
}

/** What arrived after punch `after`, and the devices as they are now (a short read, every second or two). */
export function dashboardLive(store: Store, input: {after: number}, now: number): LiveUpdate {
  const zone = readSiteSettings(store).timezone
  const punches = readArrivedPunches(store, input.after, FEED_LENGTH)
  return {
    now,
    cursor: Math.max(input.after, punches[0]?.id ?? 0),
    punches: punches.map((punch) => feedPunch(punch, zone)),
    devices: devicesNow(store, now),
  }
}

export const dashboardThreadTasks = {
  'dashboard-snapshot': dashboardSnapshot,
  'dashboard-live': dashboardLive,
}
