import type pg from 'pg'

import type {PgDatabase} from '../../../db/pg/open.js'
import {duplicateCode, planEmployeeRow, type EmployeeImportOutcome, type EmployeeValues} from '../../../employees/import-plan.js'
import {codeSpellings, nextEmployeeCode} from '../../../employees/input.js'
import type {Employee} from '../../../employees/query.js'
import {assertDateOrder} from '../../../employees/validate.js'
import {AttendError, unknownEmployee} from '../../../errors.js'
import {LocalClock} from '../../../time/local-clock.js'
import {userCreated, userUpdated} from '../../../webhooks/payloads.js'
import type {Directory} from '../../directory.js'
import {queueEvents} from '../outbox.js'
import {employmentScope, type EmploymentChange} from '../../../attendance/employment.js'
import type {PublishReassigned, RecomputeChange} from '../attendance.js'
import {inTransaction} from '../transaction.js'
import {reresolvePunches} from './reresolve.js'
import {siteTimezone} from './settings.js'

type Queryable = pg.Pool | pg.ClientBase

export const EMPLOYEE_COLUMNS = `id, code, name, email, phone, department, active, joined_on AS "joinedOn", left_on AS "leftOn",
  created_at AS "createdAt", updated_at AS "updatedAt"`

const COLUMN: Record<keyof EmployeeValues, string> = {
  code: 'code', name: 'name', email: 'email', phone: 'phone', department: 'department', active: 'active', joinedOn: 'joined_on', leftOn: 'left_on',
}

/** Codes are unique case-insensitively: lower(code) is the unique index on PostgreSQL. */
export async function findEmployee(db: Queryable, code: string, lock = false): Promise<Employee | undefined> {
  const {rows} = await db.query<Employee>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE lower(code) = lower($1)${lock ? ' FOR UPDATE' : ''}`, [code.trim()])
  return rows[0]
}

export async function requireEmployee(db: Queryable, code: string, lock = false): Promise<Employee> {
  const employee = await findEmployee(db, code, lock)
  if (!employee) throw unknownEmployee(code)
  return employee
}

async function insertEmployee(client: pg.ClientBase, values: EmployeeValues, now: number): Promise<Employee> {
  const {rows} = await client.query<Employee>(
    `INSERT INTO employees (code, name, email, phone, department, active, joined_on, left_on, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${EMPLOYEE_COLUMNS}`,
    [values.code, values.name, values.email, values.phone, values.department, values.active, values.joinedOn, values.leftOn, now],
  )
  const employee = rows[0]
  await queueEvents(client, [userCreated(employee, now)], now)
  return employee
}

async function changeEmployee(client: pg.ClientBase, before: Employee, changes: Partial<EmployeeValues>, now: number): Promise<Employee> {
  const fields = Object.entries(changes).filter(([, value]) => value !== undefined) as [keyof EmployeeValues, unknown][]
  const {rows} = await client.query<Employee>(
    `UPDATE employees SET ${fields.map(([field], i) => `${COLUMN[field]} = $${i + 2}`).join(', ')}${fields.length > 0 ? ', ' : ''}updated_at = $1
     WHERE id = $${fields.length + 2} RETURNING ${EMPLOYEE_COLUMNS}`,
    [now, ...fields.map(([, value]) => value), before.id],
  )
  const event = userUpdated(before, rows[0], now)
  if (event) await queueEvents(client, [event], now)
  return rows[0]
}

async function reresolveCodes(client: pg.ClientBase, codes: readonly string[], publish: PublishReassigned, now: number): Promise<number> {
  if (codes.length === 0) return 0
  return reresolvePunches(client, codeSpellings(codes).map((deviceUserId) => ({deviceUserId, deviceId: null})), publish, now)
}

/** The next EMPn code, under a lock no second creator of a generated code passes until this one commits. */
async function nextCode(client: pg.ClientBase): Promise<string> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('attend:employees:next-code'))")
  const {rows} = await client.query<{code: string}>("SELECT code FROM employees WHERE code ILIKE 'EMP%'")
  return nextEmployeeCode(rows.map((row) => row.code))
}

/**
 * The employees on PostgreSQL. A change of employment dates recomputes the employee's days in the
 * same transaction (employmentScope, as recomputeEmployment on SQLite).
 */
export function pgEmployees(database: PgDatabase, recompute: RecomputeChange, publish: PublishReassigned): Pick<
  Directory,
  'findEmployee' | 'getEmployee' | 'listEmployees' | 'listDepartments' | 'createEmployee' | 'updateEmployee' | 'deactivateEmployee' | 'importEmployees'
> {
  const {pool} = database
  const recomputeEmployment = async (client: pg.ClientBase, changes: readonly EmploymentChange[], now: number) => {
    const scope = employmentScope(changes)
    return scope && recompute(client, scope, now)
  }
  return {
    findEmployee: (code) => findEmployee(pool, code),

    async getEmployee(id) {
      const {rows} = await pool.query<Employee>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = $1`, [id])
      return rows[0]
    },

    async listEmployees(filter) {
      const clauses: string[] = []
      const params: unknown[] = []
      const param = (value: unknown) => `$${params.push(value)}`
      if (filter.department !== undefined) clauses.push(`lower(department) = lower(${param(filter.department.trim())})`)
      if (filter.active !== undefined) clauses.push(`active = ${param(filter.active)}`)
      const term = filter.search?.trim()
      if (term) {
        const pattern = param(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        clauses.push(`(name ILIKE ${pattern} OR code ILIKE ${pattern} OR email ILIKE ${pattern})`)
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''
      const total = (await pool.query<{n: number}>(`SELECT count(*) AS n FROM employees ${where}`, params)).rows[0].n
      let page = ''
      if (filter.limit !== undefined) page += ` LIMIT ${param(filter.limit)}`
      if (filter.offset) page += ` OFFSET ${param(filter.offset)}`
      const {rows} = await pool.query<Employee>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees ${where} ORDER BY lower(code), code${page}`, params)
      return {rows, total}
    },

    async listDepartments() {
      const {rows} = await pool.query<{department: string}>(
        'SELECT department FROM employees WHERE department IS NOT NULL GROUP BY department ORDER BY department COLLATE "C"',
      )
      return rows.map((row) => row.department)
    },

    createEmployee: (input, now) =>
      inTransaction(pool, async (client) => {
        const code = input.code ?? (await nextCode(client))
        const holder = await findEmployee(client, code)
        if (holder) throw duplicateCode(code, holder)
        const employee = await insertEmployee(client, {...input, code, active: true}, now).catch((error: unknown) => {
          // Another server added the same code after the check above: the unique index says so.
          if ((error as {code?: string}).code === '23505') throw duplicateCode(code, {code, name: 'another employee'})
          throw error
        })
        await reresolveCodes(client, [code], publish, now)
        return employee
      }),

    updateEmployee: (code, changes, now) =>
      inTransaction(pool, async (client) => {
        const employee = await requireEmployee(client, code, true)
        if (changes.code !== undefined) {
          const holder = await findEmployee(client, changes.code)
          if (holder && holder.id !== employee.id) throw duplicateCode(changes.code, holder)
        }
        assertDateOrder(changes.joinedOn === undefined ? employee.joinedOn : changes.joinedOn, changes.leftOn === undefined ? employee.leftOn : changes.leftOn)
        const updated = await changeEmployee(client, employee, changes, now)
        if (updated.code !== employee.code) await reresolveCodes(client, [employee.code, updated.code], publish, now)
        return {...updated, recomputed: await recomputeEmployment(client, [{employeeId: employee.id, before: employee, after: updated}], now)}
      }),

    deactivateEmployee: (code, leftOn, now) =>
      inTransaction(pool, async (client) => {
        const employee = await requireEmployee(client, code, true)
        const day = leftOn ?? employee.leftOn ?? LocalClock.for(await siteTimezone(client)).dateOf(now)
        assertDateOrder(employee.joinedOn, day)
        const updated = await changeEmployee(client, employee, {active: false, leftOn: day}, now)
        return {...updated, recomputed: await recomputeEmployment(client, [{employeeId: employee.id, before: employee, after: updated}], now)}
      }),

    importEmployees: (rows, now) =>
      inTransaction(pool, async (client) => {
        const outcome: EmployeeImportOutcome = {created: 0, updated: 0, unchanged: 0, rejected: [], recomputed: null}
        const zone = await siteTimezone(client)
        const today = () => LocalClock.for(zone).dateOf(now)
        const newCodes: string[] = []
        const employment: EmploymentChange[] = []
        for (const row of rows) {
          try {
            const plan = planEmployeeRow(await findEmployee(client, row.code, true), row, today)
            if (plan.kind === 'unchanged') {
              outcome.unchanged++
            } else if (plan.kind === 'update') {
              const updated = await changeEmployee(client, plan.existing, plan.changes, now)
              employment.push({employeeId: plan.existing.id, before: plan.existing, after: updated})
              outcome.updated++
            } else {
              newCodes.push((await insertEmployee(client, plan.values, now)).code)
              outcome.created++
            }
          } catch (error) {
            if (!(error instanceof AttendError)) throw error
            outcome.rejected.push({line: row.line, reason: error.message.replace(/\.$/, '')})
          }
        }
        await reresolveCodes(client, newCodes, publish, now)
        // New leaving or joining dates leave no day outside employment.
        outcome.recomputed = await recomputeEmployment(client, employment, now)
        return outcome
      }),
  }
}
