/**
 * The README's ```console blocks as a script: each `$ ` line (with its `\` continuation lines) is a
 * command, the lines under it up to the next command are what it prints. Pure: the runner
 * (readme.test.ts) executes the commands; this file parses the README and decides whether what a
 * command printed is what the README says, up to the values that differ on every run.
 */

export interface ConsoleCommand {
  /** 1-based line of the `$ ` line in the README, for failure messages. */
  line: number
  /** The command as typed, continuation lines included (newlines kept, for the shell). */
  command: string
  /** What the README shows it printing, without trailing blank lines. */
  expected: string
  /** 1-based line where that output starts, and how many lines it has (for README_UPDATE=1). */
  outputLine: number
  outputLines: number
}

export interface ConsoleBlock {
  /** 1-based line of the opening fence. */
  line: number
  /** The `## ` section the block is in. */
  section: string
  /** Why the runner leaves this block alone (`<!-- readme: not run, REASON -->` above the fence); null: it runs. */
  skip: string | null
  commands: ConsoleCommand[]
}

const SKIP = /^<!--\s*readme:\s*not run,\s*(.+?)\s*-->$/

export function parseConsoleBlocks(markdown: string): ConsoleBlock[] {
  const lines = markdown.split('\n')
  const blocks: ConsoleBlock[] = []
  let section = ''
  let fence: string | null = null
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]
    if (fence !== null) {
      if (text.startsWith(fence)) fence = null
      continue
    }
    if (text.startsWith('## ')) section = text.slice(3).trim()
    const open = /^(`{3,})(\S*)/.exec(text)
    if (!open) continue
    if (open[2] !== 'console') {
      fence = open[1]
      continue
    }
    let end = i + 1
    while (end < lines.length && !lines[end].startsWith(open[1])) end++
    const above = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? ''
    blocks.push({line: i + 1, section, skip: SKIP.exec(above.trim())?.[1] ?? null, commands: commandsOf(lines.slice(i + 1, end), i + 2)})
    i = end
  }
  return blocks
}

function commandsOf(body: string[], firstLine: number): ConsoleCommand[] {
  const commands: ConsoleCommand[] = []
  let i = 0
  while (i < body.length) {
    if (!body[i].startsWith('$ ')) {
      i++
      continue
    }
    const line = firstLine + i
    const parts = [body[i].slice(2)]
    while (parts.at(-1)!.endsWith('\\') && i + 1 < body.length) parts.push(body[++i])
    i++
    const outputLine = firstLine + i
    const output: string[] = []
    while (i < body.length && !body[i].startsWith('$ ')) output.push(body[i++])
    while (output.length > 0 && output.at(-1)!.trim() === '') output.pop()
    commands.push({line, command: parts.join('\n'), expected: output.join('\n'), outputLine, outputLines: output.length})
  }
  return commands
}

/**
 * A value that differs on every run (a key, a token, a port): the runner learns the README's value
 * and the real one from the first output that shows it, then writes the real one into later
 * commands (`KEY=att_…`) and the README's one into later output, so the two compare equal.
 */
export interface Volatile {
  name: string
  /** Group 1 is the value. Global. */
  pattern: RegExp
}

export const VOLATILES: Volatile[] = [
  {name: 'API key', pattern: /\b(att_[0-9a-f]{8}_[A-Za-z0-9_-]{20,})/g},
  {name: 'API key prefix', pattern: /\batt_([0-9a-f]{8})_/g},
  {name: 'API key prefix', pattern: /\(prefix ([0-9a-f]{8})\)/g},
  {name: 'device token', pattern: /^ {2}([A-Za-z0-9_-]{43})$/gm},
  // Lists and `devices show` print a token's first 8 characters.
  {name: 'device token prefix', pattern: /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{8})…/g},
  {name: 'webhook secret', pattern: /\b(whsec_[A-Za-z0-9+/=]{20,})/g},
  {name: 'webhook event id', pattern: /\b(evt_[0-9a-f]{32})\b/g},
  // Where Ctrl-C lands in the README's large import decides how much was stored before it, and so
  // how much the run after it stores: the one count that depends on a person's timing.
  {name: 'punches stored before Ctrl-C', pattern: /(\d+) (?:read|stored|unmapped)\b(?=[^\n]*(?:\(interrupted\)|recorded as interrupted))/g},
  {name: 'punches stored after Ctrl-C', pattern: /^big-attlog\.dat \(attlog\): \d+ read, (\d+) stored/gm},
]

/**
 * Values that are not learned but differ run to run anyway (how long something took): both sides
 * are written the same way before comparing.
 */
const NOISE: Array<[RegExp, string]> = [
  [/\b\d+(?:\.\d+)? ?ms\b/g, 'N ms'],
  [/"uptime_seconds":\d+/g, '"uptime_seconds":N'],
  [/\b\d+(?:\.\d+)? s\b/g, 'N s'],
  // A store's size on disk depends on page reuse, not on what the README shows.
  [/\b\d+(?:\.\d+)? (KB|MB|KiB|MiB)\b/g, 'N $1'],
  // A webhook retry is due after its delay ±20 % (jitter): the seconds of a pending delivery's next attempt.
  [/(next attempt |\bpending\s+\d+\s+)(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d/g, '$1$2:SS'],
  // How long a webhook receiver took to answer, in the ms column of a delivery's attempts (its
  // width moves the header too).
  [/^( *\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(?:\d{3}|-)) +\d+ +/gm, '$1 N '],
  [/\bStatus +ms +Error\b/g, 'Status ms Error'],
]

export function withoutNoise(text: string): string {
  let out = text
  for (const [pattern, replacement] of NOISE) out = out.replace(pattern, replacement)
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim()
}

/** What the README calls a value ↔ what this run produced. */
export class Learned {
  private readonly readmeToReal = new Map<string, string>()
  private readonly realToReadme = new Map<string, string>()

  /** Pairs up the volatile values of one output, in order of appearance. */
  learn(expected: string, actual: string): void {
    for (const {pattern} of VOLATILES) {
      const want = [...expected.matchAll(pattern)].map((m) => m[1])
      const got = [...actual.matchAll(pattern)].map((m) => m[1])
      if (want.length !== got.length) continue
      // A short value ("0") would be replaced everywhere it occurs: only values long enough to be
      // what they are (keys, ids, counts of thousands) are learned.
      want.forEach((value, i) => {
        if (value.length >= 4 && got[i].length >= 4) this.pair(value, got[i])
      })
    }
  }

  pair(readme: string, real: string): void {
    if (readme === real || this.realToReadme.has(real)) return
    this.readmeToReal.set(readme, real)
    this.realToReadme.set(real, readme)
  }

  /** The command as this run must type it. */
  command(text: string): string {
    return replaceAll(text, this.readmeToReal)
  }

  /** The output as the README would print it. */
  output(text: string): string {
    return replaceAll(text, this.realToReadme)
  }
}

function replaceAll(text: string, map: Map<string, string>): string {
  let out = text
  // Longest first: a key contains its prefix.
  for (const [from, to] of [...map].sort((a, b) => b[0].length - a[0].length)) {
    // A count is a whole number: 50000 must not change inside 500000.
    if (/^\d+$/.test(from)) out = out.replace(new RegExp(`(?<!\\d)${from}(?!\\d)`, 'g'), to)
    else out = out.split(from).join(to)
  }
  return out
}

/**
 * The README with each command's output replaced by what it printed (`README_UPDATE=1`), like a
 * snapshot update: review the diff before committing it.
 */
export function withOutputs(markdown: string, outputs: Array<{step: ConsoleCommand; output: string}>): string {
  const lines = markdown.split('\n')
  const sorted = [...outputs].sort((a, b) => b.step.outputLine - a.step.outputLine)
  for (const {step, output} of sorted) {
    const next = output.split('\n').map((l) => l.trimEnd())
    while (next.length > 0 && next.at(-1) === '') next.pop()
    while (next.length > 0 && next[0] === '') next.shift()
    lines.splice(step.outputLine - 1, step.outputLines, ...next)
  }
  return lines.join('\n')
}
