/**
 * CAMS Biometric Web API 3.0 callbacks: the RealTime punch and the historical PunchLog
 * batch. Shared by `attend import --format cams` and `POST /api/cams/callback`.
 */
import type {ParsedRecord, PunchDirection} from '../punches/types.js'
import {parseTimestamp, timestampRejection} from '../time/parse.js'
import {describeValue, safeJson} from './describe-value.js'
import {idTooLong, nameTooLong} from './input-policy.js'

/** CAMS punch types that say which way the person went. Break/meal punches keep their side too. */
const TYPE_DIRECTIONS: Record<string, PunchDirection> = {
  checkin: 'in',
  checkout: 'out',
  breakin: 'in',
  breakout: 'out',
  overtimein: 'in',
  overtimeout: 'out',
  mealin: 'in',
  mealout: 'out',
}

/**
 * One punch of a PunchLog (`UserID`, batch) or RealTime (`UserId`) body. `LogTime` is device wall
 * clock with ` GMT ±HHMM` (exact) or without it (device/site zone). Type and InputType are kept raw;
 * numeric types (some resellers) give no direction.
 */
export function parseCamsPunchLog(value: unknown, index: number, serial?: string | null): ParsedRecord {
  const raw = safeJson(value)
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line: index + 1, reason, raw}})
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(`Log[${index}] must be an object with Type, UserID and LogTime, not ${describeValue(value)}.`)
  }
  const log = value as Record<string, unknown>
  const userValue = log.UserID ?? log.UserId ?? log.userId ?? log.userid
  let userId: string
  if (typeof userValue === 'string' && userValue.trim()) userId = userValue.trim()
  else if (typeof userValue === 'number' && Number.isFinite(userValue)) userId = String(userValue)
  else if (userValue === undefined || userValue === null || userValue === '') return reject(`Log[${index}]: missing required field UserID.`)
  else return reject(`Log[${index}].UserID must be a string such as "EMP-0001", not ${describeValue(userValue)}.`)
  const userTooLong = idTooLong(userId, `Log[${index}].UserID`)
  if (userTooLong) return reject(userTooLong)

  const logTime = log.LogTime
  if (logTime === undefined || logTime === null || logTime === '') return reject(`Log[${index}]: missing required field LogTime.`)
  if (typeof logTime !== 'string') return reject(`Log[${index}].LogTime must be a string such as "2024-09-17 08:00:00 GMT +0300", not ${describeValue(logTime)}.`)
  let time
  try {
    time = parseTimestamp(logTime)
  } catch (error) {
    return reject(timestampRejection(`Log[${index}].LogTime`, logTime, error, 'is not a time such as "2024-09-17 08:00:00 GMT +0300"'))
  }

  const type = log.Type
  let rawStatus: string | null = null
  let direction: PunchDirection | null = null
  if (typeof type === 'string' && type.trim()) {
    rawStatus = type.trim()
    direction = TYPE_DIRECTIONS[rawStatus.toLowerCase().replace(/[^a-z]/g, '')] ?? null
  } else if (typeof type === 'number' && Number.isFinite(type)) {
    rawStatus = String(type)
  }

  const temperature = typeof log.Temperature === 'number' ? log.Temperature : typeof log.Temperature === 'string' && log.Temperature.trim() ? Number(log.Temperature) : NaN
  const mask = typeof log.FaceMask === 'boolean' ? log.FaceMask : log.FaceMask === 'true' || log.FaceMask === 'false' ? log.FaceMask === 'true' : null
  const inputType = typeof log.InputType === 'string' || typeof log.InputType === 'number' ? String(log.InputType).trim() || null : null

  return {
    ok: true,
    punch: {
      deviceUserId: userId,
      time,
      timeText: logTime,
      deviceSerial: serial ?? null,
      direction,
      rawStatus,
      rawVerify: inputType,
      temperature: Number.isFinite(temperature) && temperature > 0 ? temperature : null,
      mask,
      raw,
      line: index + 1,
    },
  }
}

/** A user the gateway reports (Add/Delete User, RealTime.UserUpdated): the device's id and names. */
export interface CamsUser {
  userId: string
  name: string | null
  userType: string | null
}

/**
 * `{"UserID": "1", "FirstName": "Manu", "LastName": "Mona", "UserType": "User"}` → the device user;
 * a sentence naming the field for anything else. Names past the length policy are refused.
 */
export function parseCamsUser(value: unknown, where: string): CamsUser | {reason: string} {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {reason: `${where} must be an object with UserID, not ${describeValue(value)}.`}
  const user = value as Record<string, unknown>
  const raw = user.UserID ?? user.UserId
  const userId = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : ''
  if (!userId) return {reason: `${where}.UserID is missing: expected the user's id on the device.`}
  const tooLong = idTooLong(userId, `${where}.UserID`)
  if (tooLong) return {reason: tooLong}
  const text = (field: unknown) => (typeof field === 'string' ? field.trim() : '')
  const name = [text(user.FirstName), text(user.LastName)].filter((part) => part !== '').join(' ')
  const nameLong = nameTooLong(name, `${where} name`)
  if (nameLong) return {reason: nameLong}
  const userType = text(user.UserType)
  return {userId, name: name || null, userType: userType ? userType.slice(0, 64) : null}
}

export type CamsBody =
  | {kind: 'realtime'; serial: string | null; authToken: string | null; operationId: string | null; log: unknown}
  | {kind: 'batch'; logs: unknown[]}

/** Recognizes a RealTime or PunchLog body; throws a sentence naming what is missing. */
export function readCamsBody(value: unknown): CamsBody {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('A CAMS body must be a JSON object with "RealTime" or "PunchLog".')
  }
  const body = value as Record<string, unknown>
  if (body.RealTime !== undefined) {
    const rt = body.RealTime as Record<string, unknown> | null
    if (rt === null || typeof rt !== 'object' || Array.isArray(rt)) throw new Error(`RealTime must be an object, not ${describeValue(rt)}.`)
    if (rt.PunchLog === undefined || rt.PunchLog === null) throw new Error('Missing required field: RealTime.PunchLog.')
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null)
    return {kind: 'realtime', serial: text(rt.SerialNumber), authToken: text(rt.AuthToken), operationId: text(rt.OperationID), log: rt.PunchLog}
  }
  if (body.PunchLog !== undefined) {
    const pl = body.PunchLog as Record<string, unknown> | null
    if (pl === null || typeof pl !== 'object' || Array.isArray(pl)) throw new Error(`PunchLog must be an object with a Log array, not ${describeValue(pl)}.`)
    const logs = pl.Log
    if (logs === undefined || logs === null) throw new Error('Missing required field: PunchLog.Log.')
    return {kind: 'batch', logs: Array.isArray(logs) ? logs : [logs]}
  }
  throw new Error('A CAMS body must have "RealTime" or "PunchLog".')
}
