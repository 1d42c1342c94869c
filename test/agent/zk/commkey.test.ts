import {describe, expect, it} from 'vitest'

import {commKeyMatches, makeCommKey} from '../../../src/agent/zk/commkey.js'

describe('comm key scrambling (the SDK\'s MakeKey)', () => {
  // Expected bytes as the reference implementation (pyzk make_commkey) produces them.
  it.each([
    [0, 0, 50, '617d3279'],
    [0, 1234, 50, '617d327d'],
    [1, 0, 50, '61fd3279'],
    [123456, 0x3a2f, 50, '267f32c3'],
    [999999, 65535, 50, '22813296'],
    [12345, 7, 0, '5fd3004b'],
    [654321, 40000, 200, '7b08c8af'],
  ])('key %i, session %i, tick %i → %s', (key, session, ticks, expected) => {
    expect(makeCommKey(key, session, ticks).toString('hex')).toBe(expected)
  })

  it('wraps at 32 bits where the reference overflows', () => {
    // Key 0xffffffff mirrored is 0xffffffff; + session 1 wraps to 0, as the C original does.
    expect(makeCommKey(0xffffffff, 1, 50)).toEqual(makeCommKey(0, 0, 50))
  })

  it('is checked the way a device checks it, whatever tick the client chose', () => {
    expect(commKeyMatches(makeCommKey(4321, 99, 50), 4321, 99)).toBe(true)
    expect(commKeyMatches(makeCommKey(4321, 99, 7), 4321, 99)).toBe(true)
    expect(commKeyMatches(makeCommKey(4321, 99, 50), 4322, 99)).toBe(false)
    // The low byte of key + session is overwritten by the tick: sessions differ for the device above it.
    expect(commKeyMatches(makeCommKey(4321, 99, 50), 4321, 99 + 256)).toBe(false)
    expect(commKeyMatches(Buffer.alloc(2), 0, 0)).toBe(false)
  })
})
