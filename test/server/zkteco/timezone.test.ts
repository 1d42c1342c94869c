import {describe, expect, it} from 'vitest'

import {zktecoTimeZoneValue} from '../../../src/server/zkteco/timezone.js'

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
