/**
 * The v1 API's attendance record (`POST /v1/attendance`): the request body → what to
 * store, and the stored punch → the `att_…` JSON the API answers with. Pure: the route resolves the
 * user and device references against the store.
 */
import type {PunchDirection, PunchTime} from '../punches/types.js'
import {parseTimestamp, timestampRejection} from '../time/parse.js'
import {describeValue} from './describe-value.js'
import {idTooLong, quote} from './input-policy.js'

export type V1AttendanceType = 'check_in' | 'check_out'

/** `usr_42` names employee id 42; anything else is an employee code. */
export type UserRef = {kind: 'id'; id: number; text: string} | {kind: 'code'; code: string; text: string}
/** `dev_7` names device id 7; anything else is a device serial. */
export type DeviceRef = {kind: 'id'; id: number; text: string} | {kind: 'serial'; serial: string; text: string}

export interface V1AttendanceRequest {
  user: UserRef
  device: DeviceRef
  type: V1AttendanceType
  direction: PunchDirection
  /** null: the caller left timestamp out, so the punch is "now". */
  time: PunchTime | null
  timeText: string | null
}

/** A rejected body: `param` is the field at fault (v1 errors report it). */
export interface V1FieldError {
  param: string
  message: string
}

const FIELDS = ['user_id', 'device_id', 'type', 'timestamp'] as const
const TYPES: Record<V1AttendanceType, PunchDirection> = {check_in: 'in', check_out: 'out'}

/** `usr_123` ↔ employee 123, `dev_7` ↔ device 7, `att_99` ↔ punch 99. */
export const v1Id = {
  user: (id: number) => `usr_${id}`,
  device: (id: number) => `dev_${id}`,
  attendance: (id: number) => `att_${id}`,
}

export function parseV1AttendanceBody(body: unknown): {ok: true; value: V1AttendanceRequest} | {ok: false; error: V1FieldError} {
  const fail = (param: string, message: string) => ({ok: false as const, error: {param, message}})
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail('body', `The request body must be a JSON object with user_id, device_id and type, not ${describeValue(body)}.`)
  }
  const record = body as Record<string, unknown>
  // Strict: a misspelt field (userId, timeStamp) must not silently become "missing" or "now".
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) return fail(key, `Unknown parameter: ${key}. Expected ${FIELDS.join(', ')}.`)
  }
  for (const name of ['user_id', 'device_id', 'type'] as const) {
    const value = record[name]
    if (value === undefined || value === null || value === '') return fail(name, `Missing required parameter: ${name}.`)
    if (typeof value !== 'string') return fail(name, `${name} must be a string, not ${describeValue(value)}.`)
  }

  for (const name of ['user_id', 'device_id'] as const) {
    const tooLong = idTooLong((record[name] as string).trim(), name)
    if (tooLong) return fail(name, tooLong)
  }
  const user = parseRef(record.user_id as string, 'usr_')
  if (!user) return fail('user_id', `user_id ${quote(record.user_id as string)} is not a valid user id: expected usr_<number> or an employee code.`)
  const device = parseRef(record.device_id as string, 'dev_')
  if (!device) return fail('device_id', `device_id ${quote(record.device_id as string)} is not a valid device id: expected dev_<number> or a device serial.`)

  const type = (record.type as string).trim().toLowerCase()
  if (type !== 'check_in' && type !== 'check_out') return fail('type', `type must be "check_in" or "check_out", not ${quote(record.type as string)}.`)

  let time: PunchTime | null = null
  let timeText: string | null = null
  const timestamp = record.timestamp
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'string') return fail('timestamp', `timestamp must be an ISO 8601 string, not ${describeValue(timestamp)}.`)
    try {
      time = parseTimestamp(timestamp)
      timeText = timestamp
    } catch (error) {
      return fail('timestamp', timestampRejection('timestamp', timestamp, error, 'is not an ISO 8601 timestamp such as 2023-01-15T09:00:00Z'))
    }
  }

  return {
    ok: true,
    value: {
      user: user.kind === 'id' ? {kind: 'id', id: user.id, text: user.text} : {kind: 'code', code: user.text, text: user.text},
      device: device.kind === 'id' ? {kind: 'id', id: device.id, text: device.text} : {kind: 'serial', serial: device.text, text: device.text},
      type,
      direction: TYPES[type],
      time,
      timeText,
    },
  }
}

function parseRef(value: string, prefix: string): {kind: 'id'; id: number; text: string} | {kind: 'text'; text: string} | undefined {
  const text = value.trim()
  if (!text) return undefined
  if (text.toLowerCase().startsWith(prefix)) {
    const digits = text.slice(prefix.length)
    if (!/^\d{1,15}$/.test(digits)) return undefined
    return {kind: 'id', id: Number(digits), text}
  }
  return {kind: 'text', text}
}

/** ISO 8601 in UTC as the v1 API writes it: `2023-01-15T09:00:00Z` (milliseconds only when present). */
export function v1Time(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

export interface V1Attendance {
  id: string
  user_id: string | null
  device_id: string | null
  type: V1AttendanceType
  timestamp: string
  created_at: string
}

export function toV1Attendance(input: {punchId: number; employeeId: number | null; deviceId: number | null; type: V1AttendanceType; instant: number; receivedAt: number}): V1Attendance {
  return {
    id: v1Id.attendance(input.punchId),
    user_id: input.employeeId === null ? null : v1Id.user(input.employeeId),
    device_id: input.deviceId === null ? null : v1Id.device(input.deviceId),
    type: input.type,
    timestamp: v1Time(input.instant),
    created_at: v1Time(input.receivedAt),
  }
}
