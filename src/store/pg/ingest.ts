import type pg from 'pg'

import {affectedDays, changedEmployeeIds, targetsOf} from '../../attendance/compute.js'
import type {PgSite} from './site.js'
import type {PunchChangeSet} from '../../punches/events.js'
import {PunchPreparer, rawExcerpt} from '../../punches/prepare.js'
import type {DeviceRow, EmployeeRow} from '../sqlite/ingest/statements.js'
import type {CanonicalPunch, IngestOptions, IngestOutcome, IngestResult, StoredPunch} from '../../punches/types.js'
import type {SiteSettings} from '../../settings/settings.js'
import {attendanceCreated} from '../../webhooks/payloads.js'
import {queueEvents} from './outbox.js'
import {recomputeTargets, type TargetsResult} from './recompute.js'

const NO_DEVICE = ''

/**
 * What the pipeline reads for a batch, loaded in three queries (devices by serial, whom each
 * device user resolves to, employees by id) and then answered synchronously to the shared checks
 * (PunchPreparer): one round trip per kind, not per punch.
 */
async function loadLookups(client: pg.ClientBase, punches: readonly CanonicalPunch[], options: IngestOptions, settings: SiteSettings): Promise<PunchPreparer> {
  const serials = new Set<string>()
  const ids = new Set<number>()
  for (const punch of punches) {
    const serial = punch.deviceSerial || options.defaultDeviceSerial
    if (serial) serials.add(serial)
    if (punch.employeeId) ids.add(punch.employeeId)
  }
  const devices = new Map<string, DeviceRow>()
  if (serials.size > 0) {
    const {rows} = await client.query<DeviceRow>('SELECT id, serial, direction, timezone, state_map AS "stateMap" FROM devices WHERE serial = ANY($1::text[])', [[...serials]])
    for (const row of rows) devices.set(row.serial, row)
  }
  const wanted = new Map<string, {deviceId: number | null; deviceUserId: string}>()
  for (const punch of punches) {
    if (punch.employeeId || typeof punch.deviceUserId !== 'string') continue
    const serial = punch.deviceSerial || options.defaultDeviceSerial
    const deviceId = serial ? (devices.get(serial)?.id ?? null) : null
    wanted.set(`${deviceId ?? NO_DEVICE}\u0000${punch.deviceUserId}`, {deviceId, deviceUserId: punch.deviceUserId})
  }
  const resolved = new Map<string, EmployeeRow>()
  if (wanted.size > 0) {
    const pairs = [...wanted.values()]
    // Device mapping (rank 1) → global mapping (rank 2) → employee code = device user id (rank 3), as on SQLite.
    const {rows} = await client.query<EmployeeRow & {device: number | null; user: string}>(
      `SELECT q.device, q.user, r.id, r.code, r.name FROM unnest($1::bigint[], $2::text[]) AS q(device, "user")
       CROSS JOIN LATERAL (
         SELECT id, code, name FROM (
           SELECT e.id, e.code, e.name, 1 AS rank FROM device_user_mappings m JOIN employees e ON e.id = m.employee_id
            WHERE m.device_id = q.device AND m.device_user_id = q.user
           UNION ALL
           SELECT e.id, e.code, e.name, 2 AS rank FROM device_user_mappings m JOIN employees e ON e.id = m.employee_id
            WHERE m.device_id IS NULL AND m.device_user_id = q.user
           UNION ALL
           SELECT e.id, e.code, e.name, 3 AS rank FROM employees e WHERE lower(e.code) = lower(q.user)
         ) AS candidates ORDER BY rank LIMIT 1
       ) AS r`,
      [pairs.map((pair) => pair.deviceId), pairs.map((pair) => pair.deviceUserId)],
    )
    for (const row of rows) resolved.set(`${row.device ?? NO_DEVICE}\u0000${row.user}`, {id: row.id, code: row.code, name: row.name})
  }
  const byId = new Map<number, EmployeeRow>()
  if (ids.size > 0) {
    const {rows} = await client.query<EmployeeRow>('SELECT id, code, name FROM employees WHERE id = ANY($1::bigint[])', [[...ids]])
    for (const row of rows) byId.set(row.id, row)
  }
  // Loaded for this batch only: the shared cache of an import run is SQLite's (it keys on SQLite's revisions).
  return new PunchPreparer(
    {
      device: (serial) => devices.get(serial),
      employee: (deviceId, deviceUserId) => resolved.get(`${deviceId ?? NO_DEVICE}\u0000${deviceUserId}`),
      employeeById: (id) => byId.get(id),
      settings: () => settings,
    },
    {...options, cache: undefined},
  )
}

const keyOf = (deviceKey: string, deviceUserId: string, instant: number) => `${deviceKey}\u0000${deviceUserId}\u0000${instant}`

/** Ids of stored punches by dedup key. */
async function storedIds(client: pg.ClientBase, keys: readonly {deviceKey: string; deviceUserId: string; instant: number}[]): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  if (keys.length === 0) return found
  const {rows} = await client.query<{id: number; device_key: string; device_user_id: string; instant: number}>(
    `SELECT p.id, p.device_key, p.device_user_id, p.instant FROM unnest($1::text[], $2::text[], $3::bigint[]) AS k(device_key, device_user_id, instant)
     JOIN punches p ON p.instant = k.instant AND p.device_user_id = k.device_user_id AND p.device_key = k.device_key`,
    [keys.map((k) => k.deviceKey), keys.map((k) => k.deviceUserId), keys.map((k) => k.instant)],
  )
  for (const row of rows) found.set(keyOf(row.device_key, row.device_user_id, row.instant), row.id)
  return found
}

/** A punch the checks accepted, with where it goes. */
interface Accepted {
  index: number
  punch: CanonicalPunch
  deviceKey: string
  deviceId: number | null
  employee: {id: number; code: string; name: string} | null
  instant: number
  offsetMinutes: number | null
  direction: 'in' | 'out' | null
}

const INSERT = `INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, local_time, utc_offset,
    direction, raw_status, raw_verify, work_code, source, scan_id, temperature, mask, confidence, manual, note,
    import_id, received_at, raw)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::int[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::text[], $13::text[], $14::float8[], $15::bool[], $16::float8[], $17::bool[], $18::text[], $19::bigint[],
    $20::bigint[], $21::text[])
  ON CONFLICT DO NOTHING
  RETURNING id, device_key, device_user_id, instant`

/**
 * The pipeline on PostgreSQL, in the caller's transaction: the shared checks (PunchPreparer), one
 * `INSERT … ON CONFLICT DO NOTHING RETURNING` for the batch (a key another transaction is inserting
 * waits for it, then counts as a duplicate: each punch is reported stored once across servers), and
 * the changes published — `attendance.created` queued, then the touched days recomputed under the
 * employees' advisory locks.
 */
export async function pgIngest(
  client: pg.ClientBase,
  punches: readonly CanonicalPunch[],
  options: IngestOptions,
  settings: SiteSettings,
  site: PgSite,
): Promise<IngestResult> {
  const preparer = await loadLookups(client, punches, options, settings)
  const countOnly = options.countOnly === true
  const outcomes: IngestOutcome[] = countOnly ? [] : new Array(punches.length)
  const result: IngestResult = {outcomes, stored: 0, duplicates: 0, rejected: 0, unmapped: 0}
  if (countOnly) result.rejections = []
  const accepted: Accepted[] = []
  punches.forEach((punch, index) => {
    const reason = preparer.prepare(punch)
    if (reason !== null) {
      if (countOnly) result.rejections!.push({index, reason})
      else outcomes[index] = {status: 'rejected', reason}
      result.rejected++
      return
    }
    const p = preparer.prepared
    accepted.push({index, punch, deviceKey: p.deviceKey, deviceId: p.device?.id ?? null, employee: p.employee, instant: p.instant, offsetMinutes: p.offsetMinutes, direction: p.direction})
  })
  if (accepted.length === 0) return result

  const record = (a: Accepted, status: 'stored' | 'duplicate', punchId: number | null) => {
    if (!countOnly) outcomes[a.index] = status === 'stored' ? {status, punchId: punchId!, instant: a.instant, employee: a.employee, deviceKey: a.deviceKey} : {status, punchId, instant: a.instant, employee: a.employee, deviceKey: a.deviceKey}
    if (status === 'stored') {
      result.stored++
      if (a.employee === null) result.unmapped++
    } else result.duplicates++
  }

  if (options.dryRun) {
    const existing = await storedIds(client, accepted.map((a) => ({deviceKey: a.deviceKey, deviceUserId: a.punch.deviceUserId, instant: a.instant})))
    const seen = options.dryRunSeen ?? new Set<string>()
    for (const a of accepted) {
      const key = keyOf(a.deviceKey, a.punch.deviceUserId, a.instant)
      const id = existing.get(key)
      if (id !== undefined) record(a, 'duplicate', id)
      else if (seen.has(key)) record(a, 'duplicate', null)
      else {
        seen.add(key)
        record(a, 'stored', 0)
      }
    }
    return result
  }

  const column = <T>(pick: (a: Accepted) => T) => accepted.map(pick)
  const inserted = await client.query<{id: number; device_key: string; device_user_id: string; instant: number}>(INSERT, [
    column((a) => a.deviceKey), column((a) => a.deviceId), column((a) => a.punch.deviceUserId), column((a) => a.employee?.id ?? null),
    column((a) => a.instant), column((a) => a.punch.timeText), column((a) => a.offsetMinutes), column((a) => a.direction),
    column((a) => a.punch.rawStatus ?? null), column((a) => a.punch.rawVerify ?? null), column((a) => a.punch.workCode ?? null),
    column(() => options.source), column((a) => a.punch.scanId ?? null), column((a) => a.punch.temperature ?? null),
    column((a) => (a.punch.mask === undefined ? null : a.punch.mask)), column((a) => a.punch.confidence ?? null),
    column((a) => a.punch.manual === true), column((a) => a.punch.note ?? null), column(() => options.importId ?? null),
    column(() => options.now), column((a) => rawExcerpt(a.punch.raw)),
  ])
  const fresh = new Map<string, number>()
  for (const row of inserted.rows) fresh.set(keyOf(row.device_key, row.device_user_id, row.instant), row.id)
  const stored: StoredPunch[] = []
  const duplicates: Accepted[] = []
  for (const a of accepted) {
    const key = keyOf(a.deviceKey, a.punch.deviceUserId, a.instant)
    const id = fresh.get(key)
    if (id === undefined) {
      duplicates.push(a)
      continue
    }
    // The first of a key within the batch is the one stored; a repeat is its duplicate.
    fresh.delete(key)
    record(a, 'stored', id)
    stored.push({
      id, deviceKey: a.deviceKey, deviceId: a.deviceId, deviceUserId: a.punch.deviceUserId, employeeId: a.employee?.id ?? null,
      employeeCode: a.employee?.code ?? null, instant: a.instant, offsetMinutes: a.offsetMinutes, direction: a.direction, source: options.source,
    })
  }
  const lookup = !countOnly && options.duplicateIds !== false && duplicates.length > 0
  const twins = lookup ? await storedIds(client, duplicates.map((a) => ({deviceKey: a.deviceKey, deviceUserId: a.punch.deviceUserId, instant: a.instant}))) : undefined
  for (const a of duplicates) record(a, 'duplicate', twins?.get(keyOf(a.deviceKey, a.punch.deviceUserId, a.instant)) ?? null)

  await publishChanges(client, {stored, removed: [], reassigned: []}, options.now, site, options.webhooks !== false)
  return result
}

/**
 * A change set's follow-up work on PostgreSQL, in the caller's transaction (what the punch
 * subscribers do on SQLite): stored punches queue `attendance.created` first, so a receiver hears of
 * a punch before the day it changed; then every day a change can belong to is recomputed.
 */
export async function publishChanges(
  client: pg.ClientBase,
  changes: PunchChangeSet,
  now: number,
  site: PgSite,
  webhooks = true,
): Promise<TargetsResult> {
  if (webhooks && changes.stored.length > 0) await queueEvents(client, changes.stored.map((punch) => attendanceCreated(punch, now)), now)
  const ids = changedEmployeeIds(changes)
  if (ids.length === 0) return {employees: 0, days: 0, changed: 0}
  const context = await site(now, client)
  const {rows} = await client.query<{id: number; department: string | null}>('SELECT id, department FROM employees WHERE id = ANY($1::bigint[])', [ids])
  const employees = new Map(rows.map((row) => [row.id, row]))
  const pairs = affectedDays(context, changes, (id) => employees.get(id)).filter((pair) => pair.date <= context.today)
  return recomputeTargets(client, context, targetsOf(pairs), now, webhooks)
}
