import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runAttend, tempDir} from '../helpers/cli.js'

/**
 * Progress bars appear only on a terminal: util-linux `script` gives the command one (a real pty),
 * and what it wrote is read back with the escape sequences that drew the bar.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const hasScript = spawnSync('script', ['--version']).status === 0
const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-06-01T00:00:00Z'}
afterAll(() => tmp.cleanup())

function onTerminal(args: string[]): string {
  const command = [process.execPath, path.join(root, 'bin', 'run.js'), ...args].map((a) => `'${a}'`).join(' ')
  return execFileSync('script', ['-qfec', command, '/dev/null'], {env: {...process.env, ...env, COLUMNS: '80', TERM: 'xterm'}, encoding: 'utf8', timeout: 120_000})
}

const ESC = String.fromCharCode(27)
/** The lines a terminal showed in turn, escape sequences taken out. */
const frames = (raw: string) => raw.split(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}[78]|\\r|\\n`)).filter((l) => l.trim() !== '')

beforeAll(async () => {
  const lines: string[] = []
  const start = Date.parse('2026-01-05T06:00:00Z')
  for (let i = 0; i < 120_000; i++) {
    const at = new Date(start + i * 37_000).toISOString().slice(0, 19).replace('T', ' ')
    lines.push(`${String((i % 40) + 1).padStart(6)}\t${at}\t1\t${i % 2}\t1\t0`)
  }
  fs.writeFileSync(path.join(tmp.dir, 'big.dat'), `${lines.join('\r\n')}\r\n`)
  for (const args of [['init', '--timezone', 'UTC'], ['devices', 'add', '--serial', 'GATE1', '--name', 'Gate'], ['employees', 'add', '--code', 'EMP001', '--name', 'Asha'], ['map', 'add', '1', 'EMP001']]) {
    expect((await runAttend(args, {env})).exitCode).toBe(0)
  }
}, 180_000)

describe.skipIf(!hasScript)('progress on a terminal', () => {
  it('import shows punches a second and the time left, then gives the terminal back', () => {
    const raw = onTerminal(['import', path.join(tmp.dir, 'big.dat'), '--device', 'GATE1'])
    const bars = frames(raw).filter((l) => l.startsWith('big.dat ['))
    expect(bars.length).toBeGreaterThan(1)
    expect(bars.some((l) => /· [\d,]+ punches · [\d,.]+\/s · (\d+s|\d+m \d\ds) left$/.test(l))).toBe(true)
    expect(bars.at(-1)).toMatch(/100% · 120,000 punches · [\d,.]+\/s · done$/)
    // The cursor hidden for the bar is shown again, and the summary starts on a cleared line.
    expect(raw.split('\u001B[?25l').length).toBe(raw.split('\u001B[?25h').length)
    expect(raw).toMatch(new RegExp(`${ESC}\\[2K\\S*big\\.dat \\(attlog\\): 120000 read, 120000 stored`))
  })

  it('recompute shows employees a second and the time left, and never hides the cursor', () => {
    const raw = onTerminal(['recompute', '--from', '2026-01-05', '--to', '2026-03-31'])
    const bars = frames(raw).filter((l) => l.startsWith('Recomputing ['))
    expect(bars.at(-1)).toMatch(/100% · 1 employees · [\d,.–]+\/s · done$/)
    expect(raw).not.toContain('\u001B[?25l')
    expect(frames(raw).at(-1)).toMatch(/^Recomputed \d+ days for 1 employee/)
  })

  it('draws nothing when output is not a terminal', async () => {
    const result = await runAttend(['recompute', '--from', '2026-01-05', '--to', '2026-01-10'], {env})
    expect(result.stderr).toBe('')
    expect(result.stdout).not.toContain('Recomputing [')
  })
})
