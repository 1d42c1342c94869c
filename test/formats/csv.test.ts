import {describe, expect, it} from 'vitest'

import {csvRowToPunch, detectDelimiter, directionFromStatusText, parseColumnsFlag, resolveCsvColumns} from '../../src/formats/csv.js'

describe('resolveCsvColumns', () => {
  it('finds the columns of a ZKTeco attendance export', () => {
    expect(resolveCsvColumns(['No.', 'AC-No.', 'Name', 'Time', 'State', 'Verify Type'])).toEqual({user: 1, time: 3, status: 4, verify: 5})
  })
  it('finds separate date and time columns, BOM and spacing ignored', () => {
    expect(resolveCsvColumns(['\uFEFFEmp Code', 'Name', 'Date', 'Time', 'Status', 'Device SN'])).toEqual({user: 0, date: 2, time: 3, status: 4, device: 5})
  })
  it('reads a single Date column as date and time, and PIN/Punch Time', () => {
    expect(resolveCsvColumns(['PIN', 'Date'])).toEqual({user: 0, time: 1})
    expect(resolveCsvColumns(['User ID', 'Punch Time', 'Work Code'])).toEqual({user: 0, time: 1, workcode: 2})
  })
  it('follows --columns by header name, any case', () => {
    expect(resolveCsvColumns(['Badge', 'When', 'Kind'], parseColumnsFlag('user=badge,time=When,status=Kind'))).toEqual({user: 0, time: 1, status: 2})
  })
  it('names what is missing and shows the header', () => {
    expect(() => resolveCsvColumns(['Who', 'When'], {}, 'x.csv')).toThrow('Cannot tell which column of x.csv holds the user id (header: Who, When): pass --columns user=<header>.')
    expect(() => resolveCsvColumns(['PIN', 'Where'], {}, 'x.csv')).toThrow('Cannot tell which column of x.csv holds the punch time (header: PIN, Where)')
    expect(() => resolveCsvColumns(['PIN', 'Time'], {user: 'Badge'}, 'x.csv')).toThrow('--columns user=Badge: there is no column "Badge" in the header of x.csv (PIN, Time).')
  })
})

describe('parseColumnsFlag', () => {
  it('reads roles and header names with spaces', () => {
    expect(parseColumnsFlag('user=EmpCode,time=Punch Time')).toEqual({user: 'EmpCode', time: 'Punch Time'})
  })
  it('names an unknown role or a missing header', () => {
    expect(() => parseColumnsFlag('person=X')).toThrow('Unknown column role "person" in --columns: expected user, time, date, status, verify, device, workcode')
    expect(() => parseColumnsFlag('user=')).toThrow('--columns user= needs a header name')
  })
})

describe('detectDelimiter and directions', () => {
  it('detects , ; TAB and | outside quotes', () => {
    expect(detectDelimiter('a,b,c')).toBe(',')
    expect(detectDelimiter('"a;b",c;d;e')).toBe(';')
    expect(detectDelimiter('a\tb\tc')).toBe('\t')
    expect(detectDelimiter('a|b|c')).toBe('|')
  })
  it('reads worded statuses and leaves codes alone', () => {
    expect(['C/In', 'Check Out', 'IN', 'out', 'OverTime In', '0', 'Break-Out'].map(directionFromStatusText)).toEqual(['in', 'out', 'in', 'out', 'in', null, 'out'])
  })
})

describe('csvRowToPunch', () => {
  const columns = {user: 0, date: 1, time: 2, status: 3}
  it('joins date and time columns', () => {
    expect(csvRowToPunch(['EMP1', '12/03/2026', '08:02', 'C/In'], columns, 2, {dateFormat: 'dmy'})).toMatchObject({
      ok: true, punch: {deviceUserId: 'EMP1', timeText: '12/03/2026 08:02', time: {kind: 'wall', local: '2026-03-12T08:02:00'}, direction: 'in', rawStatus: 'C/In', line: 2},
    })
  })
  it('uses the time cell alone when it already holds a date', () => {
    expect(csvRowToPunch(['EMP1', '2026-03-12', '2026-03-12 08:02:00', ''], columns, 2)).toMatchObject({ok: true, punch: {timeText: '2026-03-12 08:02:00'}})
  })
  it('skips empty rows and names empty cells', () => {
    expect(csvRowToPunch(['', ' ', '', ''], columns, 3)).toBeNull()
    expect(csvRowToPunch(['', '12/03/2026', '08:00', ''], columns, 3)).toMatchObject({ok: false, rejected: {line: 3, reason: 'The user id (column 1) is empty.'}})
    expect(csvRowToPunch(['E', '', '', 'x'], columns, 3)).toMatchObject({ok: false, rejected: {reason: 'The punch time (column 3) is empty.'}})
  })
})
