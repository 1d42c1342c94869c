import {describe, expect, it} from 'vitest'

import {decodeAttendanceLog, decodeUserTable, type ZkUser} from '../../../src/agent/zk/records.js'
import {wallClockText} from '../../../src/agent/zk/time.js'

import {encodeRecord, encodeUser, table as tableOf, type EmulatedRecord, type EmulatedUser, type RecordLayout} from '../emulator/device-codec.js'

const table = (...records: Buffer[]): Buffer => tableOf(records)
const user28 = (u: EmulatedUser): Buffer => encodeUser(u, 28)
const user72 = (u: EmulatedUser): Buffer => encodeUser(u, 72)
const att = (layout: RecordLayout, uid: number, r: EmulatedRecord): Buffer => encodeRecord(r, layout, uid)
const att8 = (uid: number, verify: number, time: string, state: number): Buffer => att(8, uid, {userId: String(uid), verify, time, state})
const att16 = (userId: number, time: string, verify: number, state: number, workCode: number): Buffer => att(16, 0, {userId: String(userId), time, verify, state, workCode})
const att40 = (uid: number, userId: string, verify: number, time: string, state: number, size: 40 | 49 = 40): Buffer => att(size, uid, {userId, verify, time, state})

const brief = (r: {userId: string; uid: number | null; time: Parameters<typeof wallClockText>[0]; state: number; verify: number; workCode: number | null}) => ({
  userId: r.userId,
  uid: r.uid,
  time: wallClockText(r.time),
  state: r.state,
  verify: r.verify,
  workCode: r.workCode,
})

describe('layouts as bytes', () => {
  // Struct formats packed by hand (Python struct), as terminals send them: the emulator's encoders
  // and these decoders must both match them.
  it('a 40-byte record: uid, user id text, verify, packed time, state, reserved', () => {
    const bytes = Buffer.from('0100313030310000000000000000000000000000000000000000012cdb2f320000000000ff000000', 'hex')
    expect(att40(1, '1001', 1, '2026-03-12 08:05:00', 0)).toEqual(bytes)
    expect(brief(decodeAttendanceLog(table(bytes), 1).records[0])).toEqual({userId: '1001', uid: 1, time: '2026-03-12 08:05:00', state: 0, verify: 1, workCode: null})
  })

  it('a 72-byte user: uid, privilege, password, name, card, group, user id text', () => {
    const bytes = Buffer.from(
      '0700000000000000000000427269616e204f7469656e6f00000000000000000000000000000000003100000000000000454d502d323032362d303030313233000000000000000000',
      'hex',
    )
    expect(user72({uid: 7, privilege: 0, password: '', name: 'Brian Otieno', card: 0, group: '1', userId: 'EMP-2026-000123'})).toEqual(bytes)
    expect(decodeUserTable(table(bytes), 1).users).toEqual([{uid: 7, userId: 'EMP-2026-000123', name: 'Brian Otieno', privilege: 0, card: null, group: '1'}])
  })
})

describe('user table', () => {
  it('reads 28-byte users (numeric user ids)', () => {
    const buffer = table(
      user28({uid: 1, privilege: 14, password: '123', name: 'Ann', card: 1234567, group: '1', userId: '1001'}),
      user28({uid: 2, privilege: 0, password: '', name: '', card: 0, group: '1', userId: '1002'}),
    )
    expect(decodeUserTable(buffer, 2)).toEqual({
      layout: 28,
      users: [
        {uid: 1, userId: '1001', name: 'Ann', privilege: 14, card: 1234567, group: '1'},
        {uid: 2, userId: '1002', name: null, privilege: 0, card: null, group: '1'},
      ],
    })
  })

  it('reads 72-byte users with their long ids and names whole', () => {
    const buffer = table(
      user72({uid: 7, privilege: 0, password: '', name: 'Brian Otieno Kamau Mwangi', card: 0, group: '1', userId: 'EMP-2026-000123'}),
      user72({uid: 8, privilege: 14, password: '9', name: 'Zoë Müller', card: 44, group: '', userId: 'ABCDEFGHIJKLMNOPQRSTUVWX'}),
      user72({uid: 9, privilege: 0, password: '', name: 'No Id', card: 0, group: '', userId: ''}),
    )
    const {layout, users} = decodeUserTable(buffer, 3)
    expect(layout).toBe(72)
    expect(users.map((u) => [u.uid, u.userId, u.name, u.card])).toEqual([
      [7, 'EMP-2026-000123', 'Brian Otieno Kamau Mwang', null],
      [8, 'ABCDEFGHIJKLMNOPQRSTUVWX', 'Zoë Müller', 44],
      [9, '9', 'No Id', null],
    ])
  })

  it('has no layout for an empty table', () => {
    expect(decodeUserTable(Buffer.alloc(0), 0)).toEqual({layout: null, users: []})
    expect(decodeUserTable(table(), 3)).toEqual({layout: null, users: []})
  })

  it('refuses a size that is no known layout', () => {
    expect(() => decodeUserTable(table(Buffer.alloc(60)), 2)).toThrow('the user table holds 60 bytes for 2 records, which is not a known record size (28, 72 bytes)')
  })
})

describe('attendance log', () => {
  const users: ZkUser[] = [
    {uid: 1, userId: 'EMP-2026-000123', name: 'Brian', privilege: 0, card: null, group: null},
    {uid: 2, userId: '1002', name: null, privilege: 0, card: null, group: null},
  ]

  it('reads 8-byte records, resolving uids to user ids through the user table', () => {
    const log = decodeAttendanceLog(table(att8(1, 1, '2026-03-12 08:05:00', 0), att8(2, 15, '2026-03-12 17:01:30', 1), att8(9, 4, '2026-03-12 17:02:00', 1)), 3, users)
    expect(log.layout).toBe(8)
    expect(log.records.map(brief)).toEqual([
      {userId: 'EMP-2026-000123', uid: 1, time: '2026-03-12 08:05:00', state: 0, verify: 1, workCode: null},
      {userId: '1002', uid: 2, time: '2026-03-12 17:01:30', state: 1, verify: 15, workCode: null},
      // A slot no user holds any more keeps its number.
      {userId: '9', uid: 9, time: '2026-03-12 17:02:00', state: 1, verify: 4, workCode: null},
    ])
  })

  it('reads 16-byte records with their work code', () => {
    const log = decodeAttendanceLog(table(att16(1001, '2026-03-12 08:05:00', 1, 0, 0), att16(4294967295, '2026-03-12 12:30:00', 4, 2, 17)), 2)
    expect(log.layout).toBe(16)
    expect(log.records.map(brief)).toEqual([
      {userId: '1001', uid: null, time: '2026-03-12 08:05:00', state: 0, verify: 1, workCode: 0},
      {userId: '4294967295', uid: null, time: '2026-03-12 12:30:00', state: 2, verify: 4, workCode: 17},
    ])
  })

  it.each([40, 49] as const)('reads %i-byte records with user ids of any length, never cut', (size) => {
    const log = decodeAttendanceLog(
      table(
        att40(1, 'EMP-2026-000123', 1, '2026-03-12 08:05:00', 0, size),
        att40(2, 'ABCDEFGHIJKLMNOPQRSTUVWX', 15, '2026-03-12 08:06:00', 0, size),
        att40(2, '', 15, '2026-03-12 08:07:00', 5, size),
      ),
      3,
      users,
    )
    expect(log.layout).toBe(size)
    expect(log.records.map(brief)).toEqual([
      {userId: 'EMP-2026-000123', uid: 1, time: '2026-03-12 08:05:00', state: 0, verify: 1, workCode: null},
      {userId: 'ABCDEFGHIJKLMNOPQRSTUVWX', uid: 2, time: '2026-03-12 08:06:00', state: 0, verify: 15, workCode: null},
      // No user id text: the slot's user.
      {userId: '1002', uid: 2, time: '2026-03-12 08:07:00', state: 5, verify: 15, workCode: null},
    ])
    expect(log.records[0].raw).toHaveLength(size)
    expect(log.records.map((r) => r.index)).toEqual([1, 2, 3])
  })

  it('rejects a record with an impossible date and keeps the others', () => {
    const log = decodeAttendanceLog(table(att40(1, '1001', 1, '2026-02-28 08:00:00', 0), att40(1, '1001', 1, '2026-02-30 08:00:00', 0), att40(1, '1001', 1, '2026-03-01 08:00:00', 0)), 3)
    expect(log.records.map((r) => wallClockText(r.time))).toEqual(['2026-02-28 08:00:00', '2026-03-01 08:00:00'])
    expect(log.rejected.map(({index, reason}) => ({index, reason}))).toEqual([
      {index: 2, reason: 'record 2 (user 1001): impossible date 2026-02-30 08:00:00: February 2026 has 28 days on the device clock'},
    ])
  })

  it.each([
    ['a record size no firmware uses', table(Buffer.alloc(60)), 2, 'the attendance log holds 60 bytes for 2 records, which is not a known record size (8, 16, 40, 49 bytes)'],
    ['a count that does not divide the size', table(Buffer.alloc(80)), 3, 'the attendance log holds 80 bytes for 3 records, which is not a known record size (8, 16, 40, 49 bytes)'],
    ['a buffer cut short', table(Buffer.alloc(80)).subarray(0, 50), 2, 'the attendance log is cut short: 46 of 80 bytes arrived'],
    ['no size field', Buffer.alloc(2), 1, 'the attendance log is 2 bytes long, too short for its size field'],
  ])('refuses %s', (_name, buffer, count, message) => {
    expect(() => decodeAttendanceLog(buffer, count)).toThrow(message)
  })

  it('reads nothing when the device has no records', () => {
    expect(decodeAttendanceLog(Buffer.alloc(0), 0)).toEqual({layout: null, records: [], rejected: []})
  })
})
