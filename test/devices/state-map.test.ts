import {describe, expect, it} from 'vitest'

import {directionFromStateMap, parseStateMap, parseStateMapFlag} from '../../src/formats/state-map.js'

describe('device state map (--state-map)', () => {
  it('reads CODE=in|out pairs and round-trips through the stored JSON', () => {
    const json = parseStateMapFlag(' 0=in, 1=out ,CheckIn=in')
    expect(parseStateMap(json)).toEqual({'0': 'in', '1': 'out', CheckIn: 'in'})
    expect(directionFromStateMap(parseStateMap(json), '1')).toBe('out')
    expect(directionFromStateMap(parseStateMap(json), '4')).toBeNull()
    expect(parseStateMapFlag('none')).toBeNull()
  })

  it('names a bad entry', () => {
    expect(() => parseStateMapFlag('0=in,1=sideways')).toThrow('Invalid state map entry "1=sideways": expected CODE=in or CODE=out')
    expect(() => parseStateMapFlag('=in')).toThrow(/Invalid state map entry "=in"/)
    expect(() => parseStateMapFlag('0=in=out')).toThrow(/Invalid state map entry/)
  })
  // Set, changed and cleared through the registry: test/devices/service.test.ts, on both engines.
})
