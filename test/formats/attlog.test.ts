import {describe, expect, it} from 'vitest'

import {detectAttlogLayout, parseAttlogLine} from '../../src/formats/attlog.js'

/** A wall-clock time as parseTimestamp gives it: the normalized text and its fields read as UTC. */
const wall = (local: string) => ({kind: 'wall', local, asUtc: Date.parse(`${local}Z`)})

describe('parseAttlogLine', () => {
  it('reads a push ATTLOG line: PIN, wall time, status, verify, workcode', () => {
    expect(parseAttlogLine('1\t2026-03-12 08:05:00\t0\t1\t0\t0\t0', 1)).toEqual({
      ok: true,
      punch: {
        deviceUserId: '1', time: wall('2026-03-12T08:05:00'), timeText: '2026-03-12 08:05:00',
        rawStatus: '0', rawVerify: '1', workCode: '0', raw: '1\t2026-03-12 08:05:00\t0\t1\t0\t0\t0', line: 1,
      },
    })
  })
  it('strips CR and PIN padding and accepts two fields', () => {
    const parsed = parseAttlogLine('    42\t2026-03-12 08:05:00\r', 7)
    expect(parsed).toMatchObject({ok: true, punch: {deviceUserId: '42', rawStatus: null, rawVerify: null, workCode: null, raw: '    42\t2026-03-12 08:05:00', line: 7}})
  })
  it('reads the USB .dat layout with the machine number in column 3', () => {
    expect(parseAttlogLine('   101\t2026-03-12 08:05:00\t1\t0\t15\t0', 1, 'usb')).toMatchObject({ok: true, punch: {rawStatus: '0', rawVerify: '15', workCode: '0'}})
  })
  it('reads mask and temperature from newer push firmware', () => {
    expect(parseAttlogLine('5\t2026-03-12 08:05:00\t0\t15\t\t0\t0\t1\t36.6\t0', 1)).toMatchObject({ok: true, punch: {workCode: null, mask: true, temperature: 36.6}})
  })
  it('trims every column as String#trim does (spaces, non-breaking spaces, a BOM) and reads a blank one as absent', () => {
    const parsed = parseAttlogLine('\u00a07 \t 2026-03-12 08:05:00\u00a0\t\u00a0\t 1\t\ufeff4\ufeff\t\t\t\u00a01\u00a0\t 36.6 ', 1)
    expect(parsed).toMatchObject({ok: true, punch: {deviceUserId: '7', timeText: '2026-03-12 08:05:00', rawStatus: null, rawVerify: '1', workCode: '4', mask: true, temperature: 36.6}})
    expect(parseAttlogLine('8\t2026-03-12 08:05:00\t\t\t', 2)).toMatchObject({ok: true, punch: {rawStatus: null, rawVerify: null, workCode: null}})
    expect(parseAttlogLine('\u00a0\t2026-03-12 08:05:00', 3)).toEqual({ok: false, rejected: {line: 3, raw: '\u00a0\t2026-03-12 08:05:00', reason: 'The PIN (column 1) is empty.'}})
  })
  it('accepts space-separated lines pasted from a screen', () => {
    expect(parseAttlogLine('  42   2026-03-12 08:05:00   0  1', 3)).toMatchObject({ok: true, punch: {deviceUserId: '42', rawStatus: '0', rawVerify: '1'}})
  })
  it('reads the key=value layout of some push firmware, in any key order and with TABs or wide spaces', () => {
    expect(parseAttlogLine('PIN=90\tDateTime=2026-03-12 08:05:00\tVerified=1\tStatus=0', 1)).toEqual({
      ok: true,
      punch: {
        deviceUserId: '90', time: wall('2026-03-12T08:05:00'), timeText: '2026-03-12 08:05:00',
        rawStatus: '0', rawVerify: '1', workCode: null, raw: 'PIN=90\tDateTime=2026-03-12 08:05:00\tVerified=1\tStatus=0', line: 1,
      },
    })
    expect(parseAttlogLine('PIN=12345    DateTime=2025-09-02 14:32:11    Verified=15    Status=1\r', 2)).toMatchObject({
      ok: true,
      punch: {deviceUserId: '12345', timeText: '2025-09-02 14:32:11', rawStatus: '1', rawVerify: '15'},
    })
    expect(parseAttlogLine('PIN=7\tStatus=0\tDateTime=2026-03-12 08:05:00\tWorkCode=3\tMaskFlag=1\tTemperature=36.4', 3)).toMatchObject({
      ok: true,
      punch: {deviceUserId: '7', workCode: '3', mask: true, temperature: 36.4},
    })
  })
  it('rejects a key=value line without PIN value or time, naming the field', () => {
    expect(parseAttlogLine('PIN=\tDateTime=2026-03-12 08:05:00', 4)).toMatchObject({ok: false, rejected: {line: 4, reason: 'PIN= is empty.'}})
    expect(parseAttlogLine('PIN=9\tStatus=0', 5)).toMatchObject({ok: false, rejected: {reason: 'DateTime= is missing: expected DateTime=YYYY-MM-DD HH:MM:SS.'}})
  })
  it('refuses a PIN longer than 64 characters and quotes at most 80 characters of a bad time', () => {
    expect(parseAttlogLine(`${'9'.repeat(65)}\t2026-03-12 08:05:00`, 1)).toMatchObject({ok: false, rejected: {reason: expect.stringMatching(/^The PIN \(column 1\) "9{65}" is longer than 64 characters\.$/)}})
    const parsed = parseAttlogLine(`1\t${'x'.repeat(5000)}`, 2)
    expect(parsed).toMatchObject({ok: false})
    expect((parsed as {rejected: {reason: string}}).rejected.reason.length).toBeLessThan(400)
  })
  it('returns null for a blank line', () => {
    expect(parseAttlogLine('\r', 4)).toBeNull()
    expect(parseAttlogLine('   ', 4)).toBeNull()
  })
  it.each([
    ['garbage line', 'Expected at least 2 TAB-separated fields (PIN and YYYY-MM-DD HH:MM:SS).'],
    ['\t2026-03-12 08:05:00\t0', 'The PIN (column 1) is empty.'],
    ['1\t2026-02-30 08:05:00\t0', 'Column 2 (time): Invalid timestamp "2026-02-30 08:05:00": 2026-02-30 is not a calendar date.'],
    ['1\tsoon\t0', 'Column 2 (time): Invalid timestamp "soon": expected ISO 8601 (2026-03-12T08:05:00+03:00), YYYY-MM-DD HH:MM:SS, CAMS "YYYY-MM-DD HH:MM:SS GMT +0300", DD/MM/YYYY HH:MM or MM/DD/YYYY h:mm AM.'],
  ])('rejects %j naming the line and column', (line, reason) => {
    expect(parseAttlogLine(line, 9)).toEqual({ok: false, rejected: {line: 9, raw: line, reason}})
  })
  it('detects the USB layout by padding or CRLF', () => {
    expect(detectAttlogLayout('   1\t2026-03-12 08:05:00\t1\t0\t1\t0\n')).toBe('usb')
    expect(detectAttlogLayout('1\t2026-03-12 08:05:00\t1\t0\t1\t0\r\n')).toBe('usb')
    expect(detectAttlogLayout('1\t2026-03-12 08:05:00\t0\t1\t0\t0\t0\n')).toBe('push')
  })
})
