import {describe, expect, it} from 'vitest'

import {parseCamsPunchLog, parseCamsUser, readCamsBody} from '../../src/formats/cams.js'

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

describe('the CAMS gateway\'s offsets and users', () => {
  it('rejects a LogTime with an impossible offset (GMT +9999), naming the offset', () => {
    expect(parseCamsPunchLog({Type: 'CheckIn', UserID: '1', LogTime: '2024-09-17 08:00:00 GMT +9999'}, 2)).toMatchObject({
      ok: false,
      rejected: {line: 3, reason: 'Log[2].LogTime "2024-09-17 08:00:00 GMT +9999": the UTC offset +9999 is not an offset (minutes above 59).'},
    })
  })

  it('reads an Add/Delete User or UserUpdated user: id, first and last name, type', () => {
    expect(parseCamsUser({UserID: '1', FirstName: 'Manu', LastName: 'Mona', UserType: 'User'}, 'Add.User')).toEqual({userId: '1', name: 'Manu Mona', userType: 'User'})
    expect(parseCamsUser({UserID: 3, FirstName: 'ALOK SINGH', LastName: ''}, 'RealTime.UserUpdated')).toEqual({userId: '3', name: 'ALOK SINGH', userType: null})
    expect(parseCamsUser({FirstName: 'Nobody'}, 'Delete.User')).toEqual({reason: "Delete.User.UserID is missing: expected the user's id on the device."})
    expect(parseCamsUser('1', 'Add.User')).toEqual({reason: 'Add.User must be an object with UserID, not the string "1".'})
  })
})
