import type {Store} from '../db/open.js'
import {UsageError} from '../errors.js'
import {buildReport, reportJsonOf} from './build.js'
import {parseDate} from '../time/date-input.js'
import {checkRange} from './options.js'
import {csvOf, pdfOf} from './render.js'
import {csvString} from './render/csv.js'

export interface HttpReportQuery {
  start_date?: unknown
  end_date?: unknown
  user_id?: unknown
  department?: unknown
  format?: unknown
}

export interface HttpReportResponse {
  contentType: string
  /** For Content-Disposition: attachment; filename="…" (csv and pdf). */
  filename?: string
  body: string | Buffer
}

const httpFormats = ['json', 'csv', 'pdf']

function param(query: HttpReportQuery, name: keyof HttpReportQuery, required: boolean): string | undefined {
  const value = query[name]
  if (value === undefined || value === '') {
    if (required) throw new UsageError(`Missing required parameter ${name}: expected a date in YYYY-MM-DD format.`, `missing_${name}`, {param: name})
    return undefined
  }
  if (typeof value !== 'string') throw new UsageError(`Parameter ${name} must be given once, as text.`, `invalid_${name}`, {param: name})
  return value
}

/**
 * GET /v1/reports/attendance (seed 001): the summary report as `{data: report}` JSON, CSV or PDF.
 * Bad parameters throw UsageError whose message names the parameter; an unknown user_id or
 * department throws NotFoundError. `user_id` is `usr_<id>` (as users[].id and /v1/users) or an
 * employee code.
 */
export async function summaryReportForHttp(store: Store, query: HttpReportQuery, now: number): Promise<HttpReportResponse> {
  const startText = param(query, 'start_date', true)!
  const endText = param(query, 'end_date', true)!
  const start = parseDate(startText, 'start_date')
  const end = parseDate(endText, 'end_date')
  checkRange('summary', start, end, {from: 'start_date', to: 'end_date'})
  const formatText = param(query, 'format', false)?.trim().toLowerCase() ?? 'json'
  if (!httpFormats.includes(formatText)) {
    throw new UsageError(`format "${formatText}" is not a report format here: expected json, csv or pdf.`, 'invalid_format', {param: 'format'})
  }
  const format = formatText as 'json' | 'csv' | 'pdf'
  const userId = param(query, 'user_id', false)?.trim() || null
  const department = param(query, 'department', false)?.trim() || null

  const resolved = buildReport(store, {kind: 'summary', from: start, to: end, employee: userId, department, generatedAt: null}, now)
  const base = `attendance-${start}-to-${end}${department ? `-${department.replace(/[^A-Za-z0-9_-]+/g, '_')}` : ''}`
  switch (format) {
    case 'json':
      return {contentType: 'application/json; charset=utf-8', body: JSON.stringify({data: reportJsonOf(resolved)})}
    case 'csv': {
      const {header, records} = csvOf(resolved)
      return {contentType: 'text/csv; charset=utf-8', filename: `${base}.csv`, body: await csvString(header, records)}
    }
    case 'pdf':
      return {contentType: 'application/pdf', filename: `${base}.pdf`, body: await pdfOf(resolved)}
  }
}
