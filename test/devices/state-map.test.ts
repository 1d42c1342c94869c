import {describe, expect, it} from 'vitest'

import {directionFromStateMap, parseStateMap, parseStateMapFlag} from '../../src/formats/state-map.js'
import {createDevice, toDeviceView, updateDevice} from '../../src/devices/service.js'
import {testStore} from '../helpers/store.js'

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

  it('is set on add, changed and cleared on update, and shown', () => {
    const store = testStore()
    try {
      const {device} = createDevice(store, {serial: 'SN7A2300583', name: 'Lobby', stateMap: '0=in,1=out'}, 1)
      expect(toDeviceView(device).stateMap).toBe('0=in,1=out')
      expect(toDeviceView(updateDevice(() => store, 'SN7A2300583', {stateMap: '1=in'}, 2)).stateMap).toBe('1=in')
      expect(toDeviceView(updateDevice(() => store, 'SN7A2300583', {stateMap: 'none'}, 3)).stateMap).toBeNull()
    } finally {
      store.cleanup()
    }
  })
})
