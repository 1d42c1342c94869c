import type {FastifyReply, FastifyRequest} from 'fastify'

import {createEmployee, findEmployeeByCode, getEmployee, listEmployees, type Employee} from '../../employees/service.js'
import {AttendError} from '../../errors.js'
import {quote} from '../../formats/input-policy.js'
import {parseV1AttendanceBody, toV1Attendance, v1Id, v1Time} from '../../formats/v1-attendance.js'
import {toV1Device, toV1User} from '../../formats/v1-resources.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {v1ErrorBody} from '../errors/v1.js'
import type {Family} from '../kit/family.js'
import v1ReportsRoutes from './v1-reports.js'

export const V1_PREFIX = '/v1'
export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100
const SOURCE = 'http:v1'

/**
 * The v1 API: users, devices and attendance records with a Bearer API key (X-API-Key is
 * accepted too). GETs need the `read` scope, POST /v1/attendance `ingest`, POST /v1/users `admin`.
 * Bodies are strict — an unknown field is a 400 naming it — because a misspelt `userId` or
 * `timeStamp` would otherwise be silently dropped (and the punch recorded "now").
 */
export const v1Family: Family = {
  name: 'v1',
  paths: [V1_PREFIX],
  render: (failure) => v1ErrorBody(failure),
  hint: `see the ${V1_PREFIX} API reference`,
  async routes(app, {deps, unmatched}) {
    const guard = app.apiKeyGuard.hook(['bearer', 'x-api-key'])
    await app.register(
      async (v1) => {
        // Plugin-wide, so it also runs before the 404/405: an unauthenticated caller learns nothing.
        v1.addHook('onRequest', guard)

        v1.get('/users', {config: {scope: 'read'}}, async (request) => {
          const query = readQuery(request, ['limit', 'offset'])
          const limit = readInteger(query, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
          const offset = readInteger(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
          const {rows, total} = await listEmployees(v1.attendStore, {limit, offset})
          return {data: rows.map(toV1User), meta: {total, limit, offset}}
        })

        v1.post('/users', {config: {scope: 'admin'}}, async (request, reply) => {
          const input = readUserBody(request.body)
          let employee: Employee
          try {
            employee = await createEmployee(v1.attendStore, input, deps.now())
          } catch (error) {
            throw asFieldError(error)
          }
          // 201: a new user resource exists (the v1 API's documentation lists 200 as "everything worked"; 201 is its
          // precise form for a POST that creates, and clients treat any 2xx as success).
          return reply.code(201).send({data: toV1User(employee)})
        })

        v1.get('/devices', {config: {scope: 'read'}}, async (request) => {
          readQuery(request, [])
          return {data: (await request.server.attendStore.devices.list()).map(toV1Device)}
        })

        v1.post('/attendance', {config: {scope: 'ingest'}}, async (request, reply) => recordAttendance(deps, request, reply))

        v1.setNotFoundHandler(async (request) => {
          throw unmatched(request)
        })
      },
      {prefix: V1_PREFIX},
    )
    await app.register(v1ReportsRoutes, {deps})
  },
}

async function recordAttendance(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const body = requireBody(request.body)
  const parsed = parseV1AttendanceBody(body)
  if (!parsed.ok) throw new HttpError(400, 'invalid_request', parsed.error.message, {param: parsed.error.param})
  const input = parsed.value

  const people = request.server.attendStore
  const employee = input.user.kind === 'id' ? await getEmployee(people, input.user.id) : await findEmployeeByCode(people, input.user.code)
  if (!employee) throw new HttpError(404, 'resource_missing', `No such user: ${quote(input.user.text).slice(1, -1)}.`, {param: 'user_id'})
  const device = input.device.kind === 'id' ? await people.devices.byId(input.device.id) : await people.devices.bySerial(input.device.serial)
  if (!device) throw new HttpError(404, 'resource_missing', `No such device: ${quote(input.device.text).slice(1, -1)}.`, {param: 'device_id'})
  if (device.status !== 'active') {
    throw new HttpError(403, 'device_inactive', `Device ${v1Id.device(device.id)} (${device.serial}) is inactive: it cannot record attendance.`, {param: 'device_id'})
  }

  const now = deps.now()
  const result = await people.punches.ingest(
    [
      {
        deviceUserId: employee.code,
        employeeId: employee.id,
        time: input.time ?? {kind: 'instant', ms: now},
        timeText: input.timeText ?? v1Time(now),
        deviceSerial: device.serial,
        direction: input.direction,
        raw: JSON.stringify(body),
      },
    ],
    {source: SOURCE},
  )
  // A stored punch was received at the ingest's "now" (the unit of work it joined).
  const storedAt = result.now
  const outcome = result.outcomes[0]
  if (outcome.status === 'rejected') throw new HttpError(400, 'invalid_request', outcome.reason, {param: 'timestamp'})
  if (outcome.punchId === null) throw new Error('The pipeline reported a duplicate without the stored punch id.')
  const receivedAt = outcome.status === 'stored' ? storedAt : ((await people.punches.receivedAt(outcome.punchId)) ?? storedAt)
  const data = toV1Attendance({punchId: outcome.punchId, employeeId: employee.id, deviceId: device.id, type: input.type, instant: outcome.instant, receivedAt})
  // A repeat of a recorded punch is idempotent: 200 with the original record, not a second one.
  return reply.code(outcome.status === 'stored' ? 201 : 200).send({data})
}

function requireBody(body: unknown): unknown {
  if (body === undefined || body === null || body === '') throw new HttpError(400, 'empty_body', 'The request body is empty; expected a JSON object.')
  if (typeof body === 'string') throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.')
  return body
}

const USER_FIELDS = ['name', 'email', 'phone', 'department', 'employee_code'] as const

function readUserBody(raw: unknown): {name: string; email: string; phone: string; department: string | null; code?: string} {
  const body = requireBody(raw)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object with name, email and phone.', {param: 'body'})
  }
  const record = body as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!(USER_FIELDS as readonly string[]).includes(key)) {
      throw new HttpError(400, 'invalid_request', `Unknown parameter: ${quote(key).slice(1, -1)}. Expected ${USER_FIELDS.join(', ')}.`, {param: key.slice(0, 64)})
    }
  }
  for (const name of ['name', 'email', 'phone'] as const) {
    const value = record[name]
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      throw new HttpError(400, 'invalid_request', `Missing required parameter: ${name}.`, {param: name})
    }
    if (typeof value !== 'string') throw new HttpError(400, 'invalid_request', `${name} must be a string, not ${typeof value}.`, {param: name})
  }
  for (const name of ['department', 'employee_code'] as const) {
    const value = record[name]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new HttpError(400, 'invalid_request', `${name} must be a string, not ${typeof value}.`, {param: name})
    }
  }
  return {
    name: record.name as string,
    email: record.email as string,
    phone: record.phone as string,
    department: (record.department as string | null | undefined) ?? null,
    code: (record.employee_code as string | null | undefined) ?? undefined,
  }
}

/** The directory's field names (`AttendError.param`) as v1 names them. */
const V1_FIELD: Record<string, string> = {code: 'employee_code'}

/** The directory's validation sentences, with the field they are about as `param`. */
function asFieldError(error: unknown): unknown {
  if (!(error instanceof AttendError)) return error
  const field = error.param ?? (error.code === 'duplicate' ? 'code' : null)
  const param = field === null ? null : (V1_FIELD[field] ?? field)
  if (error.code === 'duplicate') return new HttpError(409, 'resource_exists', error.message, {param})
  return new HttpError(400, 'invalid_request', error.message, {param})
}

function readQuery(request: FastifyRequest, allowed: readonly string[]): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      const expected = allowed.length > 0 ? `expected ${allowed.join(', ')}` : 'this endpoint takes no parameters'
      throw new HttpError(400, 'invalid_request', `Unknown parameter: ${quote(key).slice(1, -1)}; ${expected}.`, {param: key.slice(0, 64)})
    }
  }
  return query
}

function readInteger(query: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = query[name]
  if (value === undefined || value === '') return fallback
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new HttpError(400, 'invalid_request', `${name} must be a whole number, not ${typeof value === 'string' ? quote(value) : 'a list'}.`, {param: name})
  }
  const n = Number(value)
  if (n < min || n > max) throw new HttpError(400, 'invalid_request', `${name} must be between ${min} and ${max}, not ${value}.`, {param: name})
  return n
}
