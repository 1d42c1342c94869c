import {describe, expect, it} from 'vitest'

import {addressAllowed, describeAllowFrom, parseAllowFrom} from '../../src/devices/allow-list.js'

describe('device source-address allow-lists', () => {
  it('normalizes addresses and CIDR ranges; none or empty clears the list', () => {
    expect(parseAllowFrom(' 192.168.1.0/24 , 10.0.0.7,FD00::/8 ')).toBe('192.168.1.0/24,10.0.0.7,fd00::/8')
    expect(parseAllowFrom('none')).toBeNull()
    expect(parseAllowFrom('')).toBeNull()
  })

  it.each(['192.168.1.0/33', 'printer.local', '10.0.0.1/8/8', '::1/129', '300.1.1.1'])('refuses %s naming the entry', (entry) => {
    expect(() => parseAllowFrom(`10.0.0.1,${entry}`)).toThrow(`Invalid --allow-from entry "${entry}": expected an address or a CIDR range such as 192.168.1.0/24 or 10.0.0.7.`)
  })

  it('lets a device in from inside its list only (IPv4 seen through IPv6 too); no list lets everyone in', () => {
    const list = parseAllowFrom('192.168.1.0/24,10.0.0.7,fd00::/8')
    expect(addressAllowed(list, '192.168.1.50')).toBe(true)
    expect(addressAllowed(list, '::ffff:192.168.1.50')).toBe(true)
    expect(addressAllowed(list, '10.0.0.7')).toBe(true)
    expect(addressAllowed(list, 'fd12::3')).toBe(true)
    expect(addressAllowed(list, '10.0.0.8')).toBe(false)
    expect(addressAllowed(list, '192.168.2.1')).toBe(false)
    expect(addressAllowed(list, undefined)).toBe(false)
    expect(addressAllowed(null, '203.0.113.9')).toBe(true)
    expect(describeAllowFrom(list)).toBe('192.168.1.0/24, 10.0.0.7, fd00::/8')
  })
})
