import {describe, expect, it} from 'vitest'

import {decodeRealtimeAttendance} from '../../../src/agent/zk/realtime.js'
import type {ZkUser} from '../../../src/agent/zk/records.js'
import {wallClockText} from '../../../src/agent/zk/time.js'

const time = [26, 3, 12, 8, 5, 9] // 2026-03-12 08:05:09

function numeric(idBytes: 2 | 4, id: number, verify: number, state: number, extra = 0): Buffer {
  const b = Buffer.alloc(idBytes + 8 + extra)
  if (idBytes === 2) b.writeUInt16LE(id, 0)
  else b.writeUInt32LE(id, 0)
  b[idBytes] = verify
  b[idBytes + 1] = state
  Buffer.from(time).copy(b, idBytes + 2)
  return b
}

function textual(id: string, verify: number, state: number, size: number, when = time): Buffer {
  const b = Buffer.alloc(size)
  b.write(id, 0, 24, 'utf8')
  b[24] = verify
  b[25] = state
  Buffer.from(when).copy(b, 26)
  return b
}

const users: ZkUser[] = [{uid: 3, userId: 'EMP-7', name: null, privilege: 0, card: null, group: null}]
const ok = (data: Buffer) =>
  decodeRealtimeAttendance(data, users).map((r) => (r.ok ? {userId: r.punch.userId, verify: r.punch.verify, state: r.punch.state, time: wallClockText(r.punch.time)} : {reason: r.reason}))

describe('realtime attendance events', () => {
  it.each([
    ['10 bytes: u16 user id', numeric(2, 1001, 1, 0), '1001'],
    ['12 bytes: u32 user id', numeric(4, 70000, 1, 0), '70000'],
    ['14 bytes: u16 user id and 4 reserved', numeric(2, 1001, 1, 0, 4), '1001'],
    ['32 bytes: user id text', textual('EMP-2026-000123', 1, 0, 32), 'EMP-2026-000123'],
    ['36 bytes', textual('EMP-2026-000123', 1, 0, 36), 'EMP-2026-000123'],
    ['37 bytes', textual('EMP-2026-000123', 1, 0, 37), 'EMP-2026-000123'],
    ['52 bytes', textual('ABCDEFGHIJKLMNOPQRSTUVWX', 1, 0, 52), 'ABCDEFGHIJKLMNOPQRSTUVWX'],
    ['a numeric slot that only a uid matches', numeric(2, 3, 1, 0), 'EMP-7'],
  ])('%s', (_name, data, userId) => {
    expect(ok(data)).toEqual([{userId, verify: 1, state: 0, time: '2026-03-12 08:05:09'}])
  })

  it('reads several 52-byte records in one event', () => {
    const data = Buffer.concat([textual('1', 15, 0, 52), textual('2', 4, 1, 52)])
    expect(ok(data).map((r) => ('userId' in r ? [r.userId, r.verify, r.state] : r))).toEqual([['1', 15, 0], ['2', 4, 1]])
  })

  it('rejects what it cannot read, with the reason', () => {
    expect(ok(Buffer.alloc(11))).toEqual([{reason: 'an attendance event of 11 bytes has no known layout (10, 12, 14, 32, 36, 37 or 52 bytes)'}])
    expect(ok(textual('', 1, 0, 32))).toEqual([{reason: 'an attendance event names no user'}])
    expect(ok(textual('1001', 1, 0, 32, [26, 2, 30, 8, 0, 0]))).toEqual([
      {reason: 'attendance event of user 1001: impossible date 2026-02-30 08:00:00: February 2026 has 28 days on the device clock'},
    ])
  })
})
