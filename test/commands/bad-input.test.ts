import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createDevice} from '../../src/store/sqlite/devices.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {errorText, runAttend, tempDir} from '../helpers/cli.js'

/**
 * Every bad input of issue 2: one sentence on stderr naming the value, its exit code (0 ok, 1 failure, 2 usage, 3 partial),
 * and nothing half-written.
 */

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())

/** The rows of every table, to prove a failed command changed nothing. */
function snapshot(file = db): string {
  const sqlite = new Database(file, {readonly: true})
  try {
    const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {name: string}[]
    return JSON.stringify(tables.map(({name}) => [name, sqlite.prepare(`SELECT * FROM "${name}"`).all()]))
  } finally {
    sqlite.close()
  }
}

function fresh(name: string): string {
  return path.join(tmp.dir, name)
}

beforeAll(() => {
  const store = openStore(db)
  writeSettings(store, {timezone: 'Africa/Nairobi', weekOff: ['sat', 'sun']}, 1)
  createEmployee(store, {code: 'EMP001', name: 'Asha Kamau'}, 1)
  createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate'}, 1)
  store.close()
})

describe('bad input', () => {
  it('unknown time zone: exit 2, no store created, an existing one unchanged', async () => {
    const file = fresh('tz.db')
    const init = await runAttend(['init', '--timezone', 'Mars/Olympus_Mons', '--db', file])
    expect(init.exitCode).toBe(2)
    expect(errorText(init.stderr)).toBe('Error: Unknown time zone "Mars/Olympus_Mons": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.')
    expect(fs.existsSync(file)).toBe(false)

    const before = snapshot()
    const device = await runAttend(['devices', 'update', 'CDQ9192960002', '--timezone', 'Europe/Atlantis'], {env})
    expect(device.exitCode).toBe(2)
    expect(errorText(device.stderr)).toBe('Error: Unknown device time zone "Europe/Atlantis": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.')
    expect(snapshot()).toBe(before)
  })

  it('duplicate employee code: exit 1, the first employee kept', async () => {
    const before = snapshot()
    const result = await runAttend(['employees', 'add', '--code', 'emp001', '--name', 'Someone Else'], {env})
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe('Error: Employee code "emp001" is already used by Asha Kamau (EMP001).')
    expect(snapshot()).toBe(before)
  })

  it('duplicate device serial: exit 1, no new token issued', async () => {
    const before = snapshot()
    const result = await runAttend(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Back door'], {env})
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe('Error: Device serial "CDQ9192960002" is already registered as Main gate.')
    expect(result.stdout).toBe('')
    expect(snapshot()).toBe(before)
  })

  it('mapping to an unknown employee: exit 1, no mapping', async () => {
    const before = snapshot()
    const result = await runAttend(['map', 'add', '42', 'EMP404'], {env})
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe('Error: Unknown employee code "EMP404": see attend employees list.')
    expect(snapshot()).toBe(before)
  })

  it('CSV with a missing header: exit 2, no store created', async () => {
    const csv = fresh('no-header.csv')
    fs.writeFileSync(csv, 'EMP010,Faith Njeri,faith@greenfield.ac.ke\nEMP011,Kevin Ouma,kevin@greenfield.ac.ke\n')
    const file = fresh('header.db')
    const result = await runAttend(['employees', 'import', csv, '--db', file])
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(
      'Error: no-header.csv has no code, name columns in its header row (line 1 reads "EMP010,Faith Njeri,faith@greenfield.ac.ke"): expected a header such as code,name,email,phone,department,joined_on,left_on,active.',
    )
    expect(fs.existsSync(file)).toBe(false)
  })

  it('CSV with a malformed row: exit 3, the line named, the good rows kept', async () => {
    const csv = fresh('malformed.csv')
    fs.writeFileSync(csv, 'code,name,email\nEMP020,Mary Atieno,mary@greenfield.ac.ke\nEMP021,"Paul "PK" Kariuki,pk@greenfield.ac.ke\nEMP022,John Kamau,john@greenfield.ac.ke\n')
    const result = await runAttend(['employees', 'import', csv], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe('line 3: a quote is opened but never closed\n')
    const sqlite = new Database(db, {readonly: true})
    const codes = sqlite.prepare(`SELECT code FROM employees WHERE code LIKE 'EMP02%' ORDER BY code`).all()
    sqlite.close()
    expect(codes).toEqual([{code: 'EMP020'}, {code: 'EMP022'}])
  })

  it('store path in a missing directory: exit 2, the path named, nothing created', async () => {
    const dir = fresh('no/such/dir')
    const result = await runAttend(['employees', 'list', '--db', path.join(dir, 'attend.db')])
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(`Error: No attend store at ${dir}/attend.db (from --db): check the path, or create the store with attend init --db ${dir}/attend.db.`)
    expect(fs.existsSync(fresh('no'))).toBe(false)
  })

  it('store path in a read-only location: exit 1, one sentence', async () => {
    // Tests run as root, for whom chmod does not stop writes; /proc refuses new files even to root.
    const result = await runAttend(['init', '--db', '/proc/attend.db'])
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe('Error: Cannot write the store /proc/attend.db: the file or its directory /proc is not writable.')
    expect(fs.existsSync('/proc/attend.db')).toBe(false)
  })

  it('store file that is not SQLite: exit 1, the file untouched', async () => {
    const file = fresh('notes.db')
    fs.writeFileSync(file, 'Staff meeting on Friday at 15:00.\n'.repeat(100))
    const before = fs.readFileSync(file)
    const result = await runAttend(['employees', 'add', '--name', 'Asha', '--db', file])
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe(`Error: ${file} is not an attend store: the file is not a SQLite database.`)
    expect(fs.readFileSync(file)).toEqual(before)
    expect(fs.readdirSync(tmp.dir).filter((f) => f.startsWith('notes.db'))).toEqual(['notes.db'])
  })
})
