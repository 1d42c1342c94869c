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
  ])('%j → %s', (sample, format, jsonLines) => {
    expect(detectFormat(sample)).toEqual({format, jsonLines})
  })
  it('returns null for an empty file', () => {
    expect(detectFormat('\uFEFF \n')).toBeNull()
  })
})
