import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tempDir} from '../helpers/cli.js'
import {Shell} from '../helpers/shell.js'
import {AgentTerminals} from './agent-terminals.js'
import {BackgroundJobs, CTRL_C, LONG_RUNNING, linesBeforeCtrlC} from './background.js'
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
/** The webhook receivers of the README's "Webhooks" section. */
const README_RECEIVER_PORTS = ['9911', '9912']
/** Commands of this section run with the terminals' clocks set as its story has them. */
const AGENT_SECTION = 'Agent mode: pulling from terminals (`attend pull`)'

const tmp = tempDir('attend-readme-')
const home = path.join(tmp.dir, 'home')
const work = path.join(home, 'attend')
let shell: Shell
let jobs: BackgroundJobs
let agent: AgentTerminals
let port = 0
/** The `## ` section of the block being run. */
let section = ''
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
  // The parts of a checkout the README uses: example files and the deployment files.
  fs.cpSync(path.join(root, 'docs', 'examples'), path.join(work, 'docs', 'examples'), {recursive: true})
  fs.cpSync(path.join(root, 'deploy'), path.join(work, 'deploy'), {recursive: true})
  port = await freePort()
  learned.pair(README_HOME, home)
  learned.pair(`:${README_PORT}`, `:${port}`)
  learned.pair(`--port ${README_PORT}`, `--port ${port}`)
  for (const readmePort of README_RECEIVER_PORTS) {
    // One after the other: two free ports asked for at once could be the same one.
    const real = await freePort()
    learned.pair(`:${readmePort}`, `:${real}`)
    learned.pair(`webhook-receiver.js ${readmePort}`, `webhook-receiver.js ${real}`)
  }
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
  jobs = new BackgroundJobs(shell, tmp.dir)
  agent = await AgentTerminals.start()
  agent.remap(learned)
})

afterAll(async () => {
  if (updating) fs.writeFileSync(path.join(root, 'README.md'), withOutputs(readme, printed))
  await jobs?.stopAll().catch(() => undefined)
  await agent?.close()
  await shell?.close()
  tmp.cleanup()
})

/**
 * Commands the README ends with Ctrl-C (`^C` in their output): when to press it, besides the lines
 * the README shows before it being out. An import prints nothing until it ends, so Ctrl-C comes
 * after a moment, as "Ctrl-C after a few seconds" says.
 */
const CTRL_C_AFTER: Array<{pattern: RegExp; ms: number}> = [{pattern: /^attend import\b/, ms: 1500}]

async function run(step: ConsoleCommand): Promise<string> {
  const command = learned.command(step.command)
  if (section === AGENT_SECTION) agent.setClocks()
  const output = await execute(command, step.expected)
  learned.learn(step.expected, output)
  return learned.output(output)
}

async function execute(command: string, expected: string): Promise<string> {
  if (expected.split('\n').includes(CTRL_C)) {
    const lines = linesBeforeCtrlC(expected)
    const after = CTRL_C_AFTER.find((rule) => rule.pattern.test(command))?.ms ?? 0
    const started = Date.now()
    const ready = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length >= lines && Date.now() - started >= after
    const drive = /^attend pull --live\b/.test(command) ? (text: string) => agent.driveLive(text) : undefined
    return jobs.interrupted(command, ready, drive)
  }
  const longRunning = LONG_RUNNING.find((rule) => rule.pattern.test(command))
  if (longRunning) {
    const job = await jobs.start(longRunning.key(command), command)
    const text = await jobs.waitFor(job, (t) => longRunning.ready.test(t), `"${command}" getting ready`)
    // What it printed up to the line that says it is ready: later lines belong to later steps.
    const lines = text.split('\n')
    return lines.slice(0, lines.findIndex((l) => longRunning.ready.test(l)) + 1).join('\n')
  }
  return (await shell.run(command)).output
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
      section = block.section
      for (const step of block.commands) {
        const output = await run(step)
        if (updating) printed.push({step, output})
        else expect(withoutNoise(output), `README.md:${step.line}: $ ${step.command}`).toBe(withoutNoise(step.expected))
      }
    })
  }
})
