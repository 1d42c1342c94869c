import {describe, expect, it} from 'vitest'

import {flattenEventDocument, parseAttendanceEvent} from '../../src/formats/json-events.js'

const event = {
  scanId: 'SCAN_001_20241201_001', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2024-12-01T08:30:00Z',
  statusCode: 200, temperature: 36.5, maskDetected: true, confidenceScore: 95.5,
}

describe('parseAttendanceEvent (seed 000)', () => {
  it('reads the seed single event', () => {
    expect(parseAttendanceEvent(event, 0, 'DEV001')).toEqual({
      ok: true,
      punch: {
        deviceUserId: 'EMP001', time: {kind: 'instant', ms: Date.parse('2024-12-01T08:30:00Z')}, timeText: '2024-12-01T08:30:00Z',
        deviceSerial: 'DEV001', direction: 'in', rawStatus: '200', scanId: 'SCAN_001_20241201_001', temperature: 36.5, mask: true,
        confidence: 95.5, raw: JSON.stringify(event), line: 1,
      },
    })
  })
  it('reads check_out, optional fields absent, no device', () => {
    const parsed = parseAttendanceEvent({scanId: 'S2', employeeId: 'EMP001', eventType: 'check_out', timestamp: '2024-12-01T17:30:00+03:00'}, 4)
    expect(parsed).toMatchObject({ok: true, punch: {direction: 'out', deviceSerial: null, temperature: null, mask: null, confidence: null, rawStatus: null, line: 5}})
  })
  it.each(['scanId', 'employeeId', 'eventType', 'timestamp'])('says "Missing required field: %s"', (field) => {
    const broken: Record<string, unknown> = {...event}
    delete broken[field]
    expect(parseAttendanceEvent(broken, 2)).toMatchObject({ok: false, rejected: {line: 3, reason: `Missing required field: ${field}`}})
  })
  it.each([
    [{eventType: 'lunch'}, 'eventType must be "check_in" or "check_out", not the string "lunch".'],
    [{timestamp: 'yesterday'}, 'timestamp "yesterday" is not an ISO 8601 timestamp such as 2024-12-01T08:30:00Z.'],
    [{temperature: 'hot'}, 'temperature must be a number, not the string "hot".'],
    [{maskDetected: 'yes'}, 'maskDetected must be true or false, not the string "yes".'],
    [{confidenceScore: 120}, 'confidenceScore 120 must be between 0 and 100.'],
    [{statusCode: 2.5}, 'statusCode must be an integer, not number 2.5.'],
  ])('names the bad field: %j', (patch, reason) => {
    expect(parseAttendanceEvent({...event, ...patch}, 0)).toMatchObject({ok: false, rejected: {reason}})
  })
  it('rejects a non-object', () => {
    expect(parseAttendanceEvent([1], 0)).toMatchObject({ok: false, rejected: {reason: 'An event must be an object with scanId, employeeId, eventType and timestamp, not an array.'}})
  })
})

describe('flattenEventDocument', () => {
  it('flattens a single event, a batch with device_info, and arrays of both', () => {
    const batch = {device_info: {device_id: 'DEV001', device_name: 'Main Gate Scanner', location: 'Main Entrance'}, events: [event, event]}
    expect(flattenEventDocument(event)).toEqual([{event, deviceSerial: null, deviceInfo: null}])
    expect(flattenEventDocument(batch).map((e) => e.deviceSerial)).toEqual(['DEV001', 'DEV001'])
    expect(flattenEventDocument(batch)[0].deviceInfo).toEqual({serial: 'DEV001', name: 'Main Gate Scanner', location: 'Main Entrance'})
    expect(flattenEventDocument([batch, event])).toHaveLength(3)
    expect(() => flattenEventDocument({events: 'x'})).toThrow('events must be an array of events, not the string "x".')
  })
})
