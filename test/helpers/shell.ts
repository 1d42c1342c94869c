import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'

const DONE = '\u001eATTEND_SHELL_DONE'

/**
 * One bash session, as a person at a terminal has: variables (`KEY=…`), the working directory and
 * background jobs carry from one command to the next. stderr is folded into stdout, in order, as a
 * terminal shows both.
 */
export class Shell {
  private readonly child: ChildProcessWithoutNullStreams
  private buffer = ''
  private waiting: (() => void) | null = null

  constructor(options: {cwd: string; env: NodeJS.ProcessEnv}) {
    this.child = spawn('bash', ['--noprofile', '--norc'], {cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe']})
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => this.received(d))
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => this.received(d))
    this.child.stdin.write('exec 2>&1\n')
  }

  /** Runs one command (continuation lines and all) and answers what it printed and its exit status. */
  async run(command: string, timeoutMs = 120_000): Promise<{output: string; status: number}> {
    this.buffer = ''
    // Commands read nothing from the session's own input (it carries the next commands): a
    // terminal user's commands get their keyboard, these get an empty input.
    // The status is kept and restored after the marker, so a following `echo $?` sees it.
    this.child.stdin.write(`{\n${command}\n} </dev/null\n__status=$?\nprintf '${DONE} %s\\n' "$__status"\n(exit "$__status")\n`)
    const deadline = Date.now() + timeoutMs
    while (!this.buffer.includes(DONE)) {
      if (Date.now() > deadline) throw new Error(`No answer within ${timeoutMs} ms to: ${command}\nSo far: ${this.buffer}`)
      await new Promise<void>((resolve) => {
        this.waiting = resolve
        setTimeout(resolve, 200)
      })
    }
    const at = this.buffer.indexOf(DONE)
    const status = Number(/^ (\d+)/.exec(this.buffer.slice(at + DONE.length))?.[1] ?? 1)
    return {output: this.buffer.slice(0, at), status}
  }

  async close(): Promise<void> {
    this.child.stdin.end('exit\n')
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('close', resolve))
  }

  private received(data: string): void {
    this.buffer += data
    this.waiting?.()
  }
}
