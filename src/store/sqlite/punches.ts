import type Database from 'better-sqlite3'

import type {Store} from '../../db/open.js'
import {AttendError, NotFoundError, UsageError, unknownEmployee} from '../../errors.js'
import {ingestPunches, rejectedPunches} from './ingest/pipeline.js'
import type {StoredPunch} from '../../punches/types.js'
import type {Writes} from './writes.js'
import {siteSettings} from './settings.js'
import type {PunchesSection, PunchRow} from '../punches.js'

const SELECT = `SELECT p.id, p.instant, e.code AS employeeCode, e.name AS employeeName, p.employee_id AS employeeId,
  p.device_user_id AS deviceUserId, p.direction, p.device_key AS deviceKey, p.device_id AS deviceId, p.source, p.manual,
  p.note, p.raw_status AS rawStatus
  FROM punches p LEFT JOIN employees e ON e.id = p.employee_id`

type SqliteRow = Omit<PunchRow, 'manual'> & {manual: number}

function row(store: Store, id: number): PunchRow | undefined {
  const found = store.sqlite.prepare(`${SELECT} WHERE p.id = ?`).get(id) as SqliteRow | undefined
  return found && {...found, manual: found.manual === 1}
}

// Prepared once per connection: v1 asks it for every repeated POST, and preparing costs more than the read.
const receivedAtStatements = new WeakMap<Store['sqlite'], Database.Statement<[number], {receivedAt: number}>>()

function receivedAt(store: Store, id: number): number | undefined {
  let statement = receivedAtStatements.get(store.sqlite)
  if (!statement) {
    statement = store.sqlite.prepare<[number], {receivedAt: number}>('SELECT received_at AS receivedAt FROM punches WHERE id = ?')
    receivedAtStatements.set(store.sqlite, statement)
  }
  return statement.get(id)?.receivedAt
}

function employeeByCode(store: Store, code: string): {id: number; code: string} | undefined {
  return store.sqlite.prepare('SELECT id, code FROM employees WHERE code = ? COLLATE NOCASE').get(code.trim()) as {id: number; code: string} | undefined
}

/**
 * Punches on SQLite: the synchronous pipeline (src/store/sqlite/ingest/pipeline.ts) run inside the group commit
 * it is given, so concurrent ingests of one process share a transaction and publish their changes
 * (recompute, outbox) once per group (docs/architecture.md, "Group commit").
 */
export function sqlitePunches(store: Store, writes: Writes): PunchesSection {
  return {
    ingest: async (punches, options) => {
      if (options.dryRun) {
        const now = options.now ?? Date.now()
        return {...ingestPunches(store, punches, {...options, now}), now}
      }
      return writes.run((unit) => {
        const now = options.now ?? unit.now
        // A change that must stay silent (--no-webhooks) publishes on its own, in the same transaction.
        const changes = options.webhooks === false ? undefined : unit.changes
        return {...ingestPunches(store, punches, {...options, now, changes}), now}
      })
    },
    rejected: async (punches, options) => rejectedPunches(store, punches, options),
    addManual: (request, now) =>
      writes.run((unit) => {
        const employee = employeeByCode(store, request.employeeCode)
        if (!employee) throw unknownEmployee(request.employeeCode, 'code')
        const result = ingestPunches(
          store,
          [{deviceUserId: employee.code, employeeId: employee.id, time: request.time, timeText: request.timeText, direction: request.direction, manual: true, note: request.note}],
          {source: 'manual', now, fallbackDeviceKey: 'manual', changes: unit.changes},
        )
        const outcome = result.outcomes[0]
        if (outcome.status === 'rejected') throw new UsageError(outcome.reason, 'invalid_punch')
        if (outcome.status === 'duplicate') return {duplicateOf: {id: outcome.punchId, instant: outcome.instant, employeeCode: employee.code}}
        return {row: row(store, outcome.punchId)!}
      }),
    removeManual: (id) =>
      writes.run((unit) => {
        const found = row(store, id)
        if (!found) throw new NotFoundError(`No punch with id ${id}.`)
        if (!found.manual) throw notManual(found)
        store.sqlite.prepare('DELETE FROM punches WHERE id = ?').run(id)
        unit.changes.removed([removedPunch(found)])
        return found
      }),
    receivedAt: async (id) => receivedAt(store, id),
    list: async (query) => {
      const zone = siteSettings(store).timezone
      const where: string[] = []
      const params: (string | number)[] = []
      if (query.from !== undefined) {
        where.push('p.instant >= ?')
        params.push(query.from)
      }
      if (query.to !== undefined) {
        where.push('p.instant < ?')
        params.push(query.to)
      }
      if (query.employee !== undefined) {
        const employee = employeeByCode(store, query.employee)
        if (!employee) throw unknownEmployee(query.employee)
        where.push('p.employee_id = ?')
        params.push(employee.id)
      }
      if (query.deviceKey !== undefined) {
        where.push('p.device_key = ?')
        params.push(query.deviceKey)
      }
      if (query.unmapped) where.push('p.employee_id IS NULL')
      const whereClause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const {total} = store.sqlite.prepare(`SELECT count(*) AS total FROM punches p ${whereClause}`).get(...params) as {total: number}
      const sql = `SELECT * FROM (${SELECT} ${whereClause} ORDER BY p.instant DESC, p.id DESC LIMIT ? OFFSET ?) ORDER BY instant, id`
      const rows = store.sqlite.prepare(sql).all(...params, query.limit ?? -1, query.offset) as SqliteRow[]
      return {total, timezone: zone, rows: rows.map((r) => ({...r, manual: r.manual === 1}))}
    },
  }
}

/** Device punches are evidence: only a punch typed by an admin can be removed. */
export function notManual(found: PunchRow): AttendError {
  return new AttendError(`Punch ${found.id} came from ${found.deviceKey} (source ${found.source}); only manual punches can be removed.`, {code: 'not_manual'})
}

/** A listed punch as the punch changes name it. */
export function removedPunch(found: PunchRow): StoredPunch {
  return {
    id: found.id, deviceKey: found.deviceKey, deviceId: found.deviceId, deviceUserId: found.deviceUserId, employeeId: found.employeeId,
    employeeCode: found.employeeCode, instant: found.instant, direction: found.direction, source: found.source,
  }
}
