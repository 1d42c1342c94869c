import fs from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ImportAbortedError, importPunchFiles, validateImportRequest} from '../../src/imports/service.js'
import {tempDir} from '../helpers/cli.js'
import {describeEngines} from '../helpers/engines.js'
import {testStore, portOf, unopenedPort} from '../helpers/store.js'
import {addEngineDevice, addEngineEmployee, countEnginePunches} from '../punches/seed.js'

const fixtures = path.resolve(import.meta.dirname, '../fixtures')
const fixture = (name: string) => path.join(fixtures, name)
const NOW = Date.parse('2026-03-14T10:00:00Z')

describeEngines('importPunchFiles', (store) => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => void ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())
  const port = () => store().port
  const countPunches = () => countEnginePunches(store())
  const first = async <R>(sql: string) => (await store().all<R>(sql))[0]

  it('imports the attlog.dat fixture: CRLF, padded PINs, a 10-column line, a broken line', async () => {
    await addEngineDevice(store(), 'ZK-USB-1')
    const summary = await importPunchFiles(port(), {files: [fixture('attlog.dat')], device: 'ZK-USB-1'}, {now: NOW})
    expect(summary).toMatchObject({read: 7, stored: 6, duplicates: 0, unmapped: 6, rejected: 1, committed: true})
    expect(summary.files[0]).toMatchObject({format: 'attlog', status: 'partial'})
    expect(summary.rejectedLines).toEqual([
      {file: fixture('attlog.dat'), line: 6, raw: '   105\t2026-03-09 ##:17:22\t1\t1\t1\t0', reason: expect.stringContaining('Column 2 (time): Invalid timestamp "2026-03-09 ##:17:22"')},
    ])
    const row = await first<Record<string, unknown>>(`SELECT * FROM punches WHERE device_user_id = '105'`)
    // USB layout: machine number, status, verify, workcode.
    expect(row).toMatchObject({device_key: 'ZK-USB-1', raw_status: '0', raw_verify: '1', work_code: '0', instant: Date.parse('2026-03-09T05:01:59Z'), source: 'import:attlog'})
    const again = await importPunchFiles(port(), {files: [fixture('attlog.dat')], device: 'ZK-USB-1'}, {now: NOW})
    expect(again).toMatchObject({stored: 0, duplicates: 6, rejected: 1})
    expect(await countPunches()).toBe(6)
  })

  it('imports the CSV export with a BOM and separate date and time columns', async () => {
    await addEngineEmployee(store(), 'EMP001')
    const summary = await importPunchFiles(port(), {files: [fixture('punches-export.csv')], dateFormat: 'dmy'}, {now: NOW})
    expect(summary).toMatchObject({read: 5, stored: 5, unmapped: 3, rejected: 0})
    const rows = await store().all('SELECT device_key AS k, device_user_id AS u, direction AS d, raw_status AS s, raw_verify AS v, instant FROM punches ORDER BY id')
    expect(rows[0]).toEqual({k: 'ZK-HQ-01', u: 'EMP001', d: 'in', s: 'C/In', v: 'Fingerprint', instant: Date.parse('2026-03-12T05:02:11Z')})
    expect(rows[3]).toMatchObject({u: 'EMP002', d: 'out'})
    expect((await importPunchFiles(port(), {files: [fixture('punches-export.csv')], dateFormat: 'dmy'}, {now: NOW})).stored).toBe(0)
  })

  it('infers day/month order from the file without --date-format, and names the flag when nothing tells', async () => {
    const summary = await importPunchFiles(port(), {files: [fixture('punches-export.csv')]}, {now: NOW})
    expect(summary).toMatchObject({stored: 5, rejected: 0})
    const file = path.join(dir, 'ambiguous.csv')
    fs.writeFileSync(file, 'PIN;Punch Time\n9;03/04/2026 08:00\n9;03/04/2026 5:00 PM\n')
    const ambiguous = await importPunchFiles(port(), {files: [file]}, {now: NOW})
    expect(ambiguous).toMatchObject({stored: 0, rejected: 2})
    expect(ambiguous.rejectedLines[0]).toMatchObject({line: 2, reason: 'Invalid timestamp "03/04/2026 08:00": the date is ambiguous (day/month or month/day): pass --date-format dmy or mdy.'})
    const told = await importPunchFiles(port(), {files: [file], dateFormat: 'mdy'}, {now: NOW})
    expect(told).toMatchObject({stored: 2})
    expect((await store().all<{instant: number}>(`SELECT instant FROM punches WHERE device_user_id = '9' ORDER BY instant`)).map((r) => r.instant)).toEqual([
      Date.parse('2026-03-04T05:00:00Z'), Date.parse('2026-03-04T14:00:00Z'),
    ])
  })

  it('imports the CAMS batch and the seed 000 batch, exact instants, directions and scan ids', async () => {
    const cams = await importPunchFiles(port(), {files: [fixture('cams-batch.json')]}, {now: NOW})
    expect(cams).toMatchObject({read: 3, stored: 3, files: [{format: 'cams'}]})
    const events = await importPunchFiles(port(), {files: [fixture('events-batch.json')]}, {now: NOW})
    expect(events).toMatchObject({read: 2, stored: 2, files: [{format: 'json'}]})
    const rows = await store().all(`SELECT device_key AS k, scan_id AS scan, direction AS d, temperature AS t FROM punches WHERE source = 'import:json' ORDER BY id`)
    expect(rows).toEqual([
      {k: 'DEV001', scan: 'SCAN_001_20241201_001', d: 'in', t: 36.5},
      {k: 'DEV001', scan: 'SCAN_001_20241201_002', d: 'out', t: 36.2},
    ])
    const again = await importPunchFiles(port(), {files: [fixture('cams-batch.json'), fixture('events-batch.json')]}, {now: NOW})
    expect(again).toMatchObject({stored: 0, duplicates: 5})
  })

  it('imports JSON Lines of events and batches', async () => {
    const summary = await importPunchFiles(port(), {files: [fixture('events.jsonl')]}, {now: NOW})
    expect(summary).toMatchObject({read: 3, stored: 3, files: [{format: 'json'}]})
    expect(await first(`SELECT device_key FROM punches WHERE device_user_id = 'EMP003'`)).toEqual({device_key: 'DEV002'})
    expect((await importPunchFiles(port(), {files: [fixture('events.jsonl')]}, {now: NOW})).duplicates).toBe(3)
  })

  it('reads stdin for -', async () => {
    const stdin = Readable.from([Buffer.from('7\t2026-03-12 08:00:00\t0\t1\n7\t2026-03-12 17:00:00\t1\t1\n')])
    const summary = await importPunchFiles(port(), {files: ['-']}, {now: NOW, stdin})
    expect(summary).toMatchObject({stored: 2, files: [{file: 'stdin', format: 'attlog'}]})
    expect(await first(`SELECT device_key FROM punches`)).toEqual({device_key: 'import:attlog'})
  })

  it('--strict stores nothing when a line is bad, and still reports every bad line', async () => {
    const summary = await importPunchFiles(port(), {files: [fixture('cams-batch.json'), fixture('attlog.dat')], strict: true}, {now: NOW, batchSize: 2})
    expect(summary).toMatchObject({committed: false, stored: 0, rejected: 1, strict: true})
    expect(await countPunches()).toBe(0)
    expect((await port().imports.list({})).rows.map((r) => r.status)).toEqual(['failed', 'failed'])
    const clean = await importPunchFiles(port(), {files: [fixture('cams-batch.json')], strict: true}, {now: NOW})
    expect(clean).toMatchObject({committed: true, stored: 3})
    expect(await countPunches()).toBe(3)
  })

  it('--strict reads stdin once to check it and writes it from a private copy', async () => {
    const good = '7\t2026-03-12 08:00:00\t0\t1\n7\t2026-03-12 17:00:00\t1\t1\n'
    const summary = await importPunchFiles(port(), {files: ['-'], strict: true}, {now: NOW, stdin: Readable.from([Buffer.from(good)])})
    expect(summary).toMatchObject({committed: true, read: 2, stored: 2, files: [{file: 'stdin', status: 'done', read: 2, stored: 2}]})
    expect(await countPunches()).toBe(2)
    const bad = await importPunchFiles(port(), {files: ['-'], strict: true, format: 'attlog'}, {now: NOW, stdin: Readable.from([Buffer.from('8\t2026-03-12 08:00:00\t0\t1\n8\t2026-03-12 ##:00:00\t0\t1\n')])})
    expect(bad).toMatchObject({committed: false, stored: 0, rejected: 1})
    expect(await countPunches()).toBe(2)
  })

  it('--strict refuses a line the pipeline rejects (not only the parser) before writing anything', async () => {
    const file = path.join(dir, 'events.jsonl')
    fs.writeFileSync(file, [
      JSON.stringify({scanId: 'A1', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2026-03-12T08:00:00Z'}),
      JSON.stringify({scanId: 'A2', employeeId: '  ', eventType: 'check_in', timestamp: '2026-03-12T08:05:00Z'}),
    ].join('\n'))
    const plain = await importPunchFiles(port(), {files: [file], dryRun: true}, {now: NOW})
    expect(plain.rejected).toBe(1)
    const summary = await importPunchFiles(port(), {files: [file], strict: true}, {now: NOW})
    expect(summary).toMatchObject({committed: false, stored: 0, rejected: 1, files: [{status: 'failed'}]})
    expect(await countPunches()).toBe(0)
  })

  it('an interrupted run stops between slices, keeps what it stored and is recorded as interrupted', async () => {
    const file = path.join(dir, 'big_attlog.dat')
    fs.writeFileSync(file, Array.from({length: 5000}, (_, i) => `${i % 40}\t2026-03-${String(1 + (i % 28)).padStart(2, '0')} 08:${String(i % 60).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}\t0\t1`).join('\n'))
    const interrupt = new AbortController()
    // "Now" after the whole file: punches past the future margin would be rejected.
    const summary = await importPunchFiles(port(), {files: [file, fixture('cams-batch.json')]}, {
      now: Date.parse('2026-04-01T00:00:00Z'),
      batchSize: 1000,
      signal: interrupt.signal,
      onProgress: (p) => {
        if (p.read >= 2000) interrupt.abort()
      },
    })
    expect(summary).toMatchObject({interrupted: true, committed: true, read: 2000, stored: 2000})
    expect(await countPunches()).toBe(2000)
    expect((await port().imports.list({})).rows.map((r) => [r.status, r.read, r.stored, r.message])).toEqual([
      ['interrupted', 0, 0, 'not read: the import was interrupted'],
      ['interrupted', 2000, 2000, 'interrupted'],
    ])
    const rest = await importPunchFiles(port(), {files: [file]}, {now: Date.parse('2026-04-01T00:00:00Z')})
    expect(rest).toMatchObject({stored: 3000, duplicates: 2000, interrupted: false})
  })

  it('--dry-run parses and counts without writing anything, not even the imports row', async () => {
    const summary = await importPunchFiles(port(), {files: [fixture('attlog.dat')], dryRun: true}, {now: NOW, batchSize: 2})
    expect(summary).toMatchObject({stored: 6, rejected: 1, dryRun: true, files: [{importId: null, status: 'partial', format: 'attlog'}]})
    expect(await countPunches()).toBe(0)
    expect((await port().imports.list({})).rows).toEqual([])
  })

  it('refuses an unregistered --device before writing anything', async () => {
    const request = {files: [fixture('attlog.dat')], device: 'NOPE'}
    const message = 'Unknown device serial "NOPE": register it with attend devices add, or leave --device out.'
    await expect(importPunchFiles(port(), request, {now: NOW})).rejects.toMatchObject({message, exit: 2})
    expect(await countPunches()).toBe(0)
    expect((await port().imports.list({})).rows).toEqual([])
  })

  it('--strict marks every file failed when a later file cannot be read at all', async () => {
    const trunc = path.join(dir, 'trunc.json')
    fs.writeFileSync(trunc, '{"PunchLog":{"Log":[{"Type":"CheckIn","UserID":"7","LogTime":"2026-03-12 08:00:00 GMT +0300"')
    const run = importPunchFiles(port(), {files: [fixture('cams-batch.json'), trunc], strict: true}, {now: NOW})
    const error = await run.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportAbortedError)
    expect((error as ImportAbortedError).summary).toMatchObject({committed: false, stored: 0, files: [{status: 'failed', stored: 0}, {status: 'failed'}]})
    expect(await countPunches()).toBe(0)
    const [second, first] = (await port().imports.list({})).rows
    expect(first).toMatchObject({status: 'failed', stored: 0, read: 3, message: `--strict: nothing stored because ${trunc} failed`})
    expect(second).toMatchObject({status: 'failed', stored: 0})
  })

  it('without --strict keeps and reports the files imported before one that fails', async () => {
    const trunc = path.join(dir, 'trunc.json')
    fs.writeFileSync(trunc, '{"PunchLog":{"Log":[{"Type":"CheckIn"')
    const error = await importPunchFiles(port(), {files: [fixture('cams-batch.json'), trunc, fixture('events.jsonl')]}, {now: NOW}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportAbortedError)
    expect((error as ImportAbortedError).exit).toBe(1)
    expect((error as ImportAbortedError).summary).toMatchObject({committed: true, stored: 3, files: [{status: 'done', stored: 3}, {status: 'failed'}]})
    expect(await countPunches()).toBe(3)
    expect((await port().imports.list({})).rows.map((r) => [r.status, r.stored])).toEqual([['failed', 0], ['failed', 0], ['done', 3]])
  })

  it('detects an ATTLOG file whose first line is broken and rejects only that line', async () => {
    const file = path.join(dir, '1_attlog.dat')
    fs.writeFileSync(file, '105\t2026-03-09 ##:17:22\t1\t0\t1\t0\n105\t2026-03-09 08:17:22\t1\t0\t1\t0\n106\t2026-03-09 08:20:00\t1\t0\t1\t0\n')
    const summary = await importPunchFiles(port(), {files: [file]}, {now: NOW})
    expect(summary).toMatchObject({read: 3, stored: 2, rejected: 1, files: [{format: 'attlog', status: 'partial'}]})
    expect(summary.rejectedLines).toEqual([expect.objectContaining({line: 1, reason: expect.stringContaining('Invalid timestamp "2026-03-09 ##:17:22"')})])
  })

  it('records each file in imports', async () => {
    await addEngineDevice(store(), 'CAMS-1')
    await importPunchFiles(port(), {files: [fixture('cams-batch.json'), fixture('events.jsonl')], device: 'CAMS-1'}, {now: NOW})
    expect((await port().imports.list({})).rows).toEqual([
      expect.objectContaining({file: fixture('events.jsonl'), format: 'json', status: 'done', stored: 3, read: 3, startedAt: NOW, finishedAt: NOW}),
      expect.objectContaining({file: fixture('cams-batch.json'), format: 'cams', status: 'done', stored: 3, device: 'CAMS-1'}),
    ])
  })

  it('streams a large file in batches with progress', async () => {
    const file = path.join(dir, 'big_attlog.dat')
    const lines: string[] = []
    for (let i = 0; i < 12_000; i++) lines.push(`${i % 50}\t2026-03-${String(1 + (i % 13)).padStart(2, '0')} ${String(6 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00\t0\t1`)
    fs.writeFileSync(file, lines.join('\n'))
    const progress: number[] = []
    const summary = await importPunchFiles(port(), {files: [file]}, {now: NOW, batchSize: 1000, onProgress: (p) => progress.push(p.read)})
    expect(summary.read).toBe(12_000)
    expect(summary.stored + summary.duplicates).toBe(12_000)
    expect(progress.length).toBeGreaterThanOrEqual(12)
    expect(progress.at(-1)).toBe(12_000)
  })
}, {timezone: 'Africa/Nairobi'})

// A store that does not exist yet is a SQLite file not created yet (`storePath`): a PostgreSQL
// database is created by its administrator, so these two cases have no PostgreSQL counterpart.
describe('importPunchFiles on a SQLite file not created yet', () => {
  const stores: Array<{cleanup: () => void}> = []
  afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))
  function store() {
    const s = testStore({timezone: 'Africa/Nairobi'})
    stores.push(s)
    return s
  }

  it('--dry-run against a store that does not exist yet neither opens nor creates it', async () => {
    const s = store()
    const missing = path.join(s.dir, 'not-yet.db')
    const summary = await importPunchFiles(unopenedPort(), {files: [fixture('cams-batch.json')], dryRun: true, timezone: 'Asia/Kolkata'}, {now: NOW, storePath: missing})
    expect(summary).toMatchObject({read: 3, stored: 3, duplicates: 0, unmapped: 3, dryRun: true})
    expect(fs.existsSync(missing)).toBe(false)
  })

  it('refuses an unregistered --device before creating the store file', async () => {
    const s = store()
    const request = {files: [fixture('attlog.dat')], device: 'NOPE'}
    const message = 'Unknown device serial "NOPE": register it with attend devices add, or leave --device out.'
    const missing = path.join(s.dir, 'none.db')
    await expect(importPunchFiles(portOf(s), request, {now: NOW, storePath: missing})).rejects.toMatchObject({message, exit: 2})
    expect(fs.existsSync(missing)).toBe(false)
  })
})

describe('validateImportRequest', () => {
  it.each([
    [{files: []}, 'Name at least one file to import (or - for stdin).'],
    [{files: ['/nope/x.dat']}, 'File not found: /nope/x.dat.'],
    [{files: [fixtures]}, `${fixtures} is a directory, not a punch log.`],
    [{files: [fixture('attlog.dat')], format: 'xml'}, 'Unknown format "xml": expected auto, attlog, csv, cams, json.'],
    [{files: [fixture('attlog.dat')], timezone: 'Nairobi'}, 'Unknown time zone "Nairobi"'],
    [{files: [fixture('attlog.dat')], dateFormat: 'dd/mm'}, 'Unknown date format "dd/mm"'],
    [{files: [fixture('attlog.dat')], columns: 'who=EmpCode'}, 'Unknown column role "who" in --columns'],
  ])('rejects %j before opening the store', (request, message) => {
    expect(() => validateImportRequest(request)).toThrow(message)
  })
})
