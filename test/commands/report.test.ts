import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {seedJanuary2023} from '../reports/seed.js'

let dir: string
let cleanup: () => void
let db: string
const period = ['--from', '2023-01-01', '--to', '2023-01-31']

beforeAll(() => {
  ;({dir, cleanup} = tempDir())
  db = path.join(dir, 'attend.db')
  const store = openStore(db)
  writeSettings(store, {timezone: 'UTC', weekOff: ['sat', 'sun'], reportTitle: 'Zespół Szkół — Kadry'}, 0)
  seedJanuary2023(store)
  store.close()
})
afterAll(() => cleanup())

describe('attend report', () => {
  it('summary prints a table by default, with the title and the seed 001 figures', async () => {
    const result = await runAttend(['report', 'summary', ...period, '--db', db])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Zespół Szkół — Kadry — Attendance summary')
    expect(result.stdout).toMatch(/EMP001\s+John Doe\s+22\s+21\s+1\s+2\s+1\s+0\s+95\.45/)
    expect(result.stdout).toContain('Łukasz Nowak')
    expect(result.stdout).not.toContain('\u001B[')
  })

  it('summary --format json and --json give the seed 001 report object', async () => {
    const result = await runAttend(['report', 'summary', ...period, '--department', 'IT', '--format', 'json', '--generated-at', '2023-02-01T10:00:00Z', '--db', db])
    expect(result.exitCode).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({start_date: '2023-01-01', end_date: '2023-01-31', department: 'IT', generated_at: '2023-02-01T10:00:00Z'})
    expect(report.summary).toEqual({total_users: 2, total_days: 31, working_days: 22, average_attendance: 96.54})
    expect(report.report_id).toMatch(/^rep_[0-9a-f]{12}$/)
    const viaFlag = await runJson<typeof report>(['report', 'summary', ...period, '--department', 'IT', '--generated-at', '2023-02-01T10:00:00Z', '--db', db])
    expect(viaFlag).toEqual(report)
  })

  it('register --output FILE.csv writes the file whole and says so on stderr', async () => {
    const file = path.join(dir, 'register.csv')
    const result = await runAttend(['report', 'register', ...period, '--output', file, '--db', db])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`Wrote the register report (csv) to ${file}`)
    const bytes = fs.readFileSync(file)
    // A CSV file starts with a UTF-8 byte order mark: Excel then reads "Łukasz" right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\n')
    expect(lines[0]).toMatch(/^department,code,name,2023-01-01,/)
    expect(lines).toHaveLength(5)
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('CSV: --no-bom writes a file without the byte order mark; stdout has none unless --bom asks', async () => {
    const file = path.join(dir, 'summary-nobom.csv')
    expect((await runAttend(['report', 'summary', ...period, '--output', file, '--no-bom', '--db', db])).exitCode).toBe(0)
    expect(fs.readFileSync(file, 'utf8').startsWith('user_id,code,')).toBe(true)
    const piped = await runAttend(['report', 'summary', ...period, '--format', 'csv', '--db', db])
    expect(piped.stdout.startsWith('user_id,code,')).toBe(true)
    const asked = await runAttend(['report', 'summary', ...period, '--format', 'csv', '--bom', '--db', db])
    expect(asked.stdout.startsWith('\uFEFFuser_id,code,')).toBe(true)
    // Only CSV has one: a PDF or JSON file is left as it is.
    const json = path.join(dir, 'summary.json')
    expect((await runAttend(['report', 'summary', ...period, '--output', json, '--bom', '--db', db])).exitCode).toBe(0)
    expect(fs.readFileSync(json, 'utf8').startsWith('{')).toBe(true)
  })

  it('register PDF is the same bytes twice for the same --generated-at', async () => {
    const a = path.join(dir, 'a.pdf')
    const b = path.join(dir, 'b.pdf')
    for (const file of [a, b]) {
      const result = await runAttend(['report', 'register', ...period, '--output', file, '--generated-at', '2023-02-01T10:00:00Z', '--db', db])
      expect(result.exitCode).toBe(0)
    }
    expect(fs.readFileSync(a).subarray(0, 5).toString()).toBe('%PDF-')
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true)
  })

  it('writes a PDF to stdout when stdout is not a terminal', async () => {
    const result = await runAttend(['report', 'summary', ...period, '--format', 'pdf', '--db', db])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.startsWith('%PDF-')).toBe(true)
  })

  it('daily, late and punches run', async () => {
    const daily = await runAttend(['report', 'daily', '--date', '2023-01-03', '--db', db])
    expect(daily.exitCode).toBe(0)
    expect(daily.stdout).toMatch(/EMP001\s+John Doe\s+Day\s+09:14\s+17:00/)
    const late = await runAttend(['report', 'late', ...period, '--employee', 'emp001', '--format', 'csv', '--db', db])
    expect(late.stdout.trimEnd().split('\n')).toEqual([
      'date,code,name,department,kind,shift,expected,actual,minutes,manual',
      '2023-01-03,EMP001,John Doe,IT,late_arrival,Day,09:00,2023-01-03T09:14:00Z,14,false',
      '2023-01-11,EMP001,John Doe,IT,late_arrival,Day,09:00,2023-01-11T09:14:00Z,14,false',
      '2023-01-16,EMP001,John Doe,IT,early_departure,Day,17:00,2023-01-16T16:30:00Z,30,false',
    ])
    const punches = await runJson<unknown[]>(['report', 'punches', ...period, '--db', db])
    expect(punches).toEqual([])
  })

  describe('bad input: one sentence and the right exit code', () => {
    const cases: [string, string[], number, string][] = [
      ['end before start', ['summary', '--from', '2023-01-31', '--to', '2023-01-01'], 2, '--to 2023-01-01 is before --from 2023-01-31: the end of the period must not come before its start.'],
      ['register over 366 days', ['register', '--from', '2023-01-01', '--to', '2024-01-02'], 2, 'The register covers at most 366 days, but 2023-01-01 to 2024-01-02 is 367 days: split it into shorter periods.'],
      ['over ten years', ['punches', '--from', '2026-01-01', '--to', '2206-01-01'], 2, 'attend report punches covers at most 3660 days (about ten years), but 2026-01-01 to 2206-01-01 is 65744 days: check the years in --from and --to, or split the period.'],
      ['not a date', ['summary', '--from', '2023-02-30', '--to', '2023-03-01'], 2, 'Invalid --from "2023-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2023 has 28 days).'],
      ['no --from', ['late', '--to', '2023-03-01'], 2, 'attend report late needs --from YYYY-MM-DD (the first day of the period).'],
      ['unknown format', ['summary', ...period, '--format', 'xlsx'], 2, '--format "xlsx" is not a report format: expected table, json, csv, pdf.'],
      ['bad --generated-at', ['summary', ...period, '--generated-at', 'yesterday'], 2, '--generated-at "yesterday" is not an ISO 8601 instant: expected e.g. 2026-02-01T10:00:00Z.'],
      ['unknown employee', ['summary', ...period, '--employee', 'EMP404'], 1, 'Unknown employee code "EMP404": see attend employees list.'],
      ['unknown department', ['register', ...period, '--department', 'Sales'], 1, 'Unknown department "Sales": known departments: HR, IT.'],
      ['unwritable --output', ['summary', ...period, '--output', '/nonexistent-dir/report.csv'], 1, 'Cannot write --output /nonexistent-dir/report.csv: the directory /nonexistent-dir does not exist.'],
    ]
    for (const [name, args, exit, message] of cases) {
      it(name, async () => {
        const result = await runAttend(['report', ...args, '--db', db])
        expect(result.exitCode).toBe(exit)
        expect(errorText(result.stderr)).toBe(`Error: ${message}`)
        expect(result.stdout).toBe('')
      })
    }

    it('validates before opening the store, so a typo creates no file', async () => {
      const fresh = path.join(dir, 'never.db')
      const result = await runAttend(['report', 'summary', '--from', '2023-01-31', '--to', '2023-01-01', '--db', fresh])
      expect(result.exitCode).toBe(2)
      expect(fs.existsSync(fresh)).toBe(false)
    })
  })
})
