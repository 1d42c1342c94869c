import {describe, expect, it} from 'vitest'

import {detectFormat} from '../../src/formats/detect.js'

describe('detectFormat', () => {
  it.each([
    ['    1\t2026-03-09 07:58:12\t1\t0\t1\t0\r\n', 'attlog', false],
    ['1 2026-03-09 07:58:12 0 1\n', 'attlog', false],
    ['\uFEFFEmp Code,Name,Date,Time\r\nEMP001,A,12/03/2026,08:02\r\n', 'csv', false],
    ['PIN;Punch Time\n9;03/04/2026 08:00\n', 'csv', false],
    ['{"PunchLog":{"Log":[]}}', 'cams', false],
    ['[{"RealTime":{"PunchLog":{}}}]', 'cams', false],
    ['{\n  "device_info": {},\n  "events": []\n}', 'json', false],
    ['[{"scanId":"1"}]', 'json', false],
    ['{"scanId":"1"}\n{"scanId":"2"}\n', 'json', true],
    ['{"PunchLog":{"Log":[]}}\n{"PunchLog":{"Log":[]}}\n', 'cams', true],
    ['PIN=90\tDateTime=2026-03-12 08:05:00\tVerified=1\tStatus=0\nPIN=91\tDateTime=2026-03-12 08:06:00\tVerified=1\tStatus=0\n', 'attlog', false],
  ])('%j → %s', (sample, format, jsonLines) => {
    expect(detectFormat(sample)).toEqual({format, jsonLines})
  })
  it('decides ATTLOG or CSV by most of the first lines, so a broken first line does not decide', () => {
    const broken = '105\t2026-03-09 ##:17:22\t1\t0\t1\t0\n\n1\t2026-03-09 07:58:12\t1\t0\t1\t0\n2\t2026-03-09 08:01:00\t1\t0\t1\t0\n'
    expect(detectFormat(broken)).toEqual({format: 'attlog', jsonLines: false})
    const mostlyBroken = 'x\t1\ny\t2\n1\t2026-03-09 07:58:12\t1\n'
    expect(detectFormat(mostlyBroken)).toEqual({format: 'csv', jsonLines: false})
    // Only the first 20 non-blank lines count.
    const late = ['1 bad 1', ...Array.from({length: 19}, (_, i) => `${i}\tbad`), ...Array.from({length: 30}, (_, i) => `${i}\t2026-03-09 07:58:12`)].join('\n')
    expect(detectFormat(late)).toEqual({format: 'csv', jsonLines: false})
  })
  it('reads a TAB-separated export with a header row as CSV', () => {
    expect(detectFormat('PIN\tTime\n1\t2026-03-09 07:58\n2\t2026-03-09 08:00\n')).toEqual({format: 'csv', jsonLines: false})
  })
  it('returns null for an empty file', () => {
    expect(detectFormat('\uFEFF \n')).toBeNull()
  })
})
