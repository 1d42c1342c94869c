import type {ZkUser} from './records.js'
import {text} from './records.js'
import {decodeTimeBytes, impossibleDate, type ZkDateTime} from './time.js'

/** A punch reported as it happens (REG_EVENT with EF_ATTLOG). */
export interface ZkRealtimePunch {
  userId: string
  state: number
  verify: number
  time: ZkDateTime
  raw: Buffer
}

export type ZkRealtimeRecord = {ok: true; punch: ZkRealtimePunch} | {ok: false; reason: string; raw: Buffer}

/**
 * The event's size tells its layout (firmware differs): the user id is a u16 (10 and 14 bytes), a
 * u32 (12) or 24 bytes of text (32, 36, 37, and 52 per record on newer firmware, which may batch
 * several); then verify method, state and a six-byte time. Numeric ids are user ids; one that no user has
 * but that is some user's uid is that user (older firmware sends the slot).
 */
export function decodeRealtimeAttendance(data: Buffer, users: readonly ZkUser[] = []): ZkRealtimeRecord[] {
  const out: ZkRealtimeRecord[] = []
  let rest = data
  while (rest.length > 0) {
    const size = formSize(rest.length)
    if (size === null) {
      out.push({ok: false, reason: `an attendance event of ${rest.length} bytes has no known layout (10, 12, 14, 32, 36, 37 or 52 bytes)`, raw: rest})
      break
    }
    const raw = rest.subarray(0, size)
    rest = rest.subarray(size)
    const numeric = size === 10 || size === 14 ? raw.readUInt16LE(0) : size === 12 ? raw.readUInt32LE(0) : null
    const idEnd = numeric === null ? 24 : size === 12 ? 4 : 2
    const userId = numeric === null ? (text(raw, 0, 24) ?? '') : resolveNumeric(numeric, users)
    const time = decodeTimeBytes(raw, idEnd + 2)
    const impossible = impossibleDate(time)
    if (userId === '') out.push({ok: false, reason: 'an attendance event names no user', raw})
    else if (impossible) out.push({ok: false, reason: `attendance event of user ${userId}: ${impossible} on the device clock`, raw})
    else out.push({ok: true, punch: {userId, verify: raw[idEnd], state: raw[idEnd + 1], time, raw}})
  }
  return out
}

function formSize(length: number): number | null {
  if ([10, 12, 14, 32, 36, 37].includes(length)) return length
  if (length >= 52) return 52
  return null
}

function resolveNumeric(n: number, users: readonly ZkUser[]): string {
  const id = String(n)
  if (users.some((u) => u.userId === id)) return id
  return users.find((u) => u.uid === n)?.userId ?? id
}
