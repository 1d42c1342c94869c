import type {FastifyRequest} from 'fastify'

import {addressAllowed, describeAllowFrom} from '../../devices/allow-list.js'
import {validateSerial} from '../../devices/service.js'
import {MAX_ID_LENGTH, quote} from '../../formats/input-policy.js'
import {parseAttendanceEvent} from '../../formats/json-events.js'
import type {AttendStore} from '../../store/port.js'
import type {ServerDeps} from '../deps.js'
import {seenLongAgo} from '../device-seen.js'
import {HttpError} from '../errors/http-error.js'
import {inactive} from '../kit/authenticate.js'
import type {Family} from '../kit/family.js'
import {ingestInJobs, type EntryResult} from '../kit/ingest.js'

export const WORKER_ATTENDANCE_PATH = '/api/biometric/attendance'
/** The worker attendance API: "Bulk operations limited to 100 events per request". */
export const MAX_EVENTS = 100
const SOURCE = 'http:worker-attendance'

/** One entry of `results[]`, exactly the API's documented fields. */
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
  /** A bare event (not `{events: […]}`): a failure answers like the API's documented error example. */
  single: boolean
  device: {serial: string; name?: string; location?: string} | null
}

/**
 * The worker attendance API: `POST /api/biometric/attendance` with an API key in
 * X-API-Key or ?api_key=. A single event or `{device_info, events[]}`; every event gets a result.
 *
 * Status codes: 200 when every event was recorded (a resent event counts: it is already
 * recorded); 207 when some were and some were not — the good ones are stored, `success` is false,
 * and each bad one's result says why, so a client knows a retry of the same batch cannot fix them;
 * 400 when none was (or the request itself is malformed).
 *
 * Unknown fields (device telemetry such as `temperature` in device_info, or fields a newer firmware
 * adds) are ignored rather than rejected: refusing them would lose punches over data we do not use.
 */
export const workerAttendanceFamily: Family = {
  name: 'worker-attendance',
  paths: ['/api/biometric'],
  render: (failure) => ({
    success: false,
    message: [400, 408, 413, 415, 431].includes(failure.statusCode) ? `Processing failed: ${failure.message}` : failure.message,
  }),
  hint: `attendance is sent with POST ${WORKER_ATTENDANCE_PATH}`,
  async routes(app, {deps, unmatched}) {
    const guard = app.apiKeyGuard.hook(['x-api-key', 'query', 'bearer'])

    app.post(WORKER_ATTENDANCE_PATH, {onRequest: guard, config: {scope: 'ingest'}}, async (request, reply) => {
      const envelope = readEnvelope(readBody(request))
      // The device is admitted (registered when new) before its punches are stored: a device that
      // announced itself stays registered even when every event is refused.
      const serial = envelope.device ? await admitDevice(deps, request, envelope.device, deps.now()) : null
      const result = await processEvents(app.attendStore, envelope, serial)
      const status = result.failed === 0 ? 200 : result.successful > 0 ? 207 : 400
      if (envelope.single && result.failed === 1) return reply.code(400).send({success: false, message: result.message})
      return reply.code(status).send(result)
    })

    // A wrong method still needs a key (and counts against it) before it is told which one to use.
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: WORKER_ATTENDANCE_PATH,
      onRequest: guard,
      config: {unmatched: true},
      handler: async (request) => {
        throw unmatched(request)
      },
    })
  },
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

/** The envelope's events through the port's pipeline (on SQLite, in the server's group commit). */
async function processEvents(store: AttendStore, envelope: Envelope, serial: string | null): Promise<AttendanceResponse> {
  const records = envelope.events.map((event, index) => parseAttendanceEvent(event, index, serial))
  const summary = await ingestInJobs(store, records, {source: SOURCE})
  const results = summary.results.map((result) => eventResult(envelope.events[result.index], result))
  const failed = results.filter((r) => !r.success).length
  const processed = results.length
  return {
    success: failed === 0,
    message: summaryMessage(processed, failed, results),
    processed,
    successful: processed - failed,
    failed,
    results,
  }
}

/**
 * The device `device_info` names: registered when new (an ingest key may add a terminal), left as it
 * is when known — an ingest key cannot rename or move a device an admin registered. Its allow-list
 * and status apply as in the device families.
 */
async function admitDevice(deps: ServerDeps, request: FastifyRequest, info: NonNullable<Envelope['device']>, now: number): Promise<string> {
  const devices = request.server.attendStore.devices
  let serial: string
  try {
    serial = validateSerial(info.serial)
  } catch (error) {
    // validateSerial's sentence names the bad serial; say which field carried it.
    const reason = error instanceof Error ? error.message : String(error)
    throw new HttpError(400, 'invalid_request', `Field device_info.device_id: ${reason}`, {param: 'device_info.device_id'})
  }
  const known = await devices.bySerial(serial)
  if (!known) {
    await devices.announce({serial, name: info.name, location: info.location}, now)
    return serial
  }
  if (!addressAllowed(known.allowFrom, request.socket.remoteAddress)) {
    throw new HttpError(403, 'address_not_allowed', `Device ${known.serial} may not send from ${request.socket.remoteAddress ?? 'this address'}: it is allowed only from ${describeAllowFrom(known.allowFrom)}.`)
  }
  if (known.status !== 'active') throw inactive(known)
  if (seenLongAgo(known, now)) await devices.markSeen(known.id, now)
  return known.serial
}

function summaryMessage(processed: number, failed: number, results: EventResult[]): string {
  if (failed === 0) return 'Attendance data processed successfully'
  if (failed < processed) return `Attendance data partially processed: ${failed} of ${processed} events failed`
  if (processed === 1) return `Processing failed: ${results[0].message}`
  return `Processing failed: all ${processed} events were rejected`
}

/** An echoed input field, never longer than an id may be (bodies stay small). */
function field(event: unknown, name: string): string | null {
  if (!isObject(event)) return null
  const value = event[name]
  return typeof value === 'string' ? value.slice(0, MAX_ID_LENGTH) : null
}

function eventResult(event: unknown, result: EntryResult): EventResult {
  if (result.status === 'rejected') {
    return {success: false, message: result.reason, worker_id: field(event, 'employeeId'), worker_name: null, assignment_id: null, event_type: field(event, 'eventType')}
  }
  const employee = result.employee
  const base = {
    worker_id: employee?.code ?? result.punch.deviceUserId,
    worker_name: employee?.name ?? null,
    assignment_id: result.punchId,
    event_type: field(event, 'eventType'),
  }
  if (result.status === 'duplicate') return {success: true, message: 'Attendance already recorded (duplicate scan)', ...base}
  if (!employee) {
    return {success: true, message: `Attendance recorded; no worker has employee ID ${quote(result.punch.deviceUserId)} yet (stored as unmapped)`, ...base}
  }
  return {success: true, message: 'Attendance recorded successfully', ...base}
}
