/**
 * What the status page shows, computed from report models and store rows: data in, data out, no
 * store and no clock (the caller passes "now"). See docs/architecture.md, "Status page".
 */
import type {LastPullView} from '../../agent/lease.js'
import type {Presence} from '../../devices/presence.js'
import type {DevicePresenceView} from '../../devices/presence-view.js'
import type {RefusedDevice} from '../../devices/service.js'
import {departmentName} from '../../reports/kinds/format.js'
import type {DailyPunch, DailyReport, DailyRow, DailyStatus} from '../../reports/models/daily.js'
import {countCodes, round2} from '../../reports/models/grid.js'
import type {RegisterReport} from '../../reports/models/register.js'
import type {DayCode} from '../../reports/types.js'
import type {HalfOff} from '../../attendance/engine/types.js'
import {addDays} from '../../time/calendar.js'
import {LocalClock} from '../../time/local-clock.js'
import type {ArrivedPunch} from './reads.js'

/** Today's figures: the daily report's status counts, exactly, plus late arrivals and the roll. */
export interface TodayCounts extends Record<DailyStatus, number> {
  /** People on the roll today (the daily report's rows). */
  on_roll: number
  /** Rows whose check-in was late (late_minutes > 0), whatever their status. */
  late: number
  /** Pending rows with a check-in: at work, their shift not over yet. */
  pending_in: number
}

export interface DepartmentCounts extends TodayCounts {
  /** The department, or "No department". */
  name: string
}

export interface TodayView {
  date: string
  counts: TodayCounts
  departments: DepartmentCounts[]
}

const emptyCounts = (): TodayCounts => ({
  on_roll: 0, present: 0, half_day: 0, late: 0, absent: 0, leave: 0, pending: 0, pending_in: 0, holiday: 0, weekly_off: 0,
})

function count(into: TodayCounts, row: DailyRow): void {
  into.on_roll++
  into[row.status]++
  if (row.late_minutes > 0) into.late++
  if (row.status === 'pending' && row.check_in !== null) into.pending_in++
}

/** The daily report's counts, whole and per department (in the report's department order). */
export function todayView(report: DailyReport): TodayView {
  const counts = emptyCounts()
  const departments: DepartmentCounts[] = []
  for (const row of report.rows) {
    const name = departmentName(row.department)
    let department = departments.at(-1)
    if (!department || department.name !== name) departments.push((department = {name, ...emptyCounts()}))
    count(counts, row)
    count(department, row)
  }
  return {date: report.date, counts, departments}
}

export interface InNowEntry {
  code: string
  name: string
  department: string | null
  shift: string | null
  /** The first punch of the attendance day the person is in on (site-local ISO with offset). */
  since: string
  /** Their last punch: site-local ISO with offset, and the device it came from. */
  last_punch: string
  device: string
}

/**
 * Whether the punches the engine counted leave the person in: the last one says `in`, or, from a
 * terminal that does not say (auto direction), an odd number of punches so far.
 */
export function checkedIn(punches: readonly DailyPunch[]): DailyPunch | null {
  const counted = punches.filter((p) => !p.ignored)
  const last = counted.at(-1)
  if (!last) return null
  if (last.direction === 'in') return last
  if (last.direction === 'out') return null
  return counted.length % 2 === 1 ? last : null
}

/**
 * Who is in now: people whose last counted punch of today's attendance day checks them in, and
 * people still on yesterday's shift (a night shift) whose last punch checks them in. `openYesterday`
 * holds the codes whose shift of yesterday had not closed by "now".
 */
export function inNow(today: DailyReport, yesterday: DailyReport | null, openYesterday: ReadonlySet<string>): InNowEntry[] {
  const entries: InNowEntry[] = []
  const seen = new Set<string>()
  const add = (row: DailyRow) => {
    const last = checkedIn(row.punches)
    if (!last || seen.has(row.code)) return
    seen.add(row.code)
    const first = row.punches.find((p) => !p.ignored) ?? last
    entries.push({code: row.code, name: row.name, department: row.department, shift: row.shift, since: first.time, last_punch: last.time, device: last.device})
  }
  for (const row of yesterday?.rows ?? []) if (openYesterday.has(row.code)) add(row)
  for (const row of today.rows) {
    // Today's own punches say more than yesterday's shift once there are any.
    if (seen.has(row.code) && row.punches.some((p) => !p.ignored)) {
      seen.delete(row.code)
      entries.splice(entries.findIndex((e) => e.code === row.code), 1)
    }
    add(row)
  }
  return entries.sort((a, b) => (a.department ?? '\uffff').localeCompare(b.department ?? '\uffff') || a.name.localeCompare(b.name) || a.code.localeCompare(b.code))
}

export interface MonthDay {
  date: string
  /** Present ÷ (present + absent) × 100, two decimals, as the summary counts it; null with nobody due. */
  percent: number | null
  present: number
  /** People due that day (present + absent, half days and half days off counting half). */
  due: number
}

export interface MonthView {
  /** `YYYY-MM` */
  month: string
  /** The register read: the 1st to today. */
  from: string
  to: string
  /** Days in the calendar month: the chart keeps a place for the days to come. */
  days_in_month: number
  days: MonthDay[]
}

/** The last day of a `YYYY-MM` month. */
export function monthEnd(month: string): string {
  const [year, number] = month.split('-').map(Number)
  const next = number === 12 ? `${year + 1}-01-01` : `${year}-${String(number + 1).padStart(2, '0')}-01`
  return addDays(next, -1)
}

/**
 * Attendance % per day of the register: the summary's rules (a half day is half present, leave,
 * holidays, weekly offs and pending days are not due) applied to each day's column.
 */
export function monthView(register: RegisterReport): MonthView {
  const rows = register.groups.flatMap((group) => group.rows)
  const days = register.dates.map(({date}, i): MonthDay => {
    const codes: DayCode[] = []
    const halves: (HalfOff | null)[] = []
    for (const row of rows) {
      codes.push(row.days[i])
      halves.push(row.half_off[i])
    }
    const counts = countCodes(codes, halves)
    const due = counts.present + counts.absent
    return {date, percent: due > 0 ? round2((counts.present / due) * 100) : null, present: counts.present, due}
  })
  const month = register.start_date.slice(0, 7)
  return {month, from: register.start_date, to: register.end_date, days_in_month: Number(monthEnd(month).slice(8)), days}
}

export interface DeviceStatus {
  serial: string
  name: string
  location: string | null
  mode: DevicePresenceView['mode']
  /** active | inactive: whether attend accepts its punches. */
  status: DevicePresenceView['status']
  /** online | offline as `attend devices list` says it (the site's device-offline-after); null when never seen. */
  presence: Presence | null
  last_seen_at: string | null
  /** Agent mode: the last pull, null before the first (and for push devices). */
  last_pull: {at: string; ok: boolean; error: string | null; records_new: number | null; records_read: number | null; last_success_at: string | null} | null
}

export interface RefusedSerial {
  serial: string
  attempts: number
  first_seen_at: string
  last_seen_at: string
  route: string | null
  remote_address: string | null
}

export interface DevicesView {
  devices: DeviceStatus[]
  /** The most recently refused serials (at most REFUSED_SHOWN). */
  refused: RefusedSerial[]
  /** How many were refused in the period, shown or not. */
  refused_total: number
}

/** Refused serials the page lists; the rest are counted (attend devices list shows them all). */
export const REFUSED_SHOWN = 20

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Devices with their presence already decided by the device services (src/store/sqlite/devices/presence-store.ts). */
export function devicesView(rows: readonly {device: DevicePresenceView; lastPull: LastPullView | null}[], refused: readonly RefusedDevice[]): DevicesView {
  return {
    devices: rows.map(({device, lastPull}) => ({
      serial: device.serial,
      name: device.name,
      location: device.location,
      mode: device.mode,
      status: device.status,
      presence: device.presence,
      last_seen_at: isoOrNull(device.lastSeenAt),
      last_pull:
        lastPull?.at == null
          ? null
          : {
              at: new Date(lastPull.at).toISOString(),
              ok: lastPull.error === null,
              error: lastPull.error,
              records_new: lastPull.recordsNew,
              records_read: lastPull.recordsRead,
              last_success_at: isoOrNull(lastPull.lastSuccessAt),
            },
    })),
    refused_total: refused.length,
    refused: refused.slice(0, REFUSED_SHOWN).map((r) => ({
      serial: r.serial,
      attempts: r.attempts,
      first_seen_at: new Date(r.firstSeenAt).toISOString(),
      last_seen_at: new Date(r.lastSeenAt).toISOString(),
      route: r.route,
      remote_address: r.remoteAddress,
    })),
  }
}

export interface FeedPunch {
  id: number
  /** Site-local ISO instant with offset. */
  time: string
  employee: {code: string; name: string; department: string | null} | null
  device_user_id: string
  /** The name the terminal has enrolled for an unmapped user, when known. */
  enrolled_name: string | null
  /** The device serial (or the source key, such as `manual`, for punches without a device). */
  device: string
  device_name: string | null
  /** `push-log`, `iclock`, `agent`, `import`, `manual`, … */
  source: string
  direction: 'in' | 'out' | null
  manual: boolean
  /** For an unmapped device user: the command that maps them (the employee code to fill in). */
  map_command: string | null
}

/** POSIX single quotes, only when needed: one rule, so no library (ids are ≤ 64 characters). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/** `attend map add 42 EMPLOYEE_CODE --device CDQ9192960002`: for one registered device, else for all. */
export function mapCommand(punch: Pick<ArrivedPunch, 'deviceUserId' | 'deviceId' | 'deviceKey'>): string {
  const device = punch.deviceId === null ? '' : ` --device ${shellWord(punch.deviceKey)}`
  return `attend map add ${shellWord(punch.deviceUserId)} EMPLOYEE_CODE${device}`
}

/** Sources as stored (`http:push-log`) are shown without the transport. */
export function sourceLabel(source: string): string {
  return source.startsWith('http:') ? source.slice(5) : source
}

export function feedPunch(punch: ArrivedPunch, zone: string): FeedPunch {
  const mapped = punch.employeeCode !== null && punch.employeeName !== null
  return {
    id: punch.id,
    time: LocalClock.for(zone).iso(punch.instant),
    employee: mapped ? {code: punch.employeeCode!, name: punch.employeeName!, department: punch.department} : null,
    device_user_id: punch.deviceUserId,
    enrolled_name: punch.enrolledName,
    device: punch.deviceKey,
    device_name: punch.deviceName,
    source: sourceLabel(punch.source),
    direction: punch.direction,
    manual: punch.manual,
    map_command: mapped ? null : mapCommand(punch),
  }
}
