import {ConflictError, UsageError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import type {PunchRow} from '../store/punches.js'
import {formatInZone, parseTimestamp, startOfLocalDate} from '../time/parse.js'
import type {PunchDirection} from './types.js'
import {parseDateRange} from '../time/date-input.js'
import {pageRequest, type Page} from '../listing/page.js'

/** A punch as shown to admins: local time in the site zone, who, which way, from where. */
export interface PunchView {
  id: number
  /** UTC instant, ISO 8601. */
  at: string
  /** Wall-clock time in the site zone, `YYYY-MM-DD HH:mm:ss`. */
  localTime: string
  employeeCode: string | null
  employeeName: string | null
  deviceUserId: string
  direction: PunchDirection | null
  device: string
  source: string
  manual: boolean
  note: string | null
  rawStatus: string | null
}

export interface PunchFilter {
  from?: string
  to?: string
  employee?: string
  device?: string
  unmapped?: boolean
  limit?: number
  offset?: number
}

/**
 * `attend punches list`: dates are local dates in the site zone. Pages count back from the newest
 * punch of the range (the first page is the latest 100), and each page is shown oldest first, as a log.
 */
export async function listPunches(store: AttendStore, filter: PunchFilter): Promise<Page & {timezone: string; rows: PunchView[]}> {
  const range = parseDateRange(filter.from, filter.to)
  const page = pageRequest(filter, 100)
  if (filter.unmapped && filter.employee) throw new UsageError('--unmapped and --employee cannot be combined: unmapped punches belong to nobody.', 'invalid_filter')
  const zone = (await store.siteSettings.read()).timezone
  const {total, rows} = await store.punches.list({
    from: range.from ? startOfLocalDate(range.from, zone) : undefined,
    to: range.to ? startOfLocalDate(nextDate(range.to), zone) : undefined,
    employee: filter.employee,
    deviceKey: filter.device?.trim(),
    unmapped: filter.unmapped,
    ...page,
  })
  return {total, ...page, timezone: zone, rows: rows.map((r) => view(r, zone))}
}

export interface ManualPunchInput {
  employeeCode: string
  /** `YYYY-MM-DD HH:MM[:SS]`, site-local. */
  at: string
  direction?: string
  note?: string
}

/**
 * `attend punches add`: a punch typed by an admin (a forgotten check-out), stored through the same
 * pipeline as device punches, flagged manual, against the named employee.
 */
export async function addManualPunch(store: AttendStore, input: ManualPunchInput, now: number): Promise<PunchView> {
  const at = input.at.trim()
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(at)) {
    throw new UsageError(`Invalid --at "${input.at}": expected "YYYY-MM-DD HH:MM" in the site time zone.`, 'invalid_time')
  }
  const time = parseTimestamp(at)
  let direction: PunchDirection | null = null
  if (input.direction !== undefined) {
    const d = input.direction.trim().toLowerCase()
    if (d !== 'in' && d !== 'out') throw new UsageError(`Invalid --direction "${input.direction}": expected in or out.`, 'invalid_direction')
    direction = d
  }
  const added = await store.punches.addManual({employeeCode: input.employeeCode, time, timeText: at, direction, note: input.note?.trim() || null}, now)
  const zone = (await store.siteSettings.read()).timezone
  if (added.duplicateOf) {
    const {id, instant, employeeCode} = added.duplicateOf
    throw new ConflictError(`${employeeCode} already has a manual punch at ${formatInZone(instant, zone, false)}${id ? ` (punch ${id})` : ''}.`)
  }
  return view(added.row, zone)
}

/**
 * `attend punches remove`: deletes a manual punch and publishes it as `removed`, so its day is
 * recomputed without it. Device punches are evidence and are never deleted.
 */
export async function removeManualPunch(store: AttendStore, id: number, now: number): Promise<PunchView> {
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`Invalid punch id "${id}": expected a positive whole number.`, 'invalid_id')
  const row = await store.punches.removeManual(id, now)
  return view(row, (await store.siteSettings.read()).timezone)
}

function view(row: PunchRow, zone: string): PunchView {
  return {
    id: row.id,
    at: new Date(row.instant).toISOString(),
    localTime: formatInZone(row.instant, zone),
    employeeCode: row.employeeCode,
    employeeName: row.employeeName,
    deviceUserId: row.deviceUserId,
    direction: row.direction,
    device: row.deviceKey,
    source: row.source,
    manual: row.manual,
    note: row.note,
    rawStatus: row.rawStatus,
  }
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
