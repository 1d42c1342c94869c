/**
 * The device side of ZKTeco commands: handing queued ones out on getrequest and recording results
 * from devicecmd. Queueing and listing are admin actions and live in src/devices/commands.ts.
 */
import type {DeviceCommand} from '../../devices/commands.js'

/** At most this many commands per poll: the device runs them before it polls again. */
export const COMMANDS_PER_POLL = 10

/** `C:<id>:<command>` lines for getrequest, or `OK` when nothing is queued. */
export function commandReply(commands: readonly DeviceCommand[]): string {
  if (commands.length === 0) return 'OK'
  return commands.map((command) => `C:${command.id}:${command.command}`).join('\n') + '\n'
}

export interface CommandResult {
  id: number
  returnCode: string
  cmd: string | null
  /** What came with the result (`Content=` of a Shell command, INFO key=value lines), shortened. */
  content?: string | null
}

/** The most of a result's content kept (a Shell command's output can be long). */
export const MAX_RESULT_CONTENT = 2000

/**
 * `POST /iclock/devicecmd` bodies, in every layout firmware uses: one `ID=<id>&Return=<code>&CMD=<cmd>`
 * per line, or one field per line (`ID=4⏎Return=-1⏎CMD=Shell⏎Content=…`). Fields accumulate until
 * the next `ID=`; lines that are no known field (the rest of a multi-line Content, INFO's key=value
 * lines) belong to the result's content. Results without a numeric ID are skipped.
 */
export function parseCommandResults(text: string): CommandResult[] {
  const results: CommandResult[] = []
  let current: {id: number; returnCode: string; cmd: string | null; content: string[]} | null = null
  const close = () => {
    if (current) results.push({id: current.id, returnCode: current.returnCode, cmd: current.cmd, content: joinContent(current.content)})
    current = null
  }
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '')
    if (!trimmed.trim()) continue
    const pairs = /^\s*(ID|Return|CMD|Content)=/i.test(trimmed) ? splitPairs(trimmed) : null
    if (!pairs) {
      current?.content.push(trimmed)
      continue
    }
    for (const [key, value] of pairs) {
      if (key === 'id') {
        close()
        const id = Number(value.trim())
        if (Number.isSafeInteger(id) && id > 0) current = {id, returnCode: '', cmd: null, content: []}
      } else if (!current) {
        continue
      } else if (key === 'return') {
        // The first Return of a result counts; a stray repeat cannot turn a failure into a success.
        if (current.returnCode === '') current.returnCode = value.trim().slice(0, 16)
      } else if (key === 'cmd') {
        current.cmd ??= value.trim().slice(0, 64)
      } else if (key === 'content') {
        current.content.push(value)
      } else {
        current.content.push(`${key}=${value}`)
      }
    }
  }
  close()
  return results
}

/** `ID=1&Return=0&CMD=DATA` → its pairs; a `Content=` value keeps any `&` it contains. */
function splitPairs(line: string): [string, string][] {
  const pairs: [string, string][] = []
  let rest = line
  while (rest) {
    const eq = rest.indexOf('=')
    if (eq <= 0) break
    const key = rest.slice(0, eq).trim().toLowerCase()
    if (key === 'content') {
      pairs.push([key, rest.slice(eq + 1)])
      break
    }
    const amp = rest.indexOf('&', eq)
    pairs.push([key, amp < 0 ? rest.slice(eq + 1) : rest.slice(eq + 1, amp)])
    rest = amp < 0 ? '' : rest.slice(amp + 1)
  }
  return pairs
}

function joinContent(lines: string[]): string | null {
  const text = lines.join('\n').trim()
  if (!text) return null
  return text.length > MAX_RESULT_CONTENT ? `${text.slice(0, MAX_RESULT_CONTENT)}…` : text
}

/** A result some firmware sends in the query string instead: `?SN=…&ID=5&Return=0&CMD=CHECK`. */
export function commandResultFromQuery(query: Record<string, unknown>): CommandResult | null {
  const value = (name: string) => {
    const raw = query[name] ?? query[name.toLowerCase()] ?? query[name.toUpperCase()]
    return typeof raw === 'string' ? raw : null
  }
  const id = Number(value('ID'))
  if (!Number.isSafeInteger(id) || id <= 0) return null
  return {id, returnCode: (value('Return') ?? '').trim().slice(0, 16), cmd: value('CMD')?.trim().slice(0, 64) ?? null, content: null}
}

