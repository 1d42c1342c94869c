import {describe, expect, it} from 'vitest'

import {rtdataTimeReply, zktecoPackedTime, zktecoTimeZoneValue} from '../../../src/server/zkteco/timezone.js'

const WINTER = Date.UTC(2026, 0, 15, 12)
const SUMMER = Date.UTC(2026, 6, 15, 12)

describe('zktecoTimeZoneValue (handshake TimeZone=)', () => {
  it.each([
    ['UTC', WINTER, 0],
    ['Africa/Nairobi', WINTER, 3],
    ['America/New_York', WINTER, -5],
    ['America/New_York', SUMMER, -4],
    ['Europe/Warsaw', WINTER, 1],
    ['Europe/Warsaw', SUMMER, 2],
    ['Pacific/Auckland', WINTER, 13 * 60],
    ['Asia/Kolkata', WINTER, 330],
    ['Asia/Kathmandu', WINTER, 345],
    ['America/St_Johns', WINTER, -210],
    ['America/St_Johns', SUMMER, -150],
    ['Pacific/Kiritimati', WINTER, 840],
    ['Etc/GMT+12', WINTER, -12],
  ])('%s at %i → %i', (zone, now, expected) => {
    expect(zktecoTimeZoneValue(zone, now)).toBe(expected)
  })
})

describe('PUSH 3.x server time (rtdata?type=time)', () => {
  it('packs a time as the firmware does: 31-day months, 12 × 31-day years from 2000', () => {
    // The PUSH protocol's own worked example: DateTime=583080894 is 2018-02-22 14:54:54.
    expect(zktecoPackedTime(Date.UTC(2018, 1, 22, 14, 54, 54))).toBe(583080894)
  })

  it('answers the server clock in UTC and the offset of the device zone', () => {
    const now = Date.UTC(2026, 2, 12, 15, 0, 0)
    expect(rtdataTimeReply(now, 'Africa/Nairobi')).toBe(`DateTime=${zktecoPackedTime(now)},ServerTZ=+0300`)
    expect(rtdataTimeReply(now, 'Asia/Kolkata')).toMatch(/,ServerTZ=\+0530$/)
    expect(rtdataTimeReply(now, 'America/St_Johns')).toMatch(/,ServerTZ=-0230$/)
  })
})
