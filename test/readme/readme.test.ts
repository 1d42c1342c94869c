import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tempDir} from '../helpers/cli.js'
import {Shell} from '../helpers/shell.js'
import {Learned, parseConsoleBlocks, withOutputs, withoutNoise, type ConsoleCommand} from './console-blocks.js'

/**
 * The README runs as printed: every ```console block, in order, in one shell on a fresh store (a
 * new home folder, the default store location), with the files of docs/examples/ at hand. Each
 * command's output must be what the README shows, up to keys, tokens, the port and durations.
 * Blocks marked `<!-- readme: not run, REASON -->` are left out, each with its reason.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const blocks = parseConsoleBlocks(readme)
/** "Now" for every command: the walk-through's week is in the past, its reports settled. */
const NOW = '2026-03-16T09:00:00Z'
const README_HOME = '/home/admin'
const README_PORT = '8080'

const tmp = tempDir('attend-readme-')
const home = path.join(tmp.dir, 'home')
const work = path.join(home, 'attend')
let shell: Shell
let port = 0
const learned = new Learned()
/** `README_UPDATE=1 npx vitest run test/readme`: write what each command printed into README.md. */
const updating = process.env.README_UPDATE === '1'
const printed: Array<{step: ConsoleCommand; output: string}> = []

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port: free} = server.address() as net.AddressInfo
      server.close(() => resolve(free))
    })
  })
}

beforeAll(async () => {
  const bin = path.join(tmp.dir, 'bin')
  fs.mkdirSync(bin, {recursive: true})
  fs.mkdirSync(work, {recursive: true})
  // `attend` on PATH, as `npm link` puts it there.
  fs.writeFileSync(path.join(bin, 'attend'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'bin', 'run.js')}" "$@"\n`, {mode: 0o755})
  fs.cpSync(path.join(root, 'docs', 'examples'), path.join(work, 'docs', 'examples'), {recursive: true})
  port = await freePort()
  learned.pair(README_HOME, home)
  learned.pair(`:${README_PORT}`, `:${port}`)
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    ATTEND_NOW: NOW,
    ATTEND_PORT: String(port),
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
  }
  shell = new Shell({cwd: work, env})
})

afterAll(async () => {
  if (updating) fs.writeFileSync(path.join(root, 'README.md'), withOutputs(readme, printed))
  await shell?.run('if [ -n "$ATTEND_SERVE_PID" ]; then kill "$ATTEND_SERVE_PID"; wait "$ATTEND_SERVE_PID"; fi').catch(() => undefined)
  await shell?.close()
  tmp.cleanup()
})

/** `attend serve` runs in the background, as in a second terminal; its output is what it printed until it listened. */
async function runServe(command: string): Promise<string> {
  const log = path.join(tmp.dir, 'serve.log')
  await shell.run(`if [ -n "$ATTEND_SERVE_PID" ]; then kill "$ATTEND_SERVE_PID"; wait "$ATTEND_SERVE_PID"; fi`)
  // The previous server's log says "listening on" too: without this, its lines would be taken for the new one's.
  fs.rmSync(log, {force: true})
  await shell.run(`${command} >"${path.join(tmp.dir, 'serve.out')}" 2>"${log}" & ATTEND_SERVE_PID=$!`)
  const deadline = Date.now() + 60_000
  for (;;) {
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''
    if (text.includes('listening on')) return text
    if (Date.now() > deadline) throw new Error(`attend serve did not start: ${text}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function run(step: ConsoleCommand): Promise<string> {
  const command = learned.command(step.command)
  const output = /^attend serve\b/.test(command) ? await runServe(command) : (await shell.run(command)).output
  learned.learn(step.expected, output)
  return learned.output(output)
}

describe('README.md', () => {
  it('has console blocks, and says why of each one it does not run', () => {
    expect(blocks.filter((b) => b.skip === null).length).toBeGreaterThan(5)
    for (const block of blocks) expect(block.skip ?? 'runs', `README.md:${block.line}`).not.toBe('')
  })

  it('runs the walk-through with nothing left out', () => {
    const walk = blocks.filter((b) => b.section.startsWith('Walk-through'))
    expect(walk.length).toBeGreaterThan(3)
    expect(walk.filter((b) => b.skip !== null).map((b) => b.line)).toEqual([])
  })

  for (const block of blocks.filter((b) => b.skip === null)) {
    it(`README.md:${block.line} (${block.section}) prints what it shows`, {timeout: 600_000}, async () => {
      for (const step of block.commands) {
        const output = await run(step)
        if (updating) printed.push({step, output})
        else expect(withoutNoise(output), `README.md:${step.line}: $ ${step.command}`).toBe(withoutNoise(step.expected))
      }
    })
  }
})
