import {NotFoundError, UsageError, unknownEmployee} from '../../errors.js'
import type {PgDatabase} from '../../db/pg/open.js'
import type {SiteSettings} from '../../settings/settings.js'
import type {PunchesSection, PunchRow} from '../punches.js'
import {notManual, removedPunch} from '../sqlite/punches.js'
import {IngestBatcher} from './ingest-batch.js'
import {pgIngest, publishChanges} from './ingest.js'
import type {PgSite} from './site.js'
import {inTransaction} from './transaction.js'

const SELECT = `SELECT p.id, p.instant, e.code AS "employeeCode", e.name AS "employeeName", p.employee_id AS "employeeId",
  p.device_user_id AS "deviceUserId", p.direction, p.device_key AS "deviceKey", p.device_id AS "deviceId", p.source, p.manual,
  p.note, p.raw_status AS "rawStatus"
  FROM punches p LEFT JOIN employees e ON e.id = p.employee_id`

/**
 * Punches on PostgreSQL: each ingest is one transaction (src/store/pg/ingest.ts), acknowledged
 * when its promise resolves, after the commit.
 */
export function pgPunches(database: PgDatabase, settings: () => Promise<SiteSettings>, site: PgSite): PunchesSection {
  const pool = database.pool
  const batches = new IngestBatcher(async (punches, options) => {
    const current = await settings()
    return inTransaction(pool, (client) => pgIngest(client, punches, options, current, site))
  })
  return {
    ingest: (punches, options) => batches.ingest(punches, {...options, now: options.now ?? Date.now()}),
    rejected: async (punches, options) => {
      const current = await settings()
      // A dry run with every outcome: the checks only, nothing written.
      const result = await inTransaction(pool, (client) => pgIngest(client, punches, {...options, dryRun: true, countOnly: true}, current, site))
      return result.rejections ?? []
    },
    addManual: async (request, now) => {
      const current = await settings()
      return inTransaction(pool, async (client) => {
        const found = await client.query<{id: number; code: string}>('SELECT id, code FROM employees WHERE lower(code) = lower($1)', [request.employeeCode.trim()])
        const employee = found.rows[0]
        if (!employee) throw unknownEmployee(request.employeeCode, 'code')
        const result = await pgIngest(
          client,
          [{deviceUserId: employee.code, employeeId: employee.id, time: request.time, timeText: request.timeText, direction: request.direction, manual: true, note: request.note}],
          {source: 'manual', now, fallbackDeviceKey: 'manual'},
          current,
          site,
        )
        const outcome = result.outcomes[0]
        if (outcome.status === 'rejected') throw new UsageError(outcome.reason, 'invalid_punch')
        if (outcome.status === 'duplicate') return {duplicateOf: {id: outcome.punchId, instant: outcome.instant, employeeCode: employee.code}}
        return {row: (await client.query<PunchRow>(`${SELECT} WHERE p.id = $1`, [outcome.punchId])).rows[0]}
      })
    },
    removeManual: (id, now) =>
      inTransaction(pool, async (client) => {
        const found = (await client.query<PunchRow>(`${SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [id])).rows[0]
        if (!found) throw new NotFoundError(`No punch with id ${id}.`)
        if (!found.manual) throw notManual(found)
        await client.query('DELETE FROM punches WHERE id = $1', [id])
        await publishChanges(client, {stored: [], removed: [removedPunch(found)], reassigned: []}, now, site)
        return found
      }),
    receivedAt: async (id) => (await pool.query<{receivedAt: number}>('SELECT received_at AS "receivedAt" FROM punches WHERE id = $1', [id])).rows[0]?.receivedAt,
    list: async (query) => {
      const zone = (await settings()).timezone
      const where: string[] = []
      const params: (string | number)[] = []
      const param = (value: string | number) => `$${params.push(value)}`
      if (query.from !== undefined) where.push(`p.instant >= ${param(query.from)}`)
      if (query.to !== undefined) where.push(`p.instant < ${param(query.to)}`)
      if (query.employee !== undefined) {
        const found = await pool.query<{id: number}>('SELECT id FROM employees WHERE lower(code) = lower($1)', [query.employee.trim()])
        if (!found.rows[0]) throw unknownEmployee(query.employee)
        where.push(`p.employee_id = ${param(found.rows[0].id)}`)
      }
      if (query.deviceKey !== undefined) where.push(`p.device_key = ${param(query.deviceKey)}`)
      if (query.unmapped) where.push('p.employee_id IS NULL')
      const whereClause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const total = (await pool.query<{total: number}>(`SELECT count(*)::int AS total FROM punches p ${whereClause}`, params)).rows[0].total
      const page = `LIMIT ${query.limit === null ? 'ALL' : param(query.limit)} OFFSET ${param(query.offset)}`
      const rows = (await pool.query<PunchRow>(`SELECT * FROM (${SELECT} ${whereClause} ORDER BY p.instant DESC, p.id DESC ${page}) AS page ORDER BY instant, id`, params)).rows
      return {total, timezone: zone, rows}
    },
  }
}
