import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {runJson, tempDir} from '../helpers/cli.js'
import {writeAttlog} from '../imports/attlog-file.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = path.join(root, 'bin', 'run.js')
const LINES = 400_000

let dir: string
let cleanup: () => void
let file: string
beforeAll(() => {
  ;({dir, cleanup} = tempDir())
  file = path.join(dir, '1_attlog.dat')
  writeAttlog(file, LINES, {users: 1000})
})
afterAll(() => cleanup())

function newStore(name: string): string {
  const db = path.join(dir, name)
  const store = openStore(db)
  writeSettings(store, {timezone: 'Africa/Nairobi'}, 0)
  store.close()
  return db
}

/**
 * Resolves once the run's `imports` row exists and, with `stored`, says some punches are committed
 * (the row is written before the first line is read, and updated with every slice).
 */
async function importRow(db: string, until: (row: {stored: number}) => boolean): Promise<void> {
  for (;;) {
    const reader = openStore(db, {readonly: true})
    try {
      const row = reader.sqlite.prepare(`SELECT stored FROM imports ORDER BY id DESC LIMIT 1`).get() as {stored: number} | undefined
      if (row && until(row)) return
    } finally {
      reader.close()
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
const someStored = (row: {stored: number}) => row.stored > 0

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)))
}

interface ImportRow {
  status: string
  read: number
  stored: number
  duplicates: number
  rejected: number
}

/**
 * Issue 10: Ctrl-C during an import left the cursor hidden and the run "running, 0 read" although
 * 150 000 punches were committed. It now stops after the slice being written, restores the
 * terminal, records the run as interrupted with its real counts and exits 130.
 */
describe('attend import interrupted by Ctrl-C', () => {
  it('records the run as interrupted with what it stored, says so, exits 130; running it again stores the rest', {timeout: 120_000}, async () => {
    const db = newStore('interrupted.db')
    const child = spawn(process.execPath, [bin, 'import', file, '--db', db], {env: {...process.env, NO_COLOR: '1', ATTEND_DB: undefined}})
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = exited(child)
    await importRow(db, someStored)
    child.kill('SIGINT')
    expect(await code).toBe(130)

    const [run] = (await runJson<{imports: ImportRow[]}>(['imports', 'list', '--db', db])).imports
    const punches = (await runJson<unknown[]>(['report', 'punches', '--from', '2020-01-01', '--to', '2026-12-31', '--format', 'json', '--db', db])).length
    expect(run).toMatchObject({status: 'interrupted', stored: punches, duplicates: 0, rejected: 0})
    expect(run.read).toBeGreaterThanOrEqual(run.stored)
    expect(run.stored).toBeGreaterThan(0)
    expect(run.stored).toBeLessThan(LINES)
    expect(stdout).toContain(`${file} (attlog): ${run.read} read, ${run.stored} stored, 0 duplicates, ${run.stored} unmapped, 0 rejected (interrupted)`)
    expect(stderr).toContain(`Interrupted: ${run.read} read, ${run.stored} stored, 0 duplicates, ${run.stored} unmapped, 0 rejected. The run is recorded as interrupted (attend imports list)`)

    const again = await runJson<{stored: number; duplicates: number}>(['import', file, '--db', db])
    expect(again).toMatchObject({stored: LINES - run.stored, duplicates: run.stored})
  })

  it('with --strict, interrupted while checking: nothing stored, the run says why', {timeout: 120_000}, async () => {
    const db = newStore('strict.db')
    const child = spawn(process.execPath, [bin, 'import', file, '--strict', '--db', db], {env: {...process.env, NO_COLOR: '1', ATTEND_DB: undefined}})
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = exited(child)
    // The check pass writes nothing but the run's row, which exists before the first line is read.
    await importRow(db, () => true)
    child.kill('SIGINT')
    expect(await code).toBe(130)
    const [run] = (await runJson<{imports: (ImportRow & {message: string})[]}>(['imports', 'list', '--db', db])).imports
    expect(run).toMatchObject({status: 'interrupted', stored: 0, message: '--strict: nothing stored because the import was interrupted'})
    expect(stderr).toContain('Interrupted while --strict checked the files: nothing was stored.')
  })

  const hasScript = spawnSync('script', ['--version']).status === 0
  it.skipIf(!hasScript)('on a terminal, Ctrl-C stops the progress bar and shows the cursor again', {timeout: 120_000}, async () => {
    const db = newStore('terminal.db')
    // `script` gives the import a real terminal; ^C typed into it reaches the import as SIGINT.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} import ${JSON.stringify(file)} --db ${JSON.stringify(db)}`
    const child = spawn('script', ['-qefc', command, '/dev/null'], {env: {...process.env, ATTEND_DB: undefined, TERM: 'xterm'}})
    let screen = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (screen += d))
    const code = exited(child)
    await importRow(db, someStored)
    child.stdin!.write('\x03')
    expect(await code).toBe(130)
    const hidden = screen.indexOf('\u001B[?25l')
    expect(hidden).toBeGreaterThanOrEqual(0)
    expect(screen.indexOf('\u001B[?25h', hidden)).toBeGreaterThan(hidden)
    expect(screen).toMatch(/\(attlog\): \d+ read, \d+ stored, 0 duplicates, \d+ unmapped, 0 rejected \(interrupted\)/)
    const [run] = (await runJson<{imports: ImportRow[]}>(['imports', 'list', '--db', db])).imports
    expect(run.status).toBe('interrupted')
  })
})
