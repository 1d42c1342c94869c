import {UsageError} from '../errors.js'
import type {CanonicalPunch, ParsedRecord} from '../punches/types.js'
import {parseTimestamp} from '../time/parse.js'
import {idTooLong, quote} from './input-policy.js'
import {fieldValue} from './key-values.js'

/**
 * Column layout of an ATTLOG line. `push` is what a ZKTeco terminal POSTs to /iclock/cdata
 * (PIN, time, status, verify, workcode, reserved, reserved[, mask, temperature, …]); `usb` is the
 * `<n>_attlog.dat` export on a USB stick (PIN, time, machine number, status, verify, workcode, …).
 */
export type AttlogLayout = 'push' | 'usb'

// Space-separated ATTLOG as pasted from a terminal's screen or a mail: PIN, date time, rest.
const SPACED = /^\s*(\S+)\s+(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?)(?:\s+(.*))?$/

/**
 * One ATTLOG line → a punch, or a rejection naming the column. TAB-separated (CR stripped),
 * 2 fields and up, PIN trimmed of its padding, time as device wall clock. Status and verify codes
 * are kept raw: sites remap them. Returns null for a blank line.
 */
export function parseAttlogLine(line: string, lineNo: number, layout: AttlogLayout = 'push'): ParsedRecord | null {
  // Written for the million-line import: no regular expression, closure or spread on the usual
  // line (one that starts with its PIN), and the punch built in one literal (docs/architecture.md, "Import").
  const text = line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line
  const first = text.charCodeAt(0)
  const plain = first > SPACE && first < DEL
  if (text.length === 0 || (!plain && text.trim() === '')) return null
  if ((!plain || first === UPPER_P || first === LOWER_P) && KEYED.test(text)) return parseKeyedLine(text, lineNo)

  // The columns are read where they lie in the line (no array of them); a line without TABs may be
  // the space-separated form, whose fields are TAB-joined and then read the same way.
  let cells = text
  let count = findColumns(cells)
  if (count < 2) {
    const spaced = SPACED.exec(text)
    if (!spaced) return reject(lineNo, text, 'expected at least 2 TAB-separated fields (PIN and YYYY-MM-DD HH:MM:SS)')
    cells = spaced[3] ? `${spaced[1]}\t${spaced[2]}\t${spaced[3].split(/\s+/).join('\t')}` : `${spaced[1]}\t${spaced[2]}`
    count = findColumns(cells)
  }

  const pin = column(cells, 0, count) ?? ''
  if (pin === '') return reject(lineNo, text, 'the PIN (column 1) is empty')
  const pinTooLong = idTooLong(pin, 'the PIN (column 1)')
  if (pinTooLong) return reject(lineNo, text, pinTooLong.replace(/\.$/, ''))
  const timeText = column(cells, 1, count) ?? ''
  let time
  try {
    time = parseTimestamp(timeText)
  } catch (error) {
    const why = error instanceof UsageError ? error.message.replace(/\.$/, '') : `invalid time ${quote(timeText)}`
    return reject(lineNo, text, `column 2 (time): ${why}`)
  }

  const base = layout === 'usb' ? 3 : 2
  const punch: CanonicalPunch = {
    deviceUserId: pin,
    time,
    timeText,
    rawStatus: column(cells, base, count),
    rawVerify: column(cells, base + 1, count),
    workCode: column(cells, base + 2, count),
    raw: text,
    line: lineNo,
  }
  if (layout === 'push' && count > 7) addPushExtras(punch, column(cells, 7, count), column(cells, 8, count))
  return {ok: true, punch}
}

const CR = 13
const SPACE = 32
const DEL = 127
const UPPER_P = 80
const LOWER_P = 112

/**
 * Start and end of each TAB-separated column of the line being read, filled by findColumns and
 * read by column before the next line: one pair of arrays for every line rather than one array of
 * strings per line. Only the columns a punch keeps become strings.
 */
const columnStarts: number[] = []
const columnEnds: number[] = []

/** Finds the columns of `cells`; returns how many there are (1 when it holds no TAB). */
function findColumns(cells: string): number {
  let count = 0
  let from = 0
  for (;;) {
    const tab = cells.indexOf('\t', from)
    columnStarts[count] = from
    columnEnds[count] = tab < 0 ? cells.length : tab
    count++
    if (tab < 0) return count
    from = tab + 1
  }
}

/** Column `i` trimmed as String#trim trims; null when absent or empty. */
function column(cells: string, i: number, count: number): string | null {
  if (i >= count) return null
  const from = columnStarts[i]
  const to = columnEnds[i]
  if (from === to) return null
  const first = cells.charCodeAt(from)
  const last = cells.charCodeAt(to - 1)
  // Printable ASCII at both ends (the usual cell): nothing to trim.
  const value = first > SPACE && first < DEL && last > SPACE && last < DEL ? cells.slice(from, to) : cells.slice(from, to).trim()
  return value === '' ? null : value
}

/** A line in the key=value layout some push firmware uses: `PIN=90⇥DateTime=2026-03-12 08:05:00⇥Verified=1⇥Status=0`. */
const KEYED = /^\s*PIN=/i
/** Keys start a field after a TAB or two spaces; a value may hold single spaces (`DateTime=2026-03-12 08:05:00`). */
const KEYED_FIELD = /(?:^|\t| {2,})\s*([A-Za-z]+)=/g

function parseKeyedLine(text: string, lineNo: number): ParsedRecord {
  const fields = new Map<string, string>()
  const starts = [...text.matchAll(KEYED_FIELD)]
  starts.forEach((match, i) => {
    const from = (match.index ?? 0) + match[0].length
    const to = i + 1 < starts.length ? (starts[i + 1].index ?? text.length) : text.length
    fields.set(match[1].toLowerCase(), text.slice(from, to))
  })
  const pin = fieldValue(fields, 'pin') ?? ''
  if (pin === '') return reject(lineNo, text, 'PIN= is empty')
  const pinTooLong = idTooLong(pin, 'PIN')
  if (pinTooLong) return reject(lineNo, text, pinTooLong.replace(/\.$/, ''))
  const timeText = fieldValue(fields, 'datetime') ?? fieldValue(fields, 'time') ?? ''
  if (timeText === '') return reject(lineNo, text, 'DateTime= is missing: expected DateTime=YYYY-MM-DD HH:MM:SS')
  let time
  try {
    time = parseTimestamp(timeText)
  } catch (error) {
    const why = error instanceof UsageError ? error.message.replace(/\.$/, '') : `invalid time ${quote(timeText)}`
    return reject(lineNo, text, `DateTime: ${why}`)
  }
  const value = (key: string) => fieldValue(fields, key)
  const punch: CanonicalPunch = {
    deviceUserId: pin,
    time,
    timeText,
    rawStatus: value('status'),
    rawVerify: value('verified') ?? value('verify'),
    workCode: value('workcode'),
    raw: text,
    line: lineNo,
  }
  addPushExtras(punch, value('maskflag') ?? value('mask'), value('temperature'))
  return {ok: true, punch}
}

/** Newer push firmware appends mask (0/1) and temperature columns after the two reserved ones. */
function addPushExtras(punch: CanonicalPunch, mask: string | null, temperature: string | null): void {
  if (mask === '0' || mask === '1') punch.mask = mask === '1'
  if (temperature !== null) {
    const value = Number(temperature)
    if (Number.isFinite(value) && value > 0) punch.temperature = value
  }
}

/**
 * Which layout a file uses. USB `.dat` exports right-align the PIN with spaces and end lines with
 * CRLF; text from the push protocol (or pasted from it) does neither.
 */
export function detectAttlogLayout(sample: string): AttlogLayout {
  const first = sample.split('\n').find((l) => l.trim() !== '') ?? ''
  return first.endsWith('\r') || /^ +\S/.test(first) ? 'usb' : 'push'
}

function reject(line: number, raw: string, why: string): ParsedRecord {
  return {ok: false, rejected: {line, raw, reason: `${why[0].toUpperCase()}${why.slice(1)}.`}}
}
