import type {FastifyInstance, FastifyRequest} from 'fastify'

import {registerOrUpdateDevice, findDeviceBySerial, touchDevice} from '../../devices/service.js'
import {parseAttendanceEvent} from '../../formats/json-events.js'
import {ingestPunches} from '../../punches/pipeline.js'
import type {CanonicalPunch, IngestOutcome} from '../../punches/types.js'
import type {ServerDeps} from '../deps.js'
import {useFamilyErrors} from '../errors/family.js'
import {HttpError} from '../errors/http-error.js'

export const WORKER_ATTENDANCE_PATH = '/api/biometric/attendance'
/** Seed 000: "Bulk operations limited to 100 events per request". */
export const MAX_EVENTS = 100
const SOURCE = 'http:worker-attendance'

/** One entry of `results[]`, exactly the seed's fields. */
export interface EventResult {
  success: boolean
  message: string
  worker_id: string | null
  worker_name: string | null
  assignment_id: number | null
  event_type: string | null
}

export interface AttendanceResponse {
  success: boolean
  message: string
  processed: number
  successful: number
  failed: number
  results: EventResult[]
}

interface Envelope {
  events: unknown[]
  /** A bare event (not `{events: […]}`): a failure answers like the seed's error example. */
  single: boolean
  device: {serial: string; name?: string; location?: string} | null
}

/**
 * Seed 000, the worker attendance API: `POST /api/biometric/attendance` with an API key in
 * X-API-Key or ?api_key=. A single event or `{device_info, events[]}`; every event gets a result.
 *
 * Status codes: 200 when every event was recorded (a repeated scanId counts: it is already
 * recorded); 207 when some were and some were not — the good ones are stored, `success` is false,
 * and each bad one's result says why, so a client knows a retry of the same batch cannot fix them;
 * 400 when none was (or the request itself is malformed).
 *
 * Unknown fields (device telemetry such as `temperature` in device_info, or fields a newer firmware
 * adds) are ignored rather than rejected: refusing them would lose punches over data we do not use.
 */
export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useFamilyErrors(app, (failure) => ({
    success: false,
    message: [400, 413, 415].includes(failure.statusCode) ? `Processing failed: ${failure.message}` : failure.message,
  }))
  const guard = app.apiKeyGuard.hook(['x-api-key', 'query', 'bearer'])

  app.post(WORKER_ATTENDANCE_PATH, {onRequest: guard, config: {scope: 'ingest'}}, async (request, reply) => {
    const envelope = readEnvelope(readBody(request))
    // The device registration and the punches commit together, with the other requests of this turn.
    const result = await app.writes.run(() => processEvents(deps, envelope))
    const status = result.failed === 0 ? 200 : result.successful > 0 ? 207 : 400
    if (envelope.single && result.failed === 1) return reply.code(400).send({success: false, message: result.message})
    return reply.code(status).send(result)
  })

  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: WORKER_ATTENDANCE_PATH,
    // A wrong method still needs a key, and counts against it like any request.
    onRequest: guard,
    handler: async (request) => {
      throw new HttpError(405, 'method_not_allowed', `Method ${request.method} is not allowed: only POST requests are accepted.`, {headers: {allow: 'POST'}})
    },
  })
}

function readBody(request: FastifyRequest): unknown {
  let body = request.body
  if (typeof body === 'string') {
    // Some terminals label their JSON text/plain; read it as JSON rather than refuse the punches.
    if (body.trim() === '') body = undefined
    else {
      try {
        body = JSON.parse(body)
      } catch {
        throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.')
      }
    }
  }
  if (body === undefined || body === null) throw new HttpError(400, 'empty_body', 'The request body is empty; expected a JSON object.')
  return body
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readEnvelope(body: unknown): Envelope {
  if (!isObject(body)) {
    throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object: a single event or {"device_info": {…}, "events": […]}.')
  }
  if (!('events' in body) && !('device_info' in body)) return {events: [body], single: true, device: null}

  if (!('events' in body)) throw new HttpError(400, 'invalid_request', 'Missing required field: events', {param: 'events'})
  const events = body.events
  if (!Array.isArray(events)) throw new HttpError(400, 'invalid_request', 'Field events must be an array of events.', {param: 'events'})
  if (events.length === 0) throw new HttpError(400, 'invalid_request', 'Field events must contain at least one event.', {param: 'events'})
  if (events.length > MAX_EVENTS) {
    throw new HttpError(400, 'too_many_events', `Too many events: ${events.length} in one request, at most ${MAX_EVENTS}.`, {param: 'events'})
  }
  return {events, single: false, device: readDeviceInfo(body.device_info)}
}

function readDeviceInfo(value: unknown): Envelope['device'] {
  if (value === undefined || value === null) return null
  if (!isObject(value)) throw new HttpError(400, 'invalid_request', 'Field device_info must be an object.', {param: 'device_info'})
  const {device_id: serial, device_name: name, location} = value
  if (serial === undefined || serial === null || serial === '') {
    throw new HttpError(400, 'invalid_request', 'Missing required field: device_info.device_id', {param: 'device_info.device_id'})
  }
  // Numeric ids are common in firmware JSON; the import path (readDeviceInfo) accepts them too.
  const id = typeof serial === 'number' && Number.isFinite(serial) ? String(serial) : serial
  if (typeof id !== 'string') throw new HttpError(400, 'invalid_request', 'Field device_info.device_id must be a string.', {param: 'device_info.device_id'})
  for (const [field, text] of [['device_name', name], ['location', location]] as const) {
    if (text !== undefined && text !== null && typeof text !== 'string') {
      throw new HttpError(400, 'invalid_request', `Field device_info.${field} must be a string.`, {param: `device_info.${field}`})
    }
  }
  return {serial: id.trim(), name: typeof name === 'string' ? name : undefined, location: typeof location === 'string' ? location : undefined}
}

function processEvents(deps: ServerDeps, envelope: Envelope): AttendanceResponse {
  const now = deps.now()
  let serial: string | null = null
  if (envelope.device) {
    const known = findDeviceBySerial(deps.store, envelope.device.serial)
    if (known && known.status !== 'active') {
      throw new HttpError(403, 'device_inactive', `Device ${known.serial} is inactive: its punches are refused until it is reactivated (attend devices update ${known.serial} --status active).`)
    }
    let device
    try {
      device = registerOrUpdateDevice(deps.store, envelope.device, now)
    } catch (error) {
      // validateSerial's sentence names the bad serial; say which field carried it.
      const reason = error instanceof Error ? error.message : String(error)
      throw new HttpError(400, 'invalid_request', `Field device_info.device_id: ${reason}`, {param: 'device_info.device_id'})
    }
    touchDevice(deps.store, device.id, now)
    serial = device.serial
  }

  const results: (EventResult | undefined)[] = new Array(envelope.events.length)
  const punches: CanonicalPunch[] = []
  const positions: number[] = []
  envelope.events.forEach((event, index) => {
    const parsed = parseAttendanceEvent(event, index, serial)
    if (parsed.ok) {
      punches.push(parsed.punch)
      positions.push(index)
    } else {
      results[index] = failedResult(event, parsed.rejected.reason)
    }
  })

  if (punches.length > 0) {
    const ingest = ingestPunches(deps.store, punches, {source: SOURCE, now})
    ingest.outcomes.forEach((outcome, i) => {
      const index = positions[i]
      results[index] = outcomeResult(envelope.events[index], punches[i], outcome)
    })
  }

  const final = results as EventResult[]
  const failed = final.filter((r) => !r.success).length
  const processed = final.length
  return {
    success: failed === 0,
    message: summary(processed, failed, final),
    processed,
    successful: processed - failed,
    failed,
    results: final,
  }
}

function summary(processed: number, failed: number, results: EventResult[]): string {
  if (failed === 0) return 'Attendance data processed successfully'
  if (failed < processed) return `Attendance data partially processed: ${failed} of ${processed} events failed`
  if (processed === 1) return `Processing failed: ${results[0].message}`
  return `Processing failed: all ${processed} events were rejected`
}

function field(event: unknown, name: string): string | null {
  if (!isObject(event)) return null
  const value = event[name]
  return typeof value === 'string' ? value : null
}

function failedResult(event: unknown, reason: string): EventResult {
  return {success: false, message: reason, worker_id: field(event, 'employeeId'), worker_name: null, assignment_id: null, event_type: field(event, 'eventType')}
}

function outcomeResult(event: unknown, punch: CanonicalPunch, outcome: IngestOutcome): EventResult {
  if (outcome.status === 'rejected') return failedResult(event, outcome.reason)
  const employee = outcome.employee
  const base = {
    worker_id: employee?.code ?? punch.deviceUserId,
    worker_name: employee?.name ?? null,
    assignment_id: outcome.punchId,
    event_type: field(event, 'eventType'),
  }
  if (outcome.status === 'duplicate') return {success: true, message: 'Attendance already recorded (duplicate scan)', ...base}
  if (!employee) {
    return {success: true, message: `Attendance recorded; no worker has employee ID "${punch.deviceUserId}" yet (stored as unmapped)`, ...base}
  }
  return {success: true, message: 'Attendance recorded successfully', ...base}
}
