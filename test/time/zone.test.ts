import {describe, expect, it} from 'vitest'

import {assertTimeZone, isValidTimeZone} from '../../src/time/zone.js'

describe('time zone names', () => {
  it('stores the standard spelling of a zone typed in any case', () => {
    expect(assertTimeZone('europe/paris')).toBe('Europe/Paris')
    expect(assertTimeZone('ASIA/KOLKATA')).toBe('Asia/Kolkata')
    expect(assertTimeZone('utc')).toBe('UTC')
  })

  it('names an unknown zone and what was expected', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(() => assertTimeZone('Mars/Olympus_Mons', 'device time zone')).toThrow(
      'Unknown device time zone "Mars/Olympus_Mons": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.',
    )
  })
})
