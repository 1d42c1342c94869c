import {describe, expect, it} from 'vitest'

import {MAX_OPTIONS, parseDeviceOptions} from '../../../src/server/zkteco/options.js'

describe('device options (table=options, registry, querydata)', () => {
  it('drops the ~ marking a read-only capability and reads pairs split by commas or lines', () => {
    expect(parseDeviceOptions('~DeviceName=SpeedFace-V5L,MAC=00:17:61:12:34:56\n~MaxAttLogCount=200000\r\nIPAddress=192.168.1.201')).toEqual({
      DeviceName: 'SpeedFace-V5L',
      MAC: '00:17:61:12:34:56',
      MaxAttLogCount: '200000',
      IPAddress: '192.168.1.201',
    })
  })

  it('is bounded: at most 256 pairs, keys of 64 and values of 200 characters, read from the start of the body only', () => {
    const flood = Array.from({length: 5000}, (_, i) => `Key${i}=${'v'.repeat(20)}`).join(',')
    const options = parseDeviceOptions(`${'K'.repeat(300)}=${'x'.repeat(500)},${flood}`)
    expect(Object.keys(options)).toHaveLength(MAX_OPTIONS)
    expect(Object.keys(options)[0]).toHaveLength(64)
    expect(options['K'.repeat(64)]).toHaveLength(200)
    // A 10 MiB body of one endless pair is not split whole.
    expect(Object.keys(parseDeviceOptions(`A=${'v'.repeat(10 * 1024 * 1024)},B=1`))).toEqual(['A'])
  })

  it('ignores pairs without a key and a __proto__ key', () => {
    expect(parseDeviceOptions('=x,novalue,__proto__=1,A=1')).toEqual({A: '1'})
  })
})
