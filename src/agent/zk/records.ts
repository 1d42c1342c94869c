import {ZkError} from './errors.js'
import {decodePackedTime, impossibleDate, type ZkDateTime} from './time.js'

/** A user as enrolled on the terminal. */
export interface ZkUser {
  /** The device's internal slot number; 8-byte attendance records name users by it. */
  uid: number
  /** The PIN / enrollment number people know and punches carry, kept whole (up to 24 bytes). */
  userId: string
  name: string | null
  privilege: number
  /** Card number; null when none is enrolled (0). */
  card: number | null
  group: string | null
}

/** One attendance log entry as the device stored it. */
export interface ZkAttendance {
  /** 1-based position in the device log. */
  index: number
  userId: string
  /** The device's slot number of the user, when the layout carries it. */
  uid: number | null
  time: ZkDateTime
  /** Attendance state (0 check-in, 1 check-out, 2 break-out, …; sites remap), raw. */
  state: number
  /** Verification method (1 fingerprint, 4 card, 15 face, …), raw. */
  verify: number
  workCode: number | null
  /** The record's bytes, kept for audits. */
  raw: Buffer
}

export interface ZkRejectedRecord {
  index: number
  reason: string
  raw: Buffer
}

export const ATTENDANCE_LAYOUTS = [8, 16, 40, 49] as const
export const USER_LAYOUTS = [28, 72] as const
export type AttendanceLayout = (typeof ATTENDANCE_LAYOUTS)[number]
export type UserLayout = (typeof USER_LAYOUTS)[number]

/**
 * The size of each record in a buffer read from the device: the buffer's stated total divided by
 * the record count the device reported. Firmware differs (8, 16, 40 or 49 bytes for attendance, 28
 * or 72 for users), so the size is measured, never assumed.
 */
export function layoutOf<T extends number>(what: string, totalBytes: number, count: number, known: readonly T[]): T {
  const size = totalBytes / count
  if (!(known as readonly number[]).includes(size)) {
    const sizes = known.join(', ')
    throw new ZkError('protocol', `the ${what} holds ${totalBytes} bytes for ${count} records, which is not a known record size (${sizes} bytes)`)
  }
  return size as T
}

/** The u32 total that starts every buffer, and the bytes after it, checked against each other. */
function body(what: string, buffer: Buffer): {total: number; bytes: Buffer} {
  if (buffer.length < 4) throw new ZkError('protocol', `the ${what} is ${buffer.length} bytes long, too short for its size field`)
  const total = buffer.readUInt32LE(0)
  const bytes = buffer.subarray(4)
  if (bytes.length < total) throw new ZkError('protocol', `the ${what} is cut short: ${bytes.length} of ${total} bytes arrived`)
  return {total, bytes: bytes.subarray(0, total)}
}

/** The user table (PREPARE_BUFFER of USERTEMP_RRQ/FCT_USER), `count` users as GET_FREE_SIZES said. */
export function decodeUserTable(buffer: Buffer, count: number): {layout: UserLayout | null; users: ZkUser[]} {
  if (count === 0) return {layout: null, users: []}
  const {total, bytes} = body('user table', buffer)
  if (total === 0) return {layout: null, users: []}
  const layout = layoutOf('user table', total, count, USER_LAYOUTS)
  const users: ZkUser[] = []
  for (let offset = 0; offset + layout <= bytes.length; offset += layout) {
    users.push(layout === 28 ? user28(bytes, offset) : user72(bytes, offset))
  }
  return {layout, users}
}

/** 28 bytes, `<HB5s8sIxBhI`: uid, privilege, password, name, card, pad, group, time zone, numeric user id. */
function user28(b: Buffer, o: number): ZkUser {
  return {
    uid: b.readUInt16LE(o),
    privilege: b[o + 2],
    name: text(b, o + 8, 8),
    card: nonZero(b.readUInt32LE(o + 16)),
    group: String(b[o + 21]),
    userId: String(b.readUInt32LE(o + 24)),
  }
}

/** 72 bytes, `<HB8s24sIx7sx24s`: uid, privilege, password, name, card, pad, group, pad, user id text. */
function user72(b: Buffer, o: number): ZkUser {
  const userId = text(b, o + 48, 24)
  return {
    uid: b.readUInt16LE(o),
    privilege: b[o + 2],
    name: text(b, o + 11, 24),
    card: nonZero(b.readUInt32LE(o + 35)),
    group: text(b, o + 40, 7),
    // A slot with no user id text is addressed by its uid, as the device shows it.
    userId: userId ?? String(b.readUInt16LE(o)),
  }
}

/**
 * The attendance log (PREPARE_BUFFER of ATTLOG_RRQ), `count` records as GET_FREE_SIZES said. Users
 * resolve the uids of 8-byte records (which carry no user id) to user ids. A record whose date
 * cannot exist is rejected with its reason; the others are returned.
 */
export function decodeAttendanceLog(
  buffer: Buffer,
  count: number,
  users: readonly ZkUser[] = [],
): {layout: AttendanceLayout | null; records: ZkAttendance[]; rejected: ZkRejectedRecord[]} {
  if (count === 0) return {layout: null, records: [], rejected: []}
  const {total, bytes} = body('attendance log', buffer)
  if (total === 0) return {layout: null, records: [], rejected: []}
  const layout = layoutOf('attendance log', total, count, ATTENDANCE_LAYOUTS)
  const byUid = new Map(users.map((u) => [u.uid, u.userId]))
  const records: ZkAttendance[] = []
  const rejected: ZkRejectedRecord[] = []
  let index = 0
  for (let offset = 0; offset + layout <= bytes.length; offset += layout) {
    index++
    const raw = bytes.subarray(offset, offset + layout)
    const record = layout === 8 ? record8(raw, index, byUid) : layout === 16 ? record16(raw, index) : record40(raw, index, byUid)
    const reason = impossibleDate(record.time)
    if (reason) rejected.push({index, reason: `record ${index} (user ${record.userId}): ${reason} on the device clock`, raw})
    else records.push(record)
  }
  return {layout, records, rejected}
}

/** 8 bytes, `<HB4sB`: uid, verify, time, state. The user id comes from the user table. */
function record8(b: Buffer, index: number, byUid: Map<number, string>): ZkAttendance {
  const uid = b.readUInt16LE(0)
  return {index, uid, userId: byUid.get(uid) ?? String(uid), verify: b[2], time: decodePackedTime(b.readUInt32LE(3)), state: b[7], workCode: null, raw: b}
}

/** 16 bytes, `<I4sBB2sI`: numeric user id, time, verify, state, reserved, work code. */
function record16(b: Buffer, index: number): ZkAttendance {
  return {
    index,
    uid: null,
    userId: String(b.readUInt32LE(0)),
    time: decodePackedTime(b.readUInt32LE(4)),
    verify: b[8],
    state: b[9],
    workCode: b.readUInt32LE(12),
    raw: b,
  }
}

/**
 * 40 bytes, `<H24sB4sB8s`: uid, user id text (NUL-padded, never cut), verify, time, state, 8 reserved
 * bytes. 49-byte firmware (SpeedFace, MB560-VL 2022+) appends 9 more bytes to the same layout.
 */
function record40(b: Buffer, index: number, byUid: Map<number, string>): ZkAttendance {
  const uid = b.readUInt16LE(0)
  return {
    index,
    uid,
    userId: text(b, 2, 24) ?? byUid.get(uid) ?? String(uid),
    verify: b[26],
    time: decodePackedTime(b.readUInt32LE(27)),
    state: b[31],
    workCode: null,
    raw: b,
  }
}

/** A NUL-terminated field as UTF-8, trimmed; null when empty. */
export function text(b: Buffer, offset: number, length: number): string | null {
  const field = b.subarray(offset, offset + length)
  const end = field.indexOf(0)
  const value = field.toString('utf8', 0, end === -1 ? field.length : end).trim()
  return value === '' ? null : value
}

function nonZero(n: number): number | null {
  return n === 0 ? null : n
}
