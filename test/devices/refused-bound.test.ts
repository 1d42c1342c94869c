import {expect, it} from 'vitest'

import {listRefusedDevices, REFUSED_KEPT} from '../../src/devices/service.js'
import {describeEngines} from '../helpers/engines.js'

describeEngines('refused serials are bounded', (store) => {
  it(`keeps the ${REFUSED_KEPT} most recently seen serials, however many knock`, async () => {
    const devices = store().port.devices
    const now = Date.UTC(2026, 2, 12, 9)
    // A scanner trying serial after serial, then one real terminal knocking again.
    for (let i = 0; i < REFUSED_KEPT + 150; i++) await devices.recordRefused({serial: `SCAN${i}`, remoteAddress: '10.0.0.66'}, now - (REFUSED_KEPT + 150 - i) * 1000)
    await devices.recordRefused({serial: 'SCAN3', remoteAddress: '10.0.0.7'}, now)
    await devices.recordRefused({serial: 'SCAN600', remoteAddress: '10.0.0.8'}, now - 500)

    const kept = (await store().all<{serial: string}>('SELECT serial FROM refused_devices ORDER BY last_seen_at DESC')).map((row) => row.serial)
    expect(kept).toHaveLength(REFUSED_KEPT)
    expect(kept[0]).toBe('SCAN3')
    expect(kept.slice(0, 3)).toEqual(['SCAN3', 'SCAN600', `SCAN${REFUSED_KEPT + 149}`])
    expect(kept.at(-1)).toBe('SCAN151')
    // SCAN3 had been dropped as the oldest before it knocked again: it starts over; SCAN600 was kept.
    expect((await listRefusedDevices(store().port, now)).slice(0, 2)).toMatchObject([
      {serial: 'SCAN3', attempts: 1, remoteAddress: '10.0.0.7'},
      {serial: 'SCAN600', attempts: 2, remoteAddress: '10.0.0.8'},
    ])
  })
})
