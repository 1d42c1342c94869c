import {describe, expect, it} from 'vitest'

import {describeAgentAddress, parseAddress, parseCommKey, parsePort, parseProtocol} from '../../src/devices/agent-settings.js'
import {describeDrift, deviceWallClock, readingOf} from '../../src/agent/device-clock.js'

describe('agent settings', () => {
  it.each([
    ['192.168.1.201', '192.168.1.201'],
    [' 10.0.0.7 ', '10.0.0.7'],
    ['fe80::1', 'fe80::1'],
    ['[fe80::1]', 'fe80::1'],
    ['gate-2.school.lan', 'gate-2.school.lan'],
    ['none', null],
  ])('address %j → %j', (input, expected) => {
    expect(parseAddress(input)).toBe(expected)
  })

  it.each(['192.168.1.300', '192.168.1', 'http://10.0.0.1', 'gate 2', '-gate'])('refuses address %j', (input) => {
    expect(() => parseAddress(input)).toThrow(`Invalid --ip "${input}": expected the device's address on the LAN, such as 192.168.1.201.`)
  })

  it.each([['4370', 4370], [4371, 4371], ['1', 1], ['65535', 65535]])('port %j', (input, expected) => {
    expect(parsePort(input)).toBe(expected)
  })

  it.each(['0', '65536', '43.7', 'http', ''])('refuses port %j', (input) => {
    expect(() => parsePort(input)).toThrow(/^Invalid --port/)
  })

  it.each([['TCP', 'tcp'], ['udp', 'udp'], [' auto ', 'auto']])('protocol %j', (input, expected) => {
    expect(parseProtocol(input)).toBe(expected)
  })

  it('refuses another protocol', () => {
    expect(() => parseProtocol('http')).toThrow('Invalid --protocol "http": expected auto, tcp, udp.')
  })

  it.each([['123456', 123456], [999999, 999999], ['0', null], ['none', null], ['', null]])('comm key %j → %j', (input, expected) => {
    expect(parseCommKey(input)).toBe(expected)
  })

  it.each(['1000000', '-5', '12a', '1e3'])('refuses comm key %j without repeating it', (input) => {
    expect(() => parseCommKey(input)).toThrow("Invalid --comm-key: expected the number set on the device's Comm menu, from 0 to 999999 (or none).")
  })

  it('describes where an agent device is reached, and nothing for push devices', () => {
    expect(describeAgentAddress({mode: 'agent', ip: '10.0.0.7', port: null, protocol: null, commKey: null})).toBe('agent mode at 10.0.0.7:4370 (auto)')
    expect(describeAgentAddress({mode: 'agent', ip: 'fe80::1', port: 4371, protocol: 'udp', commKey: 5})).toBe('agent mode at [fe80::1]:4371 (udp, comm key set)')
    expect(describeAgentAddress({mode: 'agent', ip: null, port: null, protocol: null, commKey: null})).toBe('agent mode, no address')
    expect(describeAgentAddress({mode: 'push', ip: '10.0.0.7', port: null, protocol: null, commKey: null})).toBeNull()
  })
})

describe('device clock', () => {
  const now = Date.parse('2026-03-12T09:00:00Z')

  it('reads the device wall clock in its zone and measures the drift', () => {
    expect(readingOf({year: 2026, month: 3, day: 12, hour: 12, minute: 1, second: 30}, now, 'Africa/Nairobi')).toEqual({
      deviceTime: '2026-03-12 12:01:30',
      ourTime: '2026-03-12 12:00:00',
      zone: 'Africa/Nairobi',
      driftSeconds: 90,
    })
    expect(readingOf({year: 2026, month: 3, day: 12, hour: 9, minute: 0, second: 0}, now, 'Asia/Kolkata').driftSeconds).toBe(-5.5 * 3600)
  })

  it('sets the device to our time as wall clock in its zone', () => {
    expect(deviceWallClock(now, 'Asia/Kolkata')).toEqual({year: 2026, month: 3, day: 12, hour: 14, minute: 30, second: 0})
    // Across a DST change: Warsaw is UTC+2 from 2026-03-29.
    expect(deviceWallClock(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Warsaw')).toMatchObject({hour: 3, minute: 30})
  })

  it.each([
    [0, '0 s (in step)'],
    [48, '+48 s (the device is ahead)'],
    [-365, '-6 min 5 s (the device is behind)'],
    [3600, '+1 h (the device is ahead)'],
    [-(269 * 86_400 + 3 * 3600 + 7), '-269 d 3 h 7 s (the device is behind)'],
  ])('drift %i s reads %j', (seconds, text) => {
    expect(describeDrift(seconds)).toBe(text)
  })
})
