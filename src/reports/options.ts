import fs from 'node:fs'
import path from 'node:path'

import {AttendError, backwardsRange, paramOf, UsageError} from '../errors.js'
import {dayCount} from '../time/calendar.js'
import {reportKind, type ReportKind} from './kinds/index.js'
import {reportFormats, type ReportFormat} from './types.js'
import {parseDate} from '../time/date-input.js'

/**
 * The longest period `attend report` accepts, whatever the kind: ten years is more than any
 * attendance question needs, and a typo such as 2206 for 2026 is refused in one sentence instead
 * of running for minutes (docs/architecture.md, "Reports").
 */
export const CLI_MAX_REPORT_DAYS = 3660

export interface ReportFlags {
  from?: string
  to?: string
  date?: string
  employee?: string
  department?: string
  format?: string
  output?: string
  bom?: boolean
  'generated-at'?: string
}

export interface ReportRequest<K extends ReportKind = ReportKind> {
  kind: K
  /** Null only for `daily` without --date: today in the site zone, known once the store is open. */
  from: string | null
  to: string | null
  employee: string | null
  department: string | null
  format: ReportFormat
  /** Absolute path, or null for stdout. */
  output: string | null
  /** CSV only: start with a UTF-8 byte order mark (Excel takes a CSV without one for the local code page). */
  bom: boolean
  /** Fixed generation time (UTC ms) for reproducible output; null = now. */
  generatedAt: number | null
}

/** Checks the order (and, for a kind with a longest period, the length) of a date range. */
export function checkRange(kind: ReportKind, from: string, to: string, names: {from: string; to: string} = {from: '--from', to: '--to'}): void {
  if (to < from) throw backwardsRange(from, to, names)
  const days = dayCount(from, to)
  const {maxDays} = reportKind(kind)
  if (maxDays !== undefined && days > maxDays) {
    throw new UsageError(
      `The ${kind} covers at most ${maxDays} days, but ${from} to ${to} is ${days} days: split it into shorter periods.`,
      'range_too_long',
      {param: paramOf(names.to)},
    )
  }
}

export function checkFormat(value: string, flag = '--format'): ReportFormat {
  const format = value.trim().toLowerCase()
  if (!(reportFormats as readonly string[]).includes(format)) {
    throw new UsageError(`${flag} "${value}" is not a report format: expected ${reportFormats.join(', ')}.`, 'invalid_format', {param: paramOf(flag)})
  }
  return format as ReportFormat
}

const formatByExtension: Record<string, ReportFormat> = {'.csv': 'csv', '.json': 'json', '.pdf': 'pdf', '.txt': 'table'}

/**
 * The output file must be creatable before any work starts: an existing directory, writable, and
 * not itself a directory. Checked up front so a long report never fails at the last step.
 */
export function checkOutput(file: string): string {
  const target = path.resolve(file)
  const dir = path.dirname(target)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AttendError(`Cannot write --output ${file}: the directory ${dir} does not exist.`, {code: 'output_unwritable'})
  }
  if (fs.existsSync(target)) {
    if (fs.statSync(target).isDirectory()) throw new AttendError(`Cannot write --output ${file}: it is a directory.`, {code: 'output_unwritable'})
    try {
      fs.accessSync(target, fs.constants.W_OK)
    } catch {
      throw new AttendError(`Cannot write --output ${file}: the file is not writable.`, {code: 'output_unwritable'})
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch {
    throw new AttendError(`Cannot write --output ${file}: the directory ${dir} is not writable.`, {code: 'output_unwritable'})
  }
  return target
}

export function checkGeneratedAt(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new UsageError(`--generated-at "${value}" is not an ISO 8601 instant: expected e.g. 2026-02-01T10:00:00Z.`, 'invalid_generated_at')
  }
  return ms
}

/**
 * Validates every flag of `attend report KIND` before the store is opened, so a typo never
 * creates a file or runs a long query.
 */
export function parseReportRequest<K extends ReportKind>(kind: K, flags: ReportFlags, context: {stdoutIsTTY: boolean}): ReportRequest<K> {
  let from: string | null
  let to: string | null
  if (reportKind(kind).period === 'day') {
    const date = flags.date ?? flags.from
    from = date === undefined ? null : parseDate(date, flags.date === undefined ? '--from' : '--date')
    to = from
  } else {
    if (flags.from === undefined) throw new UsageError(`attend report ${kind} needs --from YYYY-MM-DD (the first day of the period).`, 'missing_from', {param: 'from'})
    if (flags.to === undefined) throw new UsageError(`attend report ${kind} needs --to YYYY-MM-DD (the last day of the period).`, 'missing_to', {param: 'to'})
    from = parseDate(flags.from, '--from')
    to = parseDate(flags.to, '--to')
    checkRange(kind, from, to)
    const days = dayCount(from, to)
    if (days > CLI_MAX_REPORT_DAYS) {
      throw new UsageError(
        `attend report ${kind} covers at most ${CLI_MAX_REPORT_DAYS} days (about ten years), but ${from} to ${to} is ${days} days: check the years in --from and --to, or split the period.`,
        'range_too_long',
      )
    }
  }

  const output = flags.output === undefined ? null : checkOutput(flags.output)
  let format: ReportFormat
  if (flags.format !== undefined) format = checkFormat(flags.format)
  else if (output) {
    const extension = path.extname(output).toLowerCase()
    const byExtension = formatByExtension[extension]
    if (!byExtension) {
      throw new UsageError(
        `Cannot tell the format of --output ${flags.output} from its extension "${extension || '(none)'}": use .csv, .json, .pdf or .txt, or pass --format.`,
        'invalid_output_format',
      )
    }
    format = byExtension
  } else format = 'table'
  if (format === 'pdf' && output === null && context.stdoutIsTTY) {
    throw new UsageError('A PDF cannot be shown on a terminal: pass --output FILE.pdf or redirect stdout to a file.', 'pdf_to_terminal')
  }

  const employee = flags.employee?.trim()
  const department = flags.department?.trim()
  if (flags.employee !== undefined && !employee) throw new UsageError('--employee is empty: expected an employee code such as EMP001.', 'invalid_employee', {param: 'employee'})
  if (flags.department !== undefined && !department) throw new UsageError('--department is empty: expected a department name such as IT.', 'invalid_department', {param: 'department'})

  return {
    kind,
    from,
    to,
    employee: employee || null,
    department: department || null,
    format,
    output,
    bom: format === 'csv' && (flags.bom ?? output !== null),
    generatedAt: flags['generated-at'] === undefined ? null : checkGeneratedAt(flags['generated-at']),
  }
}
