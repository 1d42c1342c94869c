/**
 * CSV punch exports (ZKTeco/eSSL "attendance logs" reports, payroll exports, spreadsheets): a header
 * row, then one punch per row. The columns are found by their header names; `--columns` names them
 * when the export uses words we do not know. Parsing the bytes is csv-parse's job; this module only
 * maps a header and a row to a punch.
 */
import {UsageError} from '../errors.js'
import type {ParsedRecord, PunchDirection} from '../punches/types.js'
import {parseTimestamp, type DateFormat} from '../time/parse.js'

export const csvRoles = ['user', 'time', 'date', 'status', 'verify', 'device', 'workcode'] as const
export type CsvRole = (typeof csvRoles)[number]

/** Role → header text, from `--columns user=EmpCode,time=Punch Time`. */
export type ColumnOverrides = Partial<Record<CsvRole, string>>

/** Role → column index in the row. */
export type CsvColumns = {user: number; time: number} & Partial<Record<Exclude<CsvRole, 'user' | 'time'>, number>>

// Header words of common exports, compared lowercased without spaces or punctuation.
const ALIASES: Record<CsvRole, string[]> = {
  user: [
    'userid', 'user', 'empcode', 'employeecode', 'empid', 'employeeid', 'employeeno', 'empno', 'pin', 'acno', 'acnumber',
    'enrollno', 'enrollnumber', 'enrollid', 'badge', 'badgeno', 'badgenumber', 'staffid', 'staffcode', 'personid',
    'workerid', 'biometricid', 'deviceuserid', 'code', 'id', 'no',
  ],
  time: [
    'datetime', 'timestamp', 'punchtime', 'punchdatetime', 'checktime', 'logtime', 'attendancetime', 'recordtime', 'scantime',
    'clocktime', 'time', 'datetimestamp', 'punch', 'logdatetime',
  ],
  date: ['date', 'punchdate', 'logdate', 'attendancedate', 'workdate', 'day', 'checkdate'],
  status: ['status', 'state', 'checktype', 'inout', 'punchstate', 'punchtype', 'attstate', 'direction', 'eventtype', 'type', 'event'],
  verify: ['verify', 'verifycode', 'verifymode', 'verifytype', 'verification', 'inputtype'],
  device: ['device', 'deviceid', 'devicesn', 'deviceserial', 'serial', 'serialno', 'serialnumber', 'sn', 'terminal', 'terminalsn', 'terminalid'],
  workcode: ['workcode'],
}

const normalize = (header: string): string => header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '')

/** Parses `user=EmpCode,time=Punch Time` (header names may contain spaces, not commas). */
export function parseColumnsFlag(value: string): ColumnOverrides {
  const overrides: ColumnOverrides = {}
  for (const part of value.split(',')) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    const role = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase() as CsvRole
    const header = eq < 0 ? '' : part.slice(eq + 1).trim()
    if (!csvRoles.includes(role)) {
      throw new UsageError(`Unknown column role "${role}" in --columns: expected ${csvRoles.join(', ')} (e.g. user=EmpCode,time=Punch Time).`, 'invalid_columns')
    }
    if (!header) throw new UsageError(`--columns ${role}= needs a header name, e.g. ${role}=${role === 'user' ? 'EmpCode' : 'Punch Time'}.`, 'invalid_columns')
    overrides[role] = header
  }
  return overrides
}

/**
 * Finds each role's column in a header row. Names given in `overrides` must exist; the rest are
 * recognized by their usual names. Throws a sentence listing the header when user or time is missing.
 */
export function resolveCsvColumns(header: readonly string[], overrides: ColumnOverrides = {}, source = 'the CSV'): CsvColumns {
  const names = header.map((h) => h.replace(/^\uFEFF/, '').trim())
  const keys = names.map(normalize)
  const shown = names.map((n) => n || '(blank)').join(', ')
  const found: Partial<Record<CsvRole, number>> = {}
  const taken = new Set<number>()

  for (const role of csvRoles) {
    const wanted = overrides[role]
    if (wanted === undefined) continue
    const index = names.findIndex((n) => n.toLowerCase() === wanted.toLowerCase())
    if (index < 0) throw new UsageError(`--columns ${role}=${wanted}: there is no column "${wanted}" in the header of ${source} (${shown}).`, 'invalid_columns')
    found[role] = index
    taken.add(index)
  }
  const pick = (role: CsvRole, aliases: string[]): void => {
    if (found[role] !== undefined) return
    for (const alias of aliases) {
      const index = keys.findIndex((k, i) => k === alias && !taken.has(i))
      if (index >= 0) {
        found[role] = index
        taken.add(index)
        return
      }
    }
  }
  // Date first, so a lone "Time" column next to a "Date" column is read as the time of day.
  pick('date', ALIASES.date)
  pick('time', ALIASES.time)
  if (found.time === undefined && found.date !== undefined) {
    // A single "Date" column holding date and time.
    found.time = found.date
    delete found.date
  }
  pick('user', ALIASES.user)
  pick('status', ALIASES.status)
  pick('verify', ALIASES.verify)
  pick('device', ALIASES.device)
  pick('workcode', ALIASES.workcode)

  if (found.user === undefined) {
    throw new UsageError(
      `Cannot tell which column of ${source} holds the user id (header: ${shown}): pass --columns user=<header>.`,
      'invalid_columns',
    )
  }
  if (found.time === undefined) {
    throw new UsageError(
      `Cannot tell which column of ${source} holds the punch time (header: ${shown}): pass --columns time=<header> (and date=<header> when date and time are separate).`,
      'invalid_columns',
    )
  }
  return found as CsvColumns
}

/** The delimiter of a header line: whichever of , ; TAB | occurs most outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0], ['|', 0]])
  let quoted = false
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  }
  let best = ','
  let max = 0
  for (const [d, n] of counts) if (n > max) [best, max] = [d, n]
  return best
}

const IN_WORDS = new Set(['in', 'i', 'cin', 'checkin', 'clockin', 'signin', 'entry', 'enter', 'overtimein', 'otin', 'breakin', 'mealin'])
const OUT_WORDS = new Set(['out', 'o', 'cout', 'checkout', 'clockout', 'signout', 'exit', 'overtimeout', 'otout', 'breakout', 'mealout'])

/** A status written in words (`C/In`, `Check Out`, `IN`) gives a direction; numeric codes stay raw only. */
export function directionFromStatusText(status: string | null): PunchDirection | null {
  if (!status) return null
  const key = status.toLowerCase().replace(/[^a-z]/g, '')
  if (IN_WORDS.has(key)) return 'in'
  if (OUT_WORDS.has(key)) return 'out'
  return null
}

const HAS_DATE = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/

/** One data row → a punch; null for an empty row. `raw` is the row as written, for the report. */
export function csvRowToPunch(
  row: readonly string[],
  columns: CsvColumns,
  line: number,
  options: {dateFormat?: DateFormat; raw?: string} = {},
): ParsedRecord | null {
  if (row.every((cell) => cell.trim() === '')) return null
  const raw = options.raw ?? row.join(',')
  const cell = (index: number | undefined): string | null => {
    if (index === undefined) return null
    const value = row[index]?.trim()
    return value ? value : null
  }
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line, raw, reason}})

  const user = cell(columns.user)
  if (!user) return reject(`The user id (column ${columns.user + 1}) is empty.`)
  const timeCell = cell(columns.time)
  const dateCell = cell(columns.date)
  if (!timeCell && !dateCell) return reject(`The punch time (column ${columns.time + 1}) is empty.`)
  const timeText = dateCell && timeCell && !HAS_DATE.test(timeCell) ? `${dateCell} ${timeCell}` : (timeCell ?? dateCell ?? '')
  let time
  try {
    time = parseTimestamp(timeText, {dateFormat: options.dateFormat})
  } catch (error) {
    return reject(error instanceof Error ? error.message : String(error))
  }
  const status = cell(columns.status)
  return {
    ok: true,
    punch: {
      deviceUserId: user,
      time,
      timeText,
      deviceSerial: cell(columns.device),
      direction: directionFromStatusText(status),
      rawStatus: status,
      rawVerify: cell(columns.verify),
      workCode: cell(columns.workcode),
      raw,
      line,
    },
  }
}
