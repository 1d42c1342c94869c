import {describe, expect, it} from 'vitest'

import {parseRtlogLine} from '../../src/formats/zkteco-rtlog.js'

/** A wall-clock time as parseTimestamp gives it: the normalized text and its fields read as UTC. */
const wall = (local: string) => ({kind: 'wall', local, asUtc: Date.parse(`${local}Z`)})

describe('parseRtlogLine (PUSH 3.x real-time events)', () => {
  it('turns a verified person into a punch: time, pin, in/out status and verify type kept raw', () => {
    expect(parseRtlogLine('time=2026-03-12 08:05:00\tpin=90\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=15\tindex=7\tmaskflag=1\ttemperature=36.5', 1)).toEqual({
      ok: true,
      punch: {
        deviceUserId: '90',
        time: wall('2026-03-12T08:05:00'),
        timeText: '2026-03-12 08:05:00',
        rawStatus: '0',
        rawVerify: '15',
        raw: 'time=2026-03-12 08:05:00\tpin=90\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=15\tindex=7\tmaskflag=1\ttemperature=36.5',
        line: 1,
        mask: true,
        temperature: 36.5,
      },
    })
  })

  it('also reads rows of the transaction table', () => {
    expect(parseRtlogLine('transaction cardno=0\tpin=12\tverified=1\tdoorid=1\teventtype=0\tinoutstate=0\ttime=2026-03-12 09:00:00', 1)).toMatchObject({ok: true, punch: {deviceUserId: '12', rawVerify: '1'}})
  })

  it('skips events that are not a person passing: refused verifications, door events, no pin', () => {
    expect(parseRtlogLine('time=2026-03-12 08:05:00\tpin=90\tevent=27', 1)).toEqual({ok: 'skipped', line: 1, reason: 'event "27" is not a verified punch'})
    expect(parseRtlogLine('time=2026-03-12 08:05:00\tpin=0\tevent=0', 2)).toMatchObject({ok: 'skipped', reason: 'no person (pin is empty or 0)'})
    expect(parseRtlogLine('time=2026-03-12 08:05:00\tpin=\tevent=200', 3)).toMatchObject({ok: 'skipped'})
    expect(parseRtlogLine('   ', 4)).toBeNull()
  })

  it('rejects a person event it cannot read, naming the field', () => {
    expect(parseRtlogLine('pin=90\tevent=0', 1)).toMatchObject({ok: false, rejected: {reason: 'time= is missing: expected time=YYYY-MM-DD HH:MM:SS.'}})
    expect(parseRtlogLine('time=yesterday\tpin=90\tevent=0', 2)).toMatchObject({ok: false, rejected: {reason: expect.stringMatching(/^Invalid timestamp "yesterday"/)}})
  })
})
