import {describe, expect, it} from 'vitest'

import {parseCamsPunchLog, readCamsBody} from '../../src/formats/cams.js'

describe('parseCamsPunchLog (seed 003)', () => {
  it('reads a batch log entry (UserID) with GMT offset', () => {
    const log = {Type: 'CheckIn', UserID: 'EMP-0001', LogTime: '2024-09-17 08:00:00 GMT +0300'}
    expect(parseCamsPunchLog(log, 0, 'ZHM1')).toEqual({
      ok: true,
      punch: {
        deviceUserId: 'EMP-0001', time: {kind: 'instant', ms: Date.parse('2024-09-17T05:00:00Z'), offsetMinutes: 180},
        timeText: '2024-09-17 08:00:00 GMT +0300', deviceSerial: 'ZHM1', direction: 'in', rawStatus: 'CheckIn', rawVerify: null,
        temperature: null, mask: null, raw: JSON.stringify(log), line: 1,
      },
    })
  })
  it('reads a RealTime PunchLog (UserId) with temperature, mask and input type', () => {
    const log = {Type: 'CheckOut', Temperature: '36.8', FaceMask: false, InputType: 'Fingerprint', UserId: 'EMP-0001', LogTime: '2024-09-17 17:30:00 GMT +0300'}
    expect(parseCamsPunchLog(log, 0)).toMatchObject({ok: true, punch: {direction: 'out', temperature: 36.8, mask: false, rawVerify: 'Fingerprint', deviceSerial: null}})
  })
  it('reads LogTime without offset as wall clock, break types and numeric types', () => {
    expect(parseCamsPunchLog({Type: 'BreakOut', UserID: 7, LogTime: '2024-09-17 13:00:00'}, 0)).toMatchObject({
      ok: true, punch: {deviceUserId: '7', time: {kind: 'wall', local: '2024-09-17T13:00:00'}, direction: 'out'},
    })
    expect(parseCamsPunchLog({Type: 3, UserID: '7', LogTime: '2024-09-17 13:00:00'}, 0)).toMatchObject({ok: true, punch: {direction: null, rawStatus: '3'}})
  })
  it.each([
    [{Type: 'CheckIn', LogTime: '2024-09-17 08:00:00'}, 'Log[2]: missing required field UserID.'],
    [{Type: 'CheckIn', UserID: 'A'}, 'Log[2]: missing required field LogTime.'],
    [{Type: 'CheckIn', UserID: 'A', LogTime: 'noon'}, 'Log[2].LogTime "noon" is not a time such as "2024-09-17 08:00:00 GMT +0300".'],
    [{UserID: {}, LogTime: 'x'}, 'Log[2].UserID must be a string such as "EMP-0001", not an object.'],
  ])('names the bad field: %j', (log, reason) => {
    expect(parseCamsPunchLog(log, 2)).toMatchObject({ok: false, rejected: {line: 3, reason}})
  })
})

describe('readCamsBody', () => {
  it('recognizes RealTime and PunchLog bodies', () => {
    expect(readCamsBody({RealTime: {SerialNumber: 'ZHM1', AuthToken: 't', OperationID: 'op', PunchLog: {UserId: '1'}}})).toEqual({
      kind: 'realtime', serial: 'ZHM1', authToken: 't', operationId: 'op', log: {UserId: '1'},
    })
    expect(readCamsBody({PunchLog: {ReturnRowCount: '1', Log: [{UserID: '1'}]}})).toEqual({kind: 'batch', logs: [{UserID: '1'}]})
    expect(() => readCamsBody({hello: 1})).toThrow('A CAMS body must have "RealTime" or "PunchLog".')
    expect(() => readCamsBody({PunchLog: {}})).toThrow('Missing required field: PunchLog.Log.')
  })
})
