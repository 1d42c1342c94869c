import {afterEach, describe, expect, it} from 'vitest'

import {listRefusedDevices, recordRefusedDevice, REFUSED_KEPT} from '../../src/devices/service.js'
import {testStore} from '../helpers/store.js'

let store: ReturnType<typeof testStore> | undefined
afterEach(() => {
  store?.cleanup()
  store = undefined
})

describe('refused serials are bounded', () => {
  it(`keeps the ${REFUSED_KEPT} most recently seen serials, however many knock`, () => {
    store = testStore()
    const now = Date.UTC(2026, 2, 12, 9)
    // A scanner trying serial after serial, then one real terminal knocking again.
    for (let i = 0; i < REFUSED_KEPT + 150; i++) recordRefusedDevice(store, {serial: `SCAN${i}`, remoteAddress: '10.0.0.66'}, now - (REFUSED_KEPT + 150 - i) * 1000)
    recordRefusedDevice(store, {serial: 'SCAN3', remoteAddress: '10.0.0.7'}, now)
    recordRefusedDevice(store, {serial: 'SCAN600', remoteAddress: '10.0.0.8'}, now - 500)

    const kept = store.sqlite.prepare('SELECT serial FROM refused_devices ORDER BY last_seen_at DESC').pluck().all() as string[]
    expect(kept).toHaveLength(REFUSED_KEPT)
    expect(kept[0]).toBe('SCAN3')
    expect(kept.slice(0, 3)).toEqual(['SCAN3', 'SCAN600', `SCAN${REFUSED_KEPT + 149}`])
    expect(kept.at(-1)).toBe('SCAN151')
    // SCAN3 had been dropped as the oldest before it knocked again: it starts over; SCAN600 was kept.
    expect(listRefusedDevices(store, now).slice(0, 2)).toMatchObject([
      {serial: 'SCAN3', attempts: 1, remoteAddress: '10.0.0.7'},
      {serial: 'SCAN600', attempts: 2, remoteAddress: '10.0.0.8'},
    ])
  })
})
