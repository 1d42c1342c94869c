import {NotFoundError, UsageError} from '../errors.js'
import {addDays, dayCount} from '../time/calendar.js'
import {parseDate} from '../time/date-input.js'
import type {AttendStore} from '../store/port.js'
import {buildReport, reportJsonOf} from './build.js'
import {checkRange} from './options.js'
import {csvOf, pdfOf} from './render.js'
import {csvString} from './render/csv.js'

/** The longest report period `attend serve` builds unless `--max-report-days` says otherwise. */
export const DEFAULT_HTTP_REPORT_DAYS = 366

export const HTTP_REPORT_PARAMS = ['start_date', 'end_date', 'user_id', 'department', 'format', 'bom'] as const
export type HttpReportParam = (typeof HTTP_REPORT_PARAMS)[number]

export type HttpReportQuery = Partial<Record<HttpReportParam, unknown>>

/** Reports the server builds over HTTP: the v1 API's summary, and the status page's downloads. */
export type HttpReportKind = 'summary' | 'register' | 'late'

/** A validated request: plain data, so it can be handed to a report thread. */
export interface HttpReportRequest {
  /** Absent: the summary, as GET /v1/reports/attendance asks for it. */
  kind?: HttpReportKind
  start: string
  end: string
  format: 'json' | 'csv' | 'pdf'
  userId: string | null
  department: string | null
  /** CSV starts with a UTF-8 byte order mark (`bom=false` omits it), as `attend report --output` writes it. */
  bom: boolean
}

export interface HttpReportResponse {
  contentType: string
  /** For Content-Disposition: attachment; filename="…" (csv and pdf). */
  filename?: string
  body: string | Buffer
}

/**
 * A report request refused because of one query parameter: 400 (a bad value) or 404 (an unknown
 * user or department), naming the parameter so the route need not read the sentence.
 */
export class ReportParamError extends UsageError {
  constructor(
    message: string,
    readonly status: 400 | 404,
    code: string,
    override readonly param: HttpReportParam,
  ) {
    super(message, code, {param})
    this.name = 'ReportParamError'
  }
}

const httpFormats = ['json', 'csv', 'pdf']

/** Excel reads a CSV file as UTF-8 only when it starts with this mark: without it "Zoë" opens as "ZoÃ«". */
const BOM = '\uFEFF'

/** `bom=false` (or `0`, `no`) for a CSV without the mark, as the CLI's --no-bom; the default is with it. */
function bomParam(query: HttpReportQuery): boolean {
  const value = param(query, 'bom', false)?.trim().toLowerCase()
  if (value === undefined) return true
  if (['true', '1', 'yes'].includes(value)) return true
  if (['false', '0', 'no'].includes(value)) return false
  throw new ReportParamError(`Parameter bom must be true or false, not "${value.slice(0, 40)}".`, 400, 'invalid_bom', 'bom')
}

function param(query: HttpReportQuery, name: HttpReportParam, required: boolean): string | undefined {
  const value = query[name]
  if (value === undefined || value === '') {
    if (required) throw new ReportParamError(`Missing required parameter ${name}: expected a date in YYYY-MM-DD format.`, 400, `missing_${name}`, name)
    return undefined
  }
  if (typeof value !== 'string') throw new ReportParamError(`Parameter ${name} must be given once, as text.`, 400, `invalid_${name}`, name)
  return value
}

/** Runs a check shared with the command line, naming `name` as the parameter at fault. */
function about<T>(name: HttpReportParam, check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (error instanceof UsageError) throw new ReportParamError(error.message, 400, error.code, name)
    if (error instanceof NotFoundError) throw new ReportParamError(error.message, 404, error.code, name)
    throw error
  }
}

/**
 * Validates GET /v1/reports/attendance's query without the store: dates, their order, the
 * server's longest period (so `end_date=9999-12-31` is refused at once instead of running for
 * minutes) and the format. Unknown users and departments are found when the report is built.
 */
export function parseHttpReportQuery(query: HttpReportQuery, maxDays = DEFAULT_HTTP_REPORT_DAYS): HttpReportRequest {
  const start = about('start_date', () => parseDate(param(query, 'start_date', true)!, 'start_date'))
  const end = about('end_date', () => parseDate(param(query, 'end_date', true)!, 'end_date'))
  about('end_date', () => checkRange('summary', start, end, {from: 'start_date', to: 'end_date'}))
  const days = dayCount(start, end)
  if (days > maxDays) {
    throw new ReportParamError(
      `A report covers at most ${maxDays} days on this server, but ${start} to ${end} is ${days} days: ask for an end_date no later than ${addDays(start, maxDays - 1)}, and for the rest in further requests.`,
      400,
      'range_too_long',
      'end_date',
    )
  }
  const format = param(query, 'format', false)?.trim().toLowerCase() ?? 'json'
  if (!httpFormats.includes(format)) {
    throw new ReportParamError(`format "${format}" is not a report format here: expected json, csv or pdf.`, 400, 'invalid_format', 'format')
  }
  return {
    start,
    end,
    format: format as HttpReportRequest['format'],
    userId: param(query, 'user_id', false)?.trim() || null,
    department: param(query, 'department', false)?.trim() || null,
    bom: bomParam(query),
  }
}

/**
 * GET /v1/reports/attendance: the summary report as `{data: report}` JSON, CSV or PDF;
 * the status page asks the same way for the register and the late report of a month.
 * Reads only (see docs/architecture.md, "Reports"), so it can run on a read-only connection in a
 * report thread. `user_id` is `usr_<id>` (as users[].id and /v1/users) or an employee code.
 */
export async function buildHttpReport(store: AttendStore, request: HttpReportRequest, now: number): Promise<HttpReportResponse> {
  const {start, end, format, userId, department} = request
  const kind = request.kind ?? 'summary'
  const resolved = await buildReport(store, {kind, from: start, to: end, employee: userId, department, generatedAt: null}, now).catch((error: unknown) => {
    // An unknown employee or department, named by the query parameter it came from.
    if (error instanceof NotFoundError) throw new ReportParamError(error.message, 404, error.code, error.param === 'department' ? 'department' : 'user_id')
    throw error
  })
  const base = `${kind === 'summary' ? 'attendance' : kind}-${start}-to-${end}${department ? `-${department.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}` : ''}`
  switch (format) {
    case 'json':
      return {contentType: 'application/json; charset=utf-8', body: JSON.stringify({data: reportJsonOf(resolved)})}
    case 'csv': {
      const {header, records} = csvOf(resolved)
      const text = await csvString(header, records)
      return {contentType: 'text/csv; charset=utf-8', filename: `${base}.csv`, body: request.bom ? BOM + text : text}
    }
    case 'pdf':
      return {contentType: 'application/pdf', filename: `${base}.pdf`, body: await pdfOf(resolved)}
  }
}

/** Validation and build in one call, on the caller's connection (tests, and stores held in memory). */
export async function summaryReportForHttp(store: AttendStore, query: HttpReportQuery, now: number, maxDays = DEFAULT_HTTP_REPORT_DAYS): Promise<HttpReportResponse> {
  return buildHttpReport(store, parseHttpReportQuery(query, maxDays), now)
}
