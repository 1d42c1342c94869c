import type pg from 'pg'
import {DateTime} from 'luxon'

import type {PgDatabase} from '../../../db/pg/open.js'
import type {DeviceUserView} from '../../../devices/device-users.js'
import {unknownDevice} from '../../../errors.js'
import {planAutoMap} from '../../../mappings/auto.js'
import {missingMapping, type MappingImportOutcome, type MappingScope, type MappingView, type UnmappedUser} from '../../../mappings/service.js'
import type {Directory} from '../../directory.js'
import {inTransaction} from '../transaction.js'
import {findEmployee, requireEmployee} from './employees.js'
import type {PublishReassigned} from '../attendance.js'
import {reresolvePunches} from './reresolve.js'
import {siteTimezone} from './settings.js'

type Queryable = pg.Pool | pg.ClientBase

const MAPPING_VIEW = `SELECT m.id, m.device_user_id AS "deviceUserId", d.serial AS device, m.employee_id AS "employeeId", e.code AS "employeeCode",
    e.name AS "employeeName", m.created_at AS "createdAt"
  FROM device_user_mappings m JOIN employees e ON e.id = m.employee_id LEFT JOIN devices d ON d.id = m.device_id`

/** The device id a serial names (exact, as devices are registered). */
async function deviceId(db: Queryable, serial: string): Promise<number | undefined> {
  const {rows} = await db.query<{id: number}>('SELECT id FROM devices WHERE serial = $1', [serial.trim()])
  return rows[0]?.id
}

async function requireDeviceId(db: Queryable, serial: string): Promise<number> {
  const id = await deviceId(db, serial)
  if (id === undefined) throw unknownDevice(serial)
  return id
}

async function findMapping(db: Queryable, scope: MappingScope): Promise<MappingView | undefined> {
  const {rows} = await db.query<MappingView>(`${MAPPING_VIEW} WHERE m.device_user_id = $1 AND m.device_id IS NOT DISTINCT FROM $2`, [scope.deviceUserId, scope.deviceId])
  return rows[0]
}

/**
 * Writes (or replaces) one mapping and returns the employee it replaced. The two partial unique
 * indexes (per device, and global) make a concurrent insert of the same scope wait for this one and
 * then update instead (ON CONFLICT on the matching index).
 */
async function upsertMapping(client: pg.ClientBase, scope: MappingScope, employeeId: number, now: number): Promise<{previousEmployeeId: number | null; changed: boolean}> {
  const {rows} = await client.query<{employeeId: number}>(
    'SELECT employee_id AS "employeeId" FROM device_user_mappings WHERE device_user_id = $1 AND device_id IS NOT DISTINCT FROM $2 FOR UPDATE',
    [scope.deviceUserId, scope.deviceId],
  )
  const existing = rows[0]
  if (existing?.employeeId === employeeId) return {previousEmployeeId: employeeId, changed: false}
  const target = scope.deviceId === null ? '(device_user_id) WHERE device_id IS NULL' : '(device_id, device_user_id) WHERE device_id IS NOT NULL'
  await client.query(
    `INSERT INTO device_user_mappings (device_id, device_user_id, employee_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT ${target} DO UPDATE SET employee_id = excluded.employee_id`,
    [scope.deviceId, scope.deviceUserId, employeeId, now],
  )
  return {previousEmployeeId: existing?.employeeId ?? null, changed: true}
}

/** Device user ids still unmapped: in punches that resolve to nobody, or enrolled with no mapping that covers them. */
async function unmappedIds(client: pg.ClientBase): Promise<string[]> {
  const {rows} = await client.query<{id: string}>(
    `SELECT DISTINCT device_user_id AS id FROM punches WHERE employee_id IS NULL
     UNION
     SELECT DISTINCT u.device_user_id FROM device_users u
      WHERE NOT EXISTS (SELECT 1 FROM device_user_mappings m WHERE m.device_user_id = u.device_user_id AND (m.device_id IS NULL OR m.device_id = u.device_id))`,
  )
  const global = await client.query<{id: string}>('SELECT device_user_id AS id FROM device_user_mappings WHERE device_id IS NULL')
  const mapped = new Set(global.rows.map((row) => row.id))
  return rows.map((row) => row.id).filter((id) => !mapped.has(id))
}

/**
 * Mappings and device users on PostgreSQL. A change re-resolves the punches it covers in its own
 * transaction (reresolve.ts); the attendance days they move between are not recomputed here yet.
 */
export function pgMappings(
  database: PgDatabase,
  publish: PublishReassigned,
): Pick<Directory, 'listMappings' | 'listUnmapped' | 'addMapping' | 'removeMapping' | 'autoMap' | 'importMappings' | 'upsertDeviceUsers' | 'removeDeviceUsers' | 'listDeviceUsers' | 'deviceUserName'> {
  const {pool} = database
  return {
    async listMappings(options) {
      const clauses: string[] = []
      const params: unknown[] = []
      if (options.employeeCode !== undefined) clauses.push(`m.employee_id = $${params.push((await requireEmployee(pool, options.employeeCode)).id)}`)
      if (options.device !== undefined) clauses.push(`m.device_id = $${params.push(await requireDeviceId(pool, options.device))}`)
      const {rows} = await pool.query<MappingView>(
        `${MAPPING_VIEW} ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''}
         ORDER BY length(m.device_user_id), m.device_user_id COLLATE "C", d.serial IS NOT NULL, d.serial COLLATE "C"`,
        params,
      )
      return rows
    },

    async listUnmapped(options) {
      const siteZone = await siteTimezone(pool)
      const {rows} = await pool.query<Omit<UnmappedUser, 'lastPunchLocal'> & {timezone: string | null}>(
        `SELECT g.device_user_id AS "deviceUserId", g.device_key AS "deviceKey", g.device_id AS "deviceId", u.name, g.punches, g.last AS "lastPunchAt",
                d.timezone
           FROM (SELECT device_user_id, device_key, device_id, count(*) AS punches, max(instant) AS last
                   FROM punches WHERE employee_id IS NULL GROUP BY device_user_id, device_key, device_id) g
           LEFT JOIN device_users u ON u.device_id = g.device_id AND u.device_user_id = g.device_user_id
           LEFT JOIN devices d ON d.id = g.device_id
          ORDER BY g.punches DESC, g.last DESC, g.device_user_id COLLATE "C"
          ${options.limit === undefined ? '' : 'LIMIT $1'}`,
        options.limit === undefined ? [] : [options.limit],
      )
      return rows.map(({timezone, ...row}) => ({
        ...row,
        lastPunchLocal: DateTime.fromMillis(row.lastPunchAt, {zone: timezone ?? siteZone}).toFormat('yyyy-MM-dd HH:mm'),
      }))
    },

    addMapping: (input, now) =>
      inTransaction(pool, async (client) => {
        const employee = await requireEmployee(client, input.employeeCode)
        const scope = {deviceUserId: input.deviceUserId, deviceId: input.deviceSerial === undefined ? null : await requireDeviceId(client, input.deviceSerial)}
        const {previousEmployeeId, changed} = await upsertMapping(client, scope, employee.id, now)
        let previous: {code: string; name: string} | null = null
        if (previousEmployeeId !== null && previousEmployeeId !== employee.id) {
          previous = (await client.query<{code: string; name: string}>('SELECT code, name FROM employees WHERE id = $1', [previousEmployeeId])).rows[0] ?? null
        }
        const reresolved = changed ? await reresolvePunches(client, [scope], publish, now) : 0
        return {mapping: (await findMapping(client, scope))!, previous, reresolved}
      }),

    removeMapping: (input, now) =>
      inTransaction(pool, async (client) => {
        const scope = {deviceUserId: input.deviceUserId, deviceId: input.deviceSerial === undefined ? null : await requireDeviceId(client, input.deviceSerial)}
        const mapping = await findMapping(client, scope)
        if (!mapping) throw missingMapping(input.deviceUserId, input.deviceSerial?.trim() ?? null)
        await client.query('DELETE FROM device_user_mappings WHERE id = $1', [mapping.id])
        return {mapping, reresolved: await reresolvePunches(client, [scope], publish, now)}
      }),

    autoMap: (now) =>
      inTransaction(pool, async (client) => {
        // One auto-map at a time: two would both see the same ids unmapped.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('attend:mappings:auto'))")
        const staff = await client.query<{id: number; code: string; name: string}>('SELECT id, code, name FROM employees')
        const plan = planAutoMap(staff.rows, await unmappedIds(client))
        for (const {scope, employeeId} of plan.writes) await upsertMapping(client, scope, employeeId, now)
        return {...plan.result, reresolved: await reresolvePunches(client, plan.writes.map((write) => write.scope), publish, now)}
      }),

    importMappings: (rows, now) =>
      inTransaction(pool, async (client) => {
        const outcome: MappingImportOutcome = {created: 0, updated: 0, unchanged: 0, rejected: [], reresolved: 0}
        const touched: MappingScope[] = []
        for (const row of rows) {
          const employee = await findEmployee(client, row.employeeCode)
          if (!employee) {
            outcome.rejected.push({line: row.line, reason: `unknown employee code "${row.employeeCode}"`, raw: row.raw})
            continue
          }
          const device = row.device === null ? null : await deviceId(client, row.device)
          if (device === undefined) {
            outcome.rejected.push({line: row.line, reason: `unknown device serial "${row.device}"`, raw: row.raw})
            continue
          }
          const scope = {deviceUserId: row.deviceUserId, deviceId: device}
          const {previousEmployeeId, changed} = await upsertMapping(client, scope, employee.id, now)
          if (!changed) outcome.unchanged++
          else if (previousEmployeeId === null) outcome.created++
          else outcome.updated++
          if (changed) touched.push(scope)
        }
        outcome.reresolved = await reresolvePunches(client, touched, publish, now)
        return outcome
      }),

    async upsertDeviceUsers(device, users, now) {
      const latest = new Map(users.map((user) => [user.deviceUserId, user]))
      if (latest.size === 0) return {created: 0, updated: 0}
      const list = [...latest.values()]
      // xmax = 0 marks a row this statement inserted rather than updated.
      const {rows} = await pool.query<{inserted: boolean}>(
        `INSERT INTO device_users (device_id, device_user_id, name, privilege, card, updated_at)
         SELECT $1, u.id, u.name, u.privilege, u.card, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, name, privilege, card)
         ON CONFLICT (device_id, device_user_id) DO UPDATE SET name = excluded.name, privilege = excluded.privilege, card = excluded.card, updated_at = excluded.updated_at
         RETURNING (xmax = 0) AS inserted`,
        [device, list.map((u) => u.deviceUserId), list.map((u) => u.name), list.map((u) => u.privilege), list.map((u) => u.card), now],
      )
      const created = rows.filter((row) => row.inserted).length
      return {created, updated: rows.length - created}
    },

    async removeDeviceUsers(device, deviceUserIds) {
      const result = await pool.query('DELETE FROM device_users WHERE device_id = $1 AND device_user_id = ANY($2::text[])', [device, [...new Set(deviceUserIds)]])
      return result.rowCount ?? 0
    },

    async listDeviceUsers(filter) {
      const {rows} = await pool.query<DeviceUserView>(
        `SELECT u.device_id AS "deviceId", d.serial AS "deviceSerial", u.device_user_id AS "deviceUserId", u.name, u.privilege, u.card, u.updated_at AS "updatedAt"
           FROM device_users u JOIN devices d ON d.id = u.device_id
          ${filter.deviceId === undefined ? '' : 'WHERE u.device_id = $1'}
          ORDER BY d.serial COLLATE "C", length(u.device_user_id), u.device_user_id COLLATE "C"`,
        filter.deviceId === undefined ? [] : [filter.deviceId],
      )
      return rows
    },

    async deviceUserName(deviceUserId, device) {
      const {rows} = await pool.query<{deviceId: number; name: string}>(
        'SELECT device_id AS "deviceId", name FROM device_users WHERE device_user_id = $1 AND name IS NOT NULL ORDER BY device_id',
        [deviceUserId],
      )
      return (rows.find((row) => row.deviceId === device) ?? rows[0])?.name ?? null
    },
  }
}
