/**
 * Push-mode terminals: `{"logs":[{"user_id":"1","timestamp":"2026-03-12 08:05:00","status":0}, …]}`.
 * The timestamp is the device's wall clock (resolved later in the device's or the site's zone);
 * `status` is optional and kept raw, turned into a direction only through the device's state map.
 */
import type {ParsedRecord} from '../punches/types.js'
import {parseTimestamp, timestampRejection} from '../time/parse.js'
import {describeValue, safeJson} from './describe-value.js'
import {idTooLong} from './input-policy.js'
import {directionFromStateMap, type StateMap} from './state-map.js'

/** The `logs` array of a push-log body, or the sentence explaining why the body is not one. */
export function readPushLogBody(value: unknown): {ok: true; logs: unknown[]} | {ok: false; message: string} {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {ok: false, message: 'The request body must be a JSON object with a "logs" array.'}
  }
  const logs = (value as Record<string, unknown>).logs
  if (logs === undefined || logs === null) return {ok: false, message: 'Missing required field: logs (an array of punches).'}
  if (!Array.isArray(logs)) return {ok: false, message: `logs must be an array of punches, not ${describeValue(logs)}.`}
  if (logs.length === 0) return {ok: false, message: 'logs is empty: send at least one punch.'}
  return {ok: true, logs}
}

/** One entry of `logs`; `index` is its 0-based position, named in every rejection as `logs[i]`. */
export function parsePushLogEntry(value: unknown, index: number, serial: string, stateMap: StateMap | null = null): ParsedRecord {
  const at = `logs[${index}]`
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line: index + 1, reason, raw: safeJson(value)}})
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(`${at} must be an object with user_id and timestamp, not ${describeValue(value)}.`)
  }
  const entry = value as Record<string, unknown>

  let userId: string
  if (entry.user_id === undefined || entry.user_id === null || entry.user_id === '') return reject(`${at}.user_id is required.`)
  if (typeof entry.user_id === 'number' && Number.isInteger(entry.user_id) && entry.user_id >= 0) userId = String(entry.user_id)
  else if (typeof entry.user_id === 'string' && entry.user_id.trim()) userId = entry.user_id.trim()
  else return reject(`${at}.user_id must be a string such as "1", not ${describeValue(entry.user_id)}.`)
  const tooLong = idTooLong(userId, `${at}.user_id`)
  if (tooLong) return reject(tooLong)

  if (entry.timestamp === undefined || entry.timestamp === null || entry.timestamp === '') {
    return reject(`${at}.timestamp is required ("YYYY-MM-DD HH:MM:SS", device time).`)
  }
  if (typeof entry.timestamp !== 'string') {
    return reject(`${at}.timestamp must be a string "YYYY-MM-DD HH:MM:SS", not ${describeValue(entry.timestamp)}.`)
  }
  let time
  try {
    time = parseTimestamp(entry.timestamp.trim())
  } catch (error) {
    return reject(timestampRejection(`${at}.timestamp`, entry.timestamp, error, 'is not a valid time: expected "YYYY-MM-DD HH:MM:SS"'))
  }

  let status: string | null = null
  if (entry.status !== undefined && entry.status !== null) {
    if (typeof entry.status !== 'number' || !Number.isInteger(entry.status)) {
      return reject(`${at}.status must be an integer such as 0, not ${describeValue(entry.status)}.`)
    }
    status = String(entry.status)
  }

  return {
    ok: true,
    punch: {
      deviceUserId: userId,
      time,
      timeText: entry.timestamp,
      deviceSerial: serial,
      direction: directionFromStateMap(stateMap, status),
      rawStatus: status,
      raw: safeJson(value),
      line: index + 1,
    },
  }
}
