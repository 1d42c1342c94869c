import fs from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {parseReportRequest} from '../../src/reports/options.js'
import {tempDir} from '../helpers/cli.js'

const terminal = {stdoutIsTTY: true}
const pipe = {stdoutIsTTY: false}
const period = {from: '2026-03-01', to: '2026-03-31'}
let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('report options', () => {
  it('refuses a PDF on a terminal but writes one to a pipe or a file', () => {
    expect(() => parseReportRequest('summary', {...period, format: 'pdf'}, terminal)).toThrow(
      'A PDF cannot be shown on a terminal: pass --output FILE.pdf or redirect stdout to a file.',
    )
    expect(parseReportRequest('summary', {...period, format: 'pdf'}, pipe).format).toBe('pdf')
  })

  it('takes the format from the --output extension, else table', () => {
    const t = tempDir()
    cleanup = t.cleanup
    expect(parseReportRequest('register', {...period, output: path.join(t.dir, 'march.PDF')}, terminal)).toMatchObject({format: 'pdf', output: path.join(t.dir, 'march.PDF')})
    expect(parseReportRequest('register', {...period, output: path.join(t.dir, 'march.csv')}, terminal).format).toBe('csv')
    expect(parseReportRequest('register', {...period, output: path.join(t.dir, 'march.csv'), format: 'json'}, terminal).format).toBe('json')
    expect(parseReportRequest('register', period, pipe).format).toBe('table')
    expect(() => parseReportRequest('register', {...period, output: path.join(t.dir, 'march.xlsx')}, terminal)).toThrow(
      /Cannot tell the format of --output .*march\.xlsx from its extension "\.xlsx": use \.csv, \.json, \.pdf or \.txt, or pass --format\./,
    )
    expect(parseReportRequest('register', {...period, output: path.join(t.dir, 'march.xlsx'), format: 'csv'}, terminal).format).toBe('csv')
  })

  it('refuses an --output that is a directory or sits in a read-only one', () => {
    const t = tempDir()
    cleanup = t.cleanup
    expect(() => parseReportRequest('summary', {...period, output: t.dir}, pipe)).toThrow(`Cannot write --output ${t.dir}: it is a directory.`)
    const locked = path.join(t.dir, 'locked')
    fs.mkdirSync(locked, {mode: 0o500})
    if (process.getuid?.() !== 0) {
      expect(() => parseReportRequest('summary', {...period, output: path.join(locked, 'r.csv')}, pipe)).toThrow(/is not writable/)
    }
  })

  it('allows exactly 366 days of register, and any length of summary', () => {
    expect(parseReportRequest('register', {from: '2024-01-01', to: '2024-12-31'}, pipe).to).toBe('2024-12-31')
    expect(() => parseReportRequest('register', {from: '2024-01-01', to: '2025-01-01'}, pipe)).toThrow(/at most 366 days/)
    expect(parseReportRequest('summary', {from: '2020-01-01', to: '2025-01-01'}, pipe).from).toBe('2020-01-01')
  })

  it('refuses a period of more than ten years in one sentence (a typo in a year, not a report)', () => {
    expect(parseReportRequest('summary', {from: '2016-01-01', to: '2025-12-31'}, pipe).to).toBe('2025-12-31')
    expect(() => parseReportRequest('punches', {from: '2026-01-01', to: '2206-01-01'}, pipe)).toThrow(
      'attend report punches covers at most 3660 days (about ten years), but 2026-01-01 to 2206-01-01 is 65744 days: check the years in --from and --to, or split the period.',
    )
  })

  it('daily takes --date, and no date means today (resolved later in the site zone)', () => {
    expect(parseReportRequest('daily', {date: '2026-03-12'}, pipe)).toMatchObject({from: '2026-03-12', to: '2026-03-12'})
    expect(parseReportRequest('daily', {}, pipe)).toMatchObject({from: null, to: null})
    expect(() => parseReportRequest('daily', {date: '12/03/2026'}, pipe)).toThrow('Invalid --date "12/03/2026": expected a real date')
  })

  it('rejects empty filters', () => {
    expect(() => parseReportRequest('summary', {...period, employee: ' '}, pipe)).toThrow('--employee is empty')
    expect(() => parseReportRequest('summary', {...period, department: ''}, pipe)).toThrow('--department is empty')
  })
})
