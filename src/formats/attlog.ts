import {UsageError} from '../errors.js'
import type {ParsedRecord} from '../punches/types.js'
import {parseTimestamp} from '../time/parse.js'

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
  const text = line.endsWith('\r') ? line.slice(0, -1) : line
  if (text.trim() === '') return null

  let fields = text.split('\t')
  if (fields.length < 2) {
    const spaced = SPACED.exec(text)
    if (!spaced) return reject(lineNo, text, 'expected at least 2 TAB-separated fields (PIN and YYYY-MM-DD HH:MM:SS)')
    fields = [spaced[1], spaced[2], ...(spaced[3] ? spaced[3].split(/\s+/) : [])]
  }

  const pin = fields[0].trim()
  if (pin === '') return reject(lineNo, text, 'the PIN (column 1) is empty')
  const timeText = fields[1].trim()
  let time
  try {
    time = parseTimestamp(timeText)
  } catch (error) {
    const why = error instanceof UsageError ? error.message.replace(/\.$/, '') : `invalid time "${timeText}"`
    return reject(lineNo, text, `column 2 (time): ${why}`)
  }

  const at = (i: number): string | null => {
    const value = fields[i]?.trim()
    return value === undefined || value === '' ? null : value
  }
  const base = layout === 'usb' ? 3 : 2
  const punch = {
    deviceUserId: pin,
    time,
    timeText,
    rawStatus: at(base),
    rawVerify: at(base + 1),
    workCode: at(base + 2),
    raw: text,
    line: lineNo,
    ...(layout === 'push' ? pushExtras(at(7), at(8)) : {}),
  }
  return {ok: true, punch}
}

/** Newer push firmware appends mask (0/1) and temperature columns after the two reserved ones. */
function pushExtras(mask: string | null, temperature: string | null): {mask?: boolean; temperature?: number} {
  const extras: {mask?: boolean; temperature?: number} = {}
  if (mask === '0' || mask === '1') extras.mask = mask === '1'
  if (temperature !== null) {
    const value = Number(temperature)
    if (Number.isFinite(value) && value > 0) extras.temperature = value
  }
  return extras
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
