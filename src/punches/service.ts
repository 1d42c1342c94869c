import type {Store} from '../db/open.js'
import {AttendError, ConflictError, NotFoundError, UsageError} from '../errors.js'
import {readSettings} from '../settings/settings.js'
import {formatInZone, parseTimestamp, startOfLocalDate} from '../time/parse.js'
import {PunchChanges} from './changes.js'
import type {PunchSubscriber} from './events.js'
import {ingestPunches} from './pipeline.js'
import type {PunchDirection, StoredPunch} from './types.js'

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
}

interface PunchRow {
  id: number
  instant: number
  employeeCode: string | null
  employeeName: string | null
  employeeId: number | null
  deviceUserId: string
  direction: PunchDirection | null
  deviceKey: string
  deviceId: number | null
  source: string
  manual: number
  note: string | null
  rawStatus: string | null
}

const SELECT = `SELECT p.id, p.instant, e.code AS employeeCode, e.name AS employeeName, p.employee_id AS employeeId,
  p.device_user_id AS deviceUserId, p.direction, p.device_key AS deviceKey, p.device_id AS deviceId, p.source, p.manual,
  p.note, p.raw_status AS rawStatus
  FROM punches p LEFT JOIN employees e ON e.id = p.employee_id`

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** `attend punches list`: newest last within the range; dates are local dates in the site zone. */
export function listPunches(openStore: () => Store, filter: PunchFilter): {timezone: string; rows: PunchView[]} {
  for (const [flag, value] of [['--from', filter.from], ['--to', filter.to]] as const) {
    if (value !== undefined && !DATE.test(value)) throw new UsageError(`Invalid ${flag} date "${value}": expected YYYY-MM-DD.`, 'invalid_date')
  }
  if (filter.from && filter.to && filter.from > filter.to) throw new UsageError(`--from ${filter.from} is after --to ${filter.to}.`, 'invalid_range')
  if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || filter.limit < 1)) {
    throw new UsageError(`Invalid --limit ${filter.limit}: expected a whole number of 1 or more.`, 'invalid_limit')
  }
  if (filter.unmapped && filter.employee) throw new UsageError('--unmapped and --employee cannot be combined: unmapped punches belong to nobody.', 'invalid_filter')

  const store = openStore()
  const zone = readSettings(store).timezone
  const where: string[] = []
  const params: Array<string | number> = []
  if (filter.from) {
    where.push('p.instant >= ?')
    params.push(startOfLocalDate(filter.from, zone))
  }
  if (filter.to) {
    where.push('p.instant < ?')
    params.push(startOfLocalDate(nextDate(filter.to), zone))
  }
  if (filter.employee) {
    const employee = store.sqlite.prepare('SELECT id FROM employees WHERE code = ? COLLATE NOCASE').get(filter.employee.trim()) as {id: number} | undefined
    if (!employee) throw new NotFoundError(`No employee with code "${filter.employee}".`)
    where.push('p.employee_id = ?')
    params.push(employee.id)
  }
  if (filter.device) {
    where.push('p.device_key = ?')
    params.push(filter.device.trim())
  }
  if (filter.unmapped) where.push('p.employee_id IS NULL')
  const limit = filter.limit ?? 100
  // The newest `limit` punches of the range, shown oldest first like a log.
  const sql = `SELECT * FROM (${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.instant DESC, p.id DESC LIMIT ?) ORDER BY instant, id`
  const rows = store.sqlite.prepare(sql).all(...params, limit) as PunchRow[]
  return {timezone: zone, rows: rows.map((r) => view(r, zone))}
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
export function addManualPunch(openStore: () => Store, input: ManualPunchInput, now: number, subscribers?: readonly PunchSubscriber[]): PunchView {
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
  const store = openStore()
  const employee = store.sqlite.prepare('SELECT id, code FROM employees WHERE code = ? COLLATE NOCASE').get(input.employeeCode.trim()) as
    | {id: number; code: string}
    | undefined
  if (!employee) throw new NotFoundError(`No employee with code "${input.employeeCode}".`)

  const result = ingestPunches(
    store,
    [{deviceUserId: employee.code, employeeId: employee.id, time, timeText: at, direction, manual: true, note: input.note?.trim() || null}],
    {source: 'manual', now, fallbackDeviceKey: 'manual'},
    subscribers,
  )
  const outcome = result.outcomes[0]
  const zone = readSettings(store).timezone
  if (outcome.status === 'rejected') throw new UsageError(outcome.reason, 'invalid_punch')
  if (outcome.status === 'duplicate') {
    throw new ConflictError(`${employee.code} already has a manual punch at ${formatInZone(outcome.instant, zone, false)}${outcome.punchId ? ` (punch ${outcome.punchId})` : ''}.`)
  }
  return view(getRow(store, outcome.punchId) as PunchRow, zone)
}

/**
 * `attend punches remove`: deletes a manual punch and publishes it as `removed`, so its day is
 * recomputed without it. Device punches are evidence and are never deleted.
 */
export function removeManualPunch(openStore: () => Store, id: number, now: number, subscribers?: readonly PunchSubscriber[]): PunchView {
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`Invalid punch id "${id}": expected a positive whole number.`, 'invalid_id')
  const store = openStore()
  const zone = readSettings(store).timezone
  return store.transaction(() => {
    const row = getRow(store, id)
    if (!row) throw new NotFoundError(`No punch with id ${id}.`)
    if (!row.manual) {
      throw new AttendError(`Punch ${id} came from ${row.deviceKey} (source ${row.source}); only manual punches can be removed.`, {
        code: 'not_manual',
      })
    }
    store.sqlite.prepare('DELETE FROM punches WHERE id = ?').run(id)
    const removed: StoredPunch = {
      id: row.id, deviceKey: row.deviceKey, deviceId: row.deviceId, deviceUserId: row.deviceUserId, employeeId: row.employeeId,
      employeeCode: row.employeeCode, instant: row.instant, direction: row.direction, source: row.source,
    }
    const changes = new PunchChanges()
    changes.removed([removed])
    PunchChanges.publish(store, [changes], now, subscribers)
    return view(row, zone)
  })
}

function getRow(store: Store, id: number): PunchRow | undefined {
  return store.sqlite.prepare(`${SELECT} WHERE p.id = ?`).get(id) as PunchRow | undefined
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
    manual: row.manual === 1,
    note: row.note,
    rawStatus: row.rawStatus,
  }
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
