import fs from 'node:fs'
import path from 'node:path'

import type {Shell} from '../helpers/shell.js'

/**
 * Commands the README runs "in a second terminal": they keep running while the next commands are
 * typed elsewhere (a server, a webhook receiver, a live pull). The runner starts them in the
 * background of its one shell; what the README shows them printing is their output until `ready`.
 * Starting one with the same key again stops the one before, as a person presses Ctrl-C in that
 * terminal before starting it again.
 */
export interface LongRunning {
  pattern: RegExp
  /** The line that says it is up; its output up to there is what the README shows. */
  ready: RegExp
  /** One terminal per key: a second start of the same key replaces the first. */
  key(command: string): string
}

export const LONG_RUNNING: LongRunning[] = [
  {pattern: /^attend serve\b/, ready: /listening on/, key: () => 'attend serve'},
  {pattern: /^node docs\/examples\/webhook-receiver\.js\b/, ready: /listening on/, key: (command) => `receiver ${/\.js (\d+)/.exec(command)?.[1]}`},
]

/** A `^C` line in a command's output: the person pressed Ctrl-C there. */
export const CTRL_C = '^C'

/** What a command printed before and after Ctrl-C, as a terminal shows it. */
export function withCtrlC(before: string, after: string): string {
  return `${before === '' ? '' : before.replace(/\n?$/, '\n')}${CTRL_C}\n${after}`
}

/** How many lines the README shows before its `^C`: the runner presses Ctrl-C once they are out. */
export function linesBeforeCtrlC(expected: string): number {
  const lines = expected.split('\n')
  return lines.slice(0, lines.indexOf(CTRL_C)).filter((l) => l.trim() !== '').length
}

interface Job {
  pid: number
  log: string
}

export class BackgroundJobs {
  private readonly jobs = new Map<string, Job>()
  private count = 0

  constructor(
    private readonly shell: Shell,
    private readonly dir: string,
  ) {}

  /**
   * Starts `command` in the background; what it prints goes to a log of its own. `exec` makes the
   * job the command itself, so Ctrl-C (SIGINT) reaches it, and a `# comment` after it ends with its line.
   */
  async start(key: string, command: string): Promise<Job> {
    await this.stop(key)
    const log = path.join(this.dir, `job-${++this.count}.log`)
    // attend serve's stdout is its JSON request log (one line per request, with times and pids):
    // the README shows what it says on stderr, as a terminal does once the log goes to a file.
    const stdout = /^attend serve\b/.test(command) ? `"${log}.requests"` : '&2'
    const {output} = await this.shell.run(`{\nexec ${command}\n} 2>"${log}" >${stdout} &\necho "$!"`)
    const job = {pid: Number(output.trim()), log}
    this.jobs.set(key, job)
    return job
  }

  /**
   * Waits until the job's output satisfies `done` (checked every 50 ms, also given to `each`, which
   * may act on it: a punch at a terminal once the live pull waits for one).
   */
  async waitFor(job: Job, done: (text: string) => boolean, what: string, each?: (text: string) => Promise<void>): Promise<string> {
    const deadline = Date.now() + 60_000
    for (;;) {
      const text = read(job.log)
      await each?.(text)
      if (done(text)) return text
      if (Date.now() > deadline) throw new Error(`${what} did not happen within a minute; the command printed: ${text}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Sends `signal` (Ctrl-C is SIGINT) and waits for the job to end; answers everything it printed. */
  async stop(key: string, signal: 'INT' | 'TERM' = 'TERM'): Promise<string> {
    const job = this.jobs.get(key)
    if (!job) return ''
    this.jobs.delete(key)
    // `wait` leaves the job's exit status for the README's next `echo $?`.
    await this.shell.run(`kill -${signal} ${job.pid} 2>/dev/null; wait ${job.pid} 2>/dev/null`)
    return read(job.log)
  }

  /** Runs a command that ends on Ctrl-C: started, interrupted once `ready` says so, waited for. */
  async interrupted(command: string, ready: (text: string) => boolean, each?: (text: string) => Promise<void>): Promise<string> {
    // The same terminal as a long-running command's (a server on the same port): that one stops first.
    const key = LONG_RUNNING.find((rule) => rule.pattern.test(command))?.key(command) ?? `interrupted ${++this.count}`
    const job = await this.start(key, command)
    const before = await this.waitFor(job, ready, `Ctrl-C point of "${command}"`, each)
    const all = await this.stop(key, 'INT')
    return withCtrlC(all.slice(0, before.length), all.slice(before.length))
  }

  async stopAll(): Promise<void> {
    for (const key of [...this.jobs.keys()]) await this.stop(key)
  }
}

function read(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
}
