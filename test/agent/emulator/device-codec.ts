/**
 * The device's side of the codec, for the emulator: tables, counters and events laid out field by
 * field from the struct formats terminals use (pyzk's `<HB5s8sIxBhI`, `<HB8s24sIx7sx24s`, `<HB4sB`,
 * `<I4sBB2sI`, `<H24sB4sB8s`, the 92-byte counters). Written independently of src/agent/zk, which
 * decodes them.
 */
import {encodePackedTime, encodeTimeBytes, fromWallClockText, type ZkDateTime} from '../../../src/agent/zk/time.js'

export interface EmulatedUser {
  uid: number
  userId: string
  name?: string
  privilege?: number
  password?: string
  card?: number
  group?: string
}

export interface EmulatedRecord {
  userId: string
  /** The user's slot; 8-byte records carry only this (default: the user's uid, else the numeric id). */
  uid?: number
  /** Device wall clock `YYYY-MM-DD HH:MM:SS`; may name a day that does not exist (2026-02-30). */
  time: string
  state?: number
  verify?: number
  workCode?: number
}

export type UserLayout = 28 | 72
export type RecordLayout = 8 | 16 | 40 | 49

const put = (b: Buffer, offset: number, length: number, value: string): void => {
  b.write(value, offset, length, 'utf8')
}

export function encodeUser(u: EmulatedUser, layout: UserLayout): Buffer {
  if (layout === 28) {
    const b = Buffer.alloc(28)
    b.writeUInt16LE(u.uid, 0)
    b[2] = u.privilege ?? 0
    put(b, 3, 5, u.password ?? '')
    put(b, 8, 8, u.name ?? '')
    b.writeUInt32LE(u.card ?? 0, 16)
    b[21] = Number(u.group ?? 1)
    b.writeInt16LE(0, 22)
    b.writeUInt32LE(Number(u.userId), 24)
    return b
  }
  const b = Buffer.alloc(72)
  b.writeUInt16LE(u.uid, 0)
  b[2] = u.privilege ?? 0
  put(b, 3, 8, u.password ?? '')
  put(b, 11, 24, u.name ?? '')
  b.writeUInt32LE(u.card ?? 0, 35)
  put(b, 40, 7, u.group ?? '1')
  put(b, 48, 24, u.userId)
  return b
}

export function encodeRecord(r: EmulatedRecord, layout: RecordLayout, uid: number): Buffer {
  const packed = encodePackedTime(fromWallClockText(r.time))
  switch (layout) {
    case 8: {
      const b = Buffer.alloc(8)
      b.writeUInt16LE(uid, 0)
      b[2] = r.verify ?? 1
      b.writeUInt32LE(packed, 3)
      b[7] = r.state ?? 0
      return b
    }
    case 16: {
      const b = Buffer.alloc(16)
      b.writeUInt32LE(Number(r.userId), 0)
      b.writeUInt32LE(packed, 4)
      b[8] = r.verify ?? 1
      b[9] = r.state ?? 0
      b.writeUInt32LE(r.workCode ?? 0, 12)
      return b
    }
    default: {
      const b = Buffer.alloc(layout)
      b.writeUInt16LE(uid, 0)
      put(b, 2, 24, r.userId)
      b[26] = r.verify ?? 1
      b.writeUInt32LE(packed, 27)
      b[31] = r.state ?? 0
      // What 40-byte firmware leaves in the reserved bytes.
      b[36] = 0xff
      return b
    }
  }
}

/** A table as PREPARE_BUFFER lays it out: its size as u32 LE, then the records. */
export function table(records: readonly Buffer[]): Buffer {
  const body = Buffer.concat(records)
  const size = Buffer.alloc(4)
  size.writeUInt32LE(body.length, 0)
  return Buffer.concat([size, body])
}

export interface Counters {
  users: number
  fingers: number
  records: number
  userCapacity: number
  recordCapacity: number
  fingerCapacity: number
  faces: number
  faceCapacity: number
}

/** GET_FREE_SIZES: 92 bytes of i32 LE counters. */
export function encodeCounters(c: Counters): Buffer {
  const b = Buffer.alloc(92)
  b.writeInt32LE(c.users, 16)
  b.writeInt32LE(c.fingers, 24)
  b.writeInt32LE(c.records, 32)
  b.writeInt32LE(c.fingerCapacity, 56)
  b.writeInt32LE(c.userCapacity, 60)
  b.writeInt32LE(c.recordCapacity, 64)
  b.writeInt32LE(c.fingerCapacity - c.fingers, 68)
  b.writeInt32LE(c.userCapacity - c.users, 72)
  b.writeInt32LE(c.recordCapacity - c.records, 76)
  b.writeInt32LE(c.faces, 80)
  b.writeInt32LE(c.faceCapacity, 88)
  return b
}

/** The ACK_OK to PREPARE_BUFFER: a zero byte, the size twice, and a word the SDK ignores. */
export function encodePreparedSize(size: number): Buffer {
  const b = Buffer.alloc(13)
  b.writeUInt32LE(size, 1)
  b.writeUInt32LE(size, 5)
  return b
}

/** PREPARE_DATA: the chunk size, then the constant firmware sends after it. */
export function encodePrepareData(size: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt32LE(size, 0)
  b.writeUInt32LE(0x1000, 4)
  return b
}

export function readPrepareBuffer(data: Buffer): {command: number; fct: number} {
  return {command: data.readInt16LE(1), fct: data.readInt32LE(3)}
}

export function readReadBuffer(data: Buffer): {start: number; size: number} {
  return {start: data.readInt32LE(0), size: data.readInt32LE(4)}
}

export type EventLayout = 10 | 12 | 14 | 32 | 36 | 37 | 52

/** An EF_ATTLOG event: the user id (u16, u32 or 24 bytes of text), verify, state, six-byte time. */
export function encodeAttendanceEvent(r: EmulatedRecord, layout: EventLayout): Buffer {
  const time: ZkDateTime = fromWallClockText(r.time)
  const b = Buffer.alloc(layout)
  let at: number
  if (layout === 10 || layout === 14) {
    b.writeUInt16LE(Number(r.userId), 0)
    at = 2
  } else if (layout === 12) {
    b.writeUInt32LE(Number(r.userId), 0)
    at = 4
  } else {
    put(b, 0, 24, r.userId)
    at = 24
  }
  b[at] = r.verify ?? 1
  b[at + 1] = r.state ?? 0
  encodeTimeBytes(time).copy(b, at + 2)
  return b
}
