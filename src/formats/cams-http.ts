/**
 * CAMS HTTP Attendance API punch body:
 * `{"user_id":"1001","att_time":"2026-06-21 09:30:00","att_state":1,"input_type":50[,"location"]}`.
 * There is no public code table for att_state/input_type, so both are kept raw; the direction is
 * known only when the device has a state map (CAMS's own example punches state 1 at 09:30).
 */
import type {ParsedRecord} from '../punches/types.js'
import {parseTimestamp, timestampRejection} from '../time/parse.js'
import {describeValue as describe, safeJson} from './describe-value.js'
import {idTooLong, nameTooLong} from './input-policy.js'
import {directionFromStateMap, type StateMap} from './state-map.js'

export function parseCamsHttpPunch(value: unknown, serial: string, stateMap: StateMap | null = null): ParsedRecord {
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line: 1, reason, raw: safeJson(value)}})
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject('The punch body must be a JSON object with user_id, att_time, att_state and input_type.')
  }
  const body = value as Record<string, unknown>

  const userId = readUserId(body.user_id)
  if (typeof userId !== 'string') return reject(userId.error)

  if (body.att_time === undefined || body.att_time === null || body.att_time === '') {
    return reject('Missing required field: att_time (device time as "YYYY-MM-DD HH:MM:SS").')
  }
  if (typeof body.att_time !== 'string') return reject(`att_time must be a string "YYYY-MM-DD HH:MM:SS", not ${describe(body.att_time)}.`)
  let time
  try {
    time = parseTimestamp(body.att_time.trim())
  } catch (error) {
    return reject(timestampRejection('att_time', body.att_time, error, 'is not a valid time: expected "YYYY-MM-DD HH:MM:SS"'))
  }

  const state = readCode(body.att_state, 'att_state')
  if (typeof state !== 'string') return reject(state.error)
  const input = readCode(body.input_type, 'input_type')
  if (typeof input !== 'string') return reject(input.error)

  const location = readLocation(body.location)
  if (location !== null && typeof location !== 'string') return reject(location.error)

  return {
    ok: true,
    punch: {
      deviceUserId: userId,
      time,
      timeText: body.att_time,
      deviceSerial: serial,
      direction: directionFromStateMap(stateMap, state),
      rawStatus: state,
      rawVerify: input,
      note: location === null ? null : `location: ${location}`,
      raw: safeJson(value),
      line: 1,
    },
  }
}

function readUserId(value: unknown): string | {error: string} {
  if (value === undefined || value === null || value === '') return {error: 'Missing required field: user_id.'}
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value)
  if (typeof value !== 'string') return {error: `user_id must be a string such as "1001", not ${describe(value)}.`}
  const id = value.trim()
  if (!id) return {error: 'user_id cannot be blank.'}
  const tooLong = idTooLong(id, 'user_id')
  return tooLong ? {error: tooLong} : id
}

function readCode(value: unknown, field: 'att_state' | 'input_type'): string | {error: string} {
  if (value === undefined || value === null) return {error: `Missing required field: ${field} (an integer).`}
  if (typeof value !== 'number' || !Number.isInteger(value)) return {error: `${field} must be an integer, not ${describe(value)}.`}
  return String(value)
}

/** Location is free-form on this API: a place name, or coordinates as an object (kept as its JSON). */
function readLocation(value: unknown): string | null | {error: string} {
  if (value === undefined || value === null || value === '') return null
  let text: string
  if (typeof value === 'string') text = value.trim()
  else if (typeof value === 'object' && !Array.isArray(value)) text = JSON.stringify(value)
  else return {error: `location must be a string or an object, not ${describe(value)}.`}
  const tooLong = nameTooLong(text, 'location')
  return tooLong ? {error: tooLong} : text
}
