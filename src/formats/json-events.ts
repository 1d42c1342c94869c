/**
 * Worker attendance events: a single event, `{device_info, events[]}`, arrays of them,
 * and (for files) JSON Lines. Shared by `attend import --format json` and
 * `POST /api/biometric/attendance`.
 */
import type {ParsedRecord, PunchDirection} from '../punches/types.js'
import {parseTimestamp, timestampRejection} from '../time/parse.js'
import {describeValue, safeJson} from './describe-value.js'
import {idTooLong, nameTooLong} from './input-policy.js'

const REQUIRED = ['scanId', 'employeeId', 'eventType', 'timestamp'] as const
const EVENT_TYPES: Record<string, PunchDirection> = {check_in: 'in', check_out: 'out'}

/**
 * One event → a punch, or a rejection whose reason is exactly `Missing required field: <name>` for a
 * missing field (the API's documented wording), else a sentence naming the field. `index` is 0-based; the
 * record's line is index + 1.
 */
export function parseAttendanceEvent(value: unknown, index: number, deviceSerial?: string | null): ParsedRecord {
  const raw = safeJson(value)
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line: index + 1, reason, raw}})
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(`An event must be an object with scanId, employeeId, eventType and timestamp, not ${describeValue(value)}.`)
  }
  const event = value as Record<string, unknown>
  for (const field of REQUIRED) {
    const v = event[field]
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return reject(`Missing required field: ${field}`)
  }

  const scanId = idText(event.scanId)
  if (scanId === null) return reject(`scanId must be a string, not ${describeValue(event.scanId)}.`)
  const scanTooLong = idTooLong(scanId, 'scanId')
  if (scanTooLong) return reject(scanTooLong)
  const employeeId = idText(event.employeeId)
  if (employeeId === null) return reject(`employeeId must be a string such as "EMP001", not ${describeValue(event.employeeId)}.`)
  const employeeTooLong = idTooLong(employeeId, 'employeeId')
  if (employeeTooLong) return reject(employeeTooLong)
  if (typeof event.eventType !== 'string' || !(event.eventType.trim().toLowerCase() in EVENT_TYPES)) {
    return reject(`eventType must be "check_in" or "check_out", not ${describeValue(event.eventType)}.`)
  }
  const direction = EVENT_TYPES[event.eventType.trim().toLowerCase()]
  if (typeof event.timestamp !== 'string') return reject(`timestamp must be an ISO 8601 string, not ${describeValue(event.timestamp)}.`)
  let time
  try {
    time = parseTimestamp(event.timestamp)
  } catch (error) {
    return reject(timestampRejection('timestamp', event.timestamp, error, 'is not an ISO 8601 timestamp such as 2024-12-01T08:30:00Z'))
  }

  const statusCode = optionalNumber(event.statusCode, 'statusCode', true)
  if (typeof statusCode === 'string') return reject(statusCode)
  const temperature = optionalNumber(event.temperature, 'temperature')
  if (typeof temperature === 'string') return reject(temperature)
  const confidence = optionalNumber(event.confidenceScore, 'confidenceScore')
  if (typeof confidence === 'string') return reject(confidence)
  if (confidence !== null && (confidence < 0 || confidence > 100)) return reject(`confidenceScore ${confidence} must be between 0 and 100.`)
  let mask: boolean | null = null
  if (event.maskDetected !== undefined && event.maskDetected !== null) {
    if (typeof event.maskDetected !== 'boolean') return reject(`maskDetected must be true or false, not ${describeValue(event.maskDetected)}.`)
    mask = event.maskDetected
  }

  return {
    ok: true,
    punch: {
      deviceUserId: employeeId,
      time,
      timeText: event.timestamp,
      deviceSerial: deviceSerial ?? null,
      direction,
      rawStatus: statusCode === null ? null : String(statusCode),
      scanId,
      temperature,
      mask,
      confidence,
      raw,
      line: index + 1,
    },
  }
}

export interface EventDocumentEntry {
  /** The event object and the device serial its batch names (device_info.device_id). */
  event: unknown
  deviceSerial: string | null
  deviceInfo: DeviceInfo | null
}

export interface DeviceInfo {
  serial: string
  name?: string
  location?: string
}

/**
 * Flattens a parsed JSON document of worker attendance shapes — a single event, `{device_info, events}`, or an
 * array of either — into events with the serial of their batch. Throws a sentence for a document
 * that is none of these.
 */
export function flattenEventDocument(value: unknown): EventDocumentEntry[] {
  const out: EventDocumentEntry[] = []
  const visit = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) {
      if (!top) throw new Error('An array inside an array is not an event document.')
      for (const item of node) visit(item, false)
      return
    }
    if (node !== null && typeof node === 'object' && 'events' in node) {
      const batch = node as {events: unknown; device_info?: unknown}
      if (!Array.isArray(batch.events)) throw new Error(`events must be an array of events, not ${describeValue(batch.events)}.`)
      const info = readDeviceInfo(batch.device_info)
      for (const event of batch.events) out.push({event, deviceSerial: info?.serial ?? null, deviceInfo: info})
      return
    }
    out.push({event: node, deviceSerial: null, deviceInfo: null})
  }
  visit(value, true)
  return out
}

/**
 * `device_info` of a batch: device_id becomes the serial; name and location register the device.
 * Names and locations past the length policy are dropped rather than stored cut: the punches still count.
 */
export function readDeviceInfo(value: unknown): DeviceInfo | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const info = value as Record<string, unknown>
  const serial = idText(info.device_id)
  if (!serial) return null
  const text = (v: unknown, what: string) => (typeof v === 'string' && v.trim() && !nameTooLong(v.trim(), what) ? v.trim() : undefined)
  return {serial, name: text(info.device_name, 'device_name'), location: text(info.location, 'location')}
}

function idText(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim()
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

function optionalNumber(value: unknown, field: string, integer = false): number | null | string {
  if (value === undefined || value === null) return null
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    return `${field} must be ${integer ? 'an integer' : 'a number'}, not ${describeValue(value)}.`
  }
  return n
}
