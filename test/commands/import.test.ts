import fs from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'

const fixtures = path.resolve(import.meta.dirname, '../fixtures')
const fixture = (name: string) => path.join(fixtures, name)
const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

async function site(): Promise<{db: string; dir: string}> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const db = path.join(t.dir, 'attend.db')
  await runJson(['init', '--db', db, '--timezone', 'Africa/Nairobi'])
  return {db, dir: t.dir}
}

interface Summary {
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
  committed: boolean
  files: Array<{file: string; format: string; status: string}>
  rejectedLines: Array<{line: number; reason: string}>
}

describe('attend import', () => {
  it('prints the summary on stdout and the rejected lines on stderr, exits 3 when a line is rejected', async () => {
    const {db} = await site()
    await runJson(['devices', 'add', '--serial', 'ZK-USB-1', '--name', 'USB export', '--db', db])
    const result = await runAttend(['import', fixture('attlog.dat'), '--device', 'ZK-USB-1', '--db', db])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toBe(`${fixture('attlog.dat')} (attlog): 7 read, 6 stored, 0 duplicates, 6 unmapped, 1 rejected\n`)
    expect(result.stderr).toContain('Rejected lines:\n  line 6: Column 2 (time): Invalid timestamp "2026-03-09 ##:17:22"')
  })

  it('says how many rejected lines are not shown after the first 20', async () => {
    const {db, dir} = await site()
    const file = path.join(dir, 'bad_attlog.dat')
    const lines = Array.from({length: 20}, (_, i) => `1\t2026-03-09 07:${String(10 + i)}:12\t1\t0\t1\t0`)
    for (let i = 0; i < 25; i++) lines.push(`${i}\t2026-03-09 ##:17:22\t1\t0\t1\t0`)
    fs.writeFileSync(file, lines.join('\n') + '\n')
    const result = await runAttend(['import', file, '--db', db])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('45 read, 20 stored, 0 duplicates, 20 unmapped, 25 rejected')
    expect(result.stderr.match(/^ {2}line \d+:/gm)).toHaveLength(20)
    expect(result.stderr).toContain('  line 40: ')
    expect(result.stderr).not.toContain('  line 41: ')
    expect(result.stderr).toContain('  … and 5 more rejected lines')
  })

  it('imports an ATTLOG file whose first line is broken, rejecting that line', async () => {
    const {db, dir} = await site()
    const file = path.join(dir, '1_attlog.dat')
    fs.writeFileSync(file, '105\t2026-03-09 ##:17:22\t1\t0\t1\t0\n105\t2026-03-09 08:17:22\t1\t0\t1\t0\n106\t2026-03-09 08:20:00\t1\t0\t1\t0\n')
    const result = await runAttend(['import', file, '--db', db])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('(attlog): 3 read, 2 stored, 0 duplicates, 2 unmapped, 1 rejected')
    expect(result.stderr).toContain('line 1: Column 2 (time): Invalid timestamp "2026-03-09 ##:17:22"')
  })

  it('refuses an unregistered --device with exit 2 before reading or writing', async () => {
    const {db} = await site()
    const result = await runAttend(['import', fixture('cams-batch.json'), '--device', 'NOPE', '--db', db])
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toContain('Unknown device serial "NOPE": register it with attend devices add, or leave --device out.')
    expect((await runJson<{imports: unknown[]}>(['imports', 'list', '--db', db])).imports).toEqual([])
    expect((await runJson<{punches: unknown[]}>(['punches', 'list', '--db', db])).punches).toEqual([])
  })

  it('--strict: a file that cannot be read rolls back the run and every file is recorded as failed', async () => {
    const {db, dir} = await site()
    const trunc = path.join(dir, 'trunc.json')
    fs.writeFileSync(trunc, '{"PunchLog":{"Log":[{"Type":"CheckIn","UserID":"7"')
    const result = await runAttend(['import', fixture('cams-batch.json'), trunc, '--strict', '--db', db])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('Nothing stored: --strict and a file failed.')
    expect((await runJson<{punches: unknown[]}>(['punches', 'list', '--db', db])).punches).toEqual([])
    const runs = (await runJson<{imports: Array<{status: string; stored: number}>}>(['imports', 'list', '--db', db])).imports
    expect(runs.map((r) => [r.status, r.stored])).toEqual([['failed', 0], ['failed', 0]])
  })

  it('without --strict prints the files imported before a file that fails, then the error with exit 1', async () => {
    const {db, dir} = await site()
    const trunc = path.join(dir, 'trunc.json')
    fs.writeFileSync(trunc, '{"PunchLog":{"Log":[{"Type":"CheckIn","UserID":"7"')
    const result = await runAttend(['import', fixture('cams-batch.json'), trunc, '--db', db])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(`${fixture('cams-batch.json')} (cams): 3 read, 3 stored, 0 duplicates, 3 unmapped, 0 rejected`)
    expect(result.stdout).toContain(`${trunc} (cams): 0 read, 0 stored, 0 duplicates, 0 unmapped, 0 rejected (failed)`)
    expect(errorText(result.stderr)).not.toBe('')
    const runs = (await runJson<{imports: Array<{status: string; stored: number}>}>(['imports', 'list', '--db', db])).imports
    expect(runs.map((r) => [r.status, r.stored])).toEqual([['failed', 0], ['done', 3]])
  })

  it('stores nothing new when any fixture is imported again, and exits 0 for clean files', async () => {
    const {db} = await site()
    const files = ['punches-export.csv', 'cams-batch.json', 'events-batch.json', 'events.jsonl'].map(fixture)
    const first = await runJson<Summary>(['import', ...files, '--db', db])
    expect(first).toMatchObject({read: 13, stored: 13, rejected: 0})
    expect(first.files.map((f) => f.format)).toEqual(['csv', 'cams', 'json', 'json'])
    const again = await runJson<Summary>(['import', ...files, '--db', db])
    expect(again).toMatchObject({stored: 0, duplicates: 13})
    const attlog = await runAttend(['import', fixture('attlog.dat'), '--db', db, '--json'])
    const attlogAgain = await runAttend(['import', fixture('attlog.dat'), '--db', db, '--json'])
    expect(JSON.parse(attlogAgain.stdout)).toMatchObject({stored: 0, duplicates: 6, rejected: 1})
    expect([attlog.exitCode, attlogAgain.exitCode]).toEqual([3, 3])
  })

  it('--strict stores nothing when a line is bad', async () => {
    const {db} = await site()
    const result = await runAttend(['import', fixture('cams-batch.json'), fixture('attlog.dat'), '--strict', '--db', db])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('Nothing stored: --strict and 1 rejected line.')
    const list = (await runJson<{punches: unknown[]}>(['punches', 'list', '--db', db])).punches
    expect(list).toEqual([])
  })

  it('--dry-run reports what would be stored and writes nothing', async () => {
    const {db} = await site()
    const result = await runAttend(['import', fixture('cams-batch.json'), '--dry-run', '--db', db])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('3 read, 3 would be stored, 0 duplicates, 3 unmapped, 0 rejected')
    expect(result.stdout).toContain('Dry run: 3 read, 3 would be stored, 0 duplicates, 3 unmapped, 0 rejected; nothing was written.')
    expect((await runJson<{punches: unknown[]}>(['punches', 'list', '--db', db])).punches).toEqual([])
    expect((await runJson<{imports: unknown[]}>(['imports', 'list', '--db', db])).imports).toEqual([])
  })

  it('--dry-run does not create a store that does not exist yet', async () => {
    const {dir} = await site()
    const db = path.join(dir, 'fresh.db')
    const result = await runAttend(['import', fixture('cams-batch.json'), '--dry-run', '--timezone', 'Asia/Kolkata', '--db', db])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Dry run: 3 read, 3 would be stored, 0 duplicates, 3 unmapped, 0 rejected; nothing was written.')
    expect(fs.existsSync(db)).toBe(false)
  })

  it('reads stdin for - and takes --format and --timezone', async () => {
    const {db} = await site()
    const input = '{"scanId":"S1","employeeId":"EMP9","eventType":"check_in","timestamp":"2026-03-12T08:00:00"}\n'
    const summary = await runJson<Summary>(['import', '-', '--format', 'json', '--timezone', 'Asia/Kolkata', '--db', db], {input})
    expect(summary).toMatchObject({stored: 1, files: [{file: 'stdin', format: 'json'}]})
    const [punch] = (await runJson<{punches: Array<{at: string; localTime: string}>}>(['punches', 'list', '--db', db])).punches
    expect(punch).toMatchObject({at: '2026-03-12T02:30:00.000Z', localTime: '2026-03-12 05:30:00'})
  })

  it('reads a CSV with --columns and --date-format', async () => {
    const {db, dir} = await site()
    const file = path.join(dir, 'export.csv')
    fs.writeFileSync(file, 'Badge;Clocked;Kind\n42;03/04/2026 08:00;IN\n42;03/04/2026 5:10 PM;OUT\n')
    const summary = await runJson<Summary>(['import', file, '--columns', 'user=Badge,time=Clocked,status=Kind', '--date-format', 'mdy', '--db', db])
    expect(summary).toMatchObject({stored: 2})
    const rows = (await runJson<{punches: Array<{localTime: string; direction: string}>}>(['punches', 'list', '--db', db])).punches
    expect(rows.map((r) => [r.localTime, r.direction])).toEqual([['2026-03-04 08:00:00', 'in'], ['2026-03-04 17:10:00', 'out']])
  })

  it('names bad flags and missing files with exit 2 before creating a store', async () => {
    const {dir} = await site()
    const db = path.join(dir, 'never.db')
    const missing = await runAttend(['import', path.join(dir, 'nope.dat'), '--db', db])
    expect(missing.exitCode).toBe(2)
    expect(errorText(missing.stderr)).toContain(`File not found: ${path.join(dir, 'nope.dat')}.`)
    const zone = await runAttend(['import', fixture('attlog.dat'), '--timezone', 'Mars/Base', '--db', db])
    expect(zone.exitCode).toBe(2)
    expect(errorText(zone.stderr)).toContain('Unknown time zone "Mars/Base"')
    expect(fs.existsSync(db)).toBe(false)
    await runAttend(['init', '--db', db, '--timezone', 'UTC'])
    // A header can only be checked once the file is open; the run is then recorded as failed.
    const columns = await runAttend(['import', fixture('punches-export.csv'), '--columns', 'user=Nope', '--db', db])
    expect(columns.exitCode).toBe(2)
    expect(errorText(columns.stderr)).toContain('--columns user=Nope: there is no column "Nope" in the header of')
    const [run] = (await runJson<{imports: Array<{status: string; message: string}>}>(['imports', 'list', '--db', db])).imports
    expect(run).toMatchObject({status: 'failed', message: expect.stringContaining('there is no column "Nope"')})
  })

  it('lists import runs', async () => {
    const {db} = await site()
    await runAttend(['import', fixture('cams-batch.json'), '--db', db])
    await runAttend(['import', fixture('cams-batch.json'), '--dry-run', '--db', db])
    const runs = (await runJson<{imports: Array<{file: string; format: string; status: string; dryRun: boolean; stored: number; duplicates: number}>}>(['imports', 'list', '--db', db])).imports
    expect(runs).toEqual([
      expect.objectContaining({file: fixture('cams-batch.json'), format: 'cams', status: 'done', dryRun: false, stored: 3}),
    ])
    const table = await runAttend(['imports', 'list', '--db', db])
    expect(table.stdout).toMatch(/ID\s+Started \(UTC\)\s+File\s+Format\s+Status/)
    expect(table.stdout).toContain('done')
  })
})
