import type {Store} from '../../../db/open.js'
import {storeRevision} from '../../../db/revisions.js'
import {siteSettings} from '../settings.js'
import {PunchChanges} from './changes.js'
import type {PunchSubscriber} from '../../../punches/events.js'
import {PunchPreparer, rawExcerpt, type IngestLookups} from '../../../punches/prepare.js'
import {punchStatements} from './statements.js'
import type {CanonicalPunch, IngestOptions, IngestOutcome, IngestResult, ResolvedEmployee, StoredPunch} from '../../../punches/types.js'

export {newIngestCache} from '../../../punches/prepare.js'

/**
 * The one way a punch gets stored, whatever its source. In one synchronous transaction: apply the
 * input policy (lengths, future margin), resolve the device and the employee, turn wall-clock time
 * into an instant, insert with the dedup key (device key, device user id, instant) so retries and
 * re-imports are no-ops, and publish the rows just stored to the punch subscribers (webhook outbox,
 * attendance recompute) — or, with `options.changes`, hand them to the caller's transaction, which
 * publishes once for all its calls. Outcomes are in input order.
 *
 * A scan id (worker attendance API) is kept with the punch but is not a dedup key: it names a scan only together
 * with (device key, user, instant). A terminal that reuses a scan id for another person or another
 * time has made a new punch, which is stored, never answered "already recorded" and dropped.
 */
export function ingestPunches(
  store: Store,
  punches: readonly CanonicalPunch[],
  options: IngestOptions,
  subscribers?: readonly PunchSubscriber[],
): IngestResult {
  const run = (): IngestResult => ingestInTransaction(store, punches, options, subscribers)
  return options.dryRun || options.changes ? run() : store.transaction(run)
}

/**
 * ingestPunches for a caller that holds the write transaction itself (an import writing in
 * time-bounded slices): no savepoint of its own — SQLite copies every page a savepoint touches into
 * its journal, a quarter of a bulk load's time — so a failure rolls back the caller's whole
 * transaction instead of this call alone.
 */
export function ingestPunchesInTransaction(
  store: Store,
  punches: readonly CanonicalPunch[],
  options: IngestOptions,
  subscribers?: readonly PunchSubscriber[],
): IngestResult {
  if (!store.sqlite.inTransaction) throw new Error('ingestPunchesInTransaction needs an open write transaction.')
  return ingestInTransaction(store, punches, options, subscribers)
}

function ingestInTransaction(store: Store, punches: readonly CanonicalPunch[], options: IngestOptions, subscribers: readonly PunchSubscriber[] | undefined): IngestResult {
  const st = punchStatements(store.sqlite)
  const context = sqlitePreparer(store, options)
  const countOnly = options.countOnly === true
  const outcomes: IngestOutcome[] = countOnly ? [] : new Array(punches.length)
  const stored: StoredPunch[] = []
  const result: IngestResult = {outcomes, stored: 0, duplicates: 0, rejected: 0, unmapped: 0}
  if (countOnly) result.rejections = []
  const seen = options.dryRun ? (options.dryRunSeen ?? new Set<string>()) : undefined
  const lookupIds = options.duplicateIds !== false
  const collect = subscribers === undefined || subscribers.length > 0 || options.changes !== undefined
  const {source, now} = options
  const importId = options.importId ?? null
  // The context's one scratch record, overwritten by every prepare() (no object per punch).
  const prepared = context.prepared

  for (let i = 0; i < punches.length; i++) {
    const punch = punches[i]
    const reason = context.prepare(punch)
    if (reason !== null) {
      if (countOnly) result.rejections!.push({index: i, reason})
      else outcomes[i] = {status: 'rejected', reason}
      result.rejected++
      continue
    }
    const {deviceKey, device, employee, instant, offsetMinutes, direction} = prepared

    if (seen) {
      const existing = dryRunDuplicate(st, seen, deviceKey, punch, instant)
      if (existing !== false) {
        if (!countOnly) outcomes[i] = {status: 'duplicate', punchId: existing, instant, employee, deviceKey}
        result.duplicates++
      } else {
        if (!countOnly) outcomes[i] = {status: 'stored', punchId: 0, instant, employee, deviceKey}
        result.stored++
        if (!employee) result.unmapped++
      }
      continue
    }

    const deviceId = device === undefined ? null : device.id
    const employeeId = employee === null ? null : employee.id
    const info = st.insertPunch.run(
      deviceKey,
      deviceId,
      punch.deviceUserId,
      employeeId,
      instant,
      punch.timeText,
      offsetMinutes,
      direction,
      punch.rawStatus ?? null,
      punch.rawVerify ?? null,
      punch.workCode ?? null,
      source,
      punch.scanId ?? null,
      punch.temperature ?? null,
      punch.mask === undefined || punch.mask === null ? null : punch.mask ? 1 : 0,
      punch.confidence ?? null,
      punch.manual ? 1 : 0,
      punch.note ?? null,
      importId,
      now,
      rawExcerpt(punch.raw),
    )

    if (info.changes === 1) {
      const id = Number(info.lastInsertRowid)
      if (!countOnly) outcomes[i] = {status: 'stored', punchId: id, instant, employee, deviceKey}
      result.stored++
      if (employee === null) result.unmapped++
      if (collect) {
        stored.push({id, deviceKey, deviceId, deviceUserId: punch.deviceUserId, employeeId, employeeCode: employee === null ? null : employee.code, instant, offsetMinutes, direction, source})
      }
    } else {
      if (!countOnly) {
        const existing = lookupIds ? st.existsByKey.get(deviceKey, punch.deviceUserId, instant) : undefined
        outcomes[i] = {status: 'duplicate', punchId: existing?.id ?? null, instant, employee, deviceKey}
      }
      result.duplicates++
    }
  }

  if (stored.length > 0) {
    if (options.changes) options.changes.stored(stored)
    else {
      const changes = new PunchChanges(options.webhooks !== false)
      changes.stored(stored)
      PunchChanges.publish(store, [changes], now, subscribers)
    }
  }
  return result
}

/**
 * The punches the pipeline would reject, with the reason, checked exactly as ingestPunches checks
 * them (device, time zone, employee) but without touching punches: `attend import --strict`
 * validates a whole file with it before writing anything.
 */
export function rejectedPunches(store: Store, punches: readonly CanonicalPunch[], options: IngestOptions): {index: number; reason: string}[] {
  const context = sqlitePreparer(store, options)
  const rejected: {index: number; reason: string}[] = []
  punches.forEach((punch, index) => {
    const reason = context.prepare(punch)
    if (reason !== null) rejected.push({index, reason})
  })
  return rejected
}

/** false when new; else the id of the stored twin (null when the twin is earlier in this dry run). */
function dryRunDuplicate(st: ReturnType<typeof punchStatements>, seen: Set<string>, deviceKey: string, punch: CanonicalPunch, instant: number): number | null | false {
  const key = `${deviceKey}\u0000${punch.deviceUserId}\u0000${instant}`
  const existing = st.existsByKey.get(deviceKey, punch.deviceUserId, instant)
  if (existing) return existing.id
  if (seen.has(key)) return null
  seen.add(key)
  return false
}


/**
 * Whom (device, device user id) resolved to, kept per connection across calls until an employee
 * code or name or a mapping changes (the `people` revision, read once per call — once per group on
 * the server). Only resolutions that found someone are kept: an employee created meanwhile in the
 * same transaction can turn "nobody" into someone, but cannot change whom a found id resolves to
 * (a mapping outranks a matching code), so no kept entry can go stale before the revision moves.
 */
const resolutionCaches = new WeakMap<Store['sqlite'], {revision: number; entries: Map<string, ResolvedEmployee>}>()
const MAX_RESOLUTIONS = 50_000

function resolvedEmployees(store: Store, revision: number): Map<string, ResolvedEmployee> {
  let cache = resolutionCaches.get(store.sqlite)
  if (!cache || cache.revision !== revision) {
    cache = {revision, entries: new Map()}
    resolutionCaches.set(store.sqlite, cache)
  }
  return cache.entries
}

/**
 * Drops what the resolution cache learned on this connection. For a caller whose transaction (or
 * savepoint) was rolled back: a rollback also restores the `people` revision, so an entry learned
 * from rows that no longer exist would otherwise look current.
 */
export function forgetResolvedEmployees(store: Store): void {
  resolutionCaches.delete(store.sqlite)
}

/** The pipeline's reads on SQLite: prepared statements, and whom device users resolved to on this connection. */
function sqliteLookups(store: Store, peopleRevision: number): IngestLookups {
  const st = punchStatements(store.sqlite)
  let resolved: Map<string, ResolvedEmployee> | undefined
  return {
    device: (serial) => st.deviceBySerial.get(serial),
    employee: (deviceId, deviceUserId) => {
      const key = `${deviceId ?? ''}\u0000${deviceUserId}`
      resolved ??= resolvedEmployees(store, peopleRevision)
      let found = resolved.get(key)
      if (found === undefined) {
        found = st.resolveEmployee.get({deviceId, deviceUserId})
        if (found) {
          if (resolved.size >= MAX_RESOLUTIONS) resolved.clear()
          resolved.set(key, found)
        }
      }
      return found
    },
    employeeById: (id) => store.sqlite.prepare('SELECT id, code, name FROM employees WHERE id = ?').get(id) as ResolvedEmployee | undefined,
    settings: () => siteSettings(store),
  }
}

function sqlitePreparer(store: Store, options: IngestOptions): PunchPreparer {
  const revision = storeRevision(store, 'people')
  return new PunchPreparer(sqliteLookups(store, revision), options, revision)
}
