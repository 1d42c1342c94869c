import {parseHttpReportQuery, ReportParamError, type HttpReportKind, type HttpReportRequest} from '../../reports/http.js'
import {monthEnd} from './model.js'

/** The month reports the status page links to: each is the report `attend report KIND` prints. */
export const DOWNLOADS = {
  'register.pdf': {kind: 'register', format: 'pdf'},
  'summary.csv': {kind: 'summary', format: 'csv'},
  'late.pdf': {kind: 'late', format: 'pdf'},
  'late.csv': {kind: 'late', format: 'csv'},
} as const satisfies Record<string, {kind: HttpReportKind; format: HttpReportRequest['format']}>

export type DownloadName = keyof typeof DOWNLOADS

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/**
 * `?month=2026-03&file=register.pdf` (CSV: `&bom=false` without the byte order mark) → the same request GET /v1/reports/attendance builds from its
 * query (validated by the same function), for the whole month.
 */
export function downloadRequest(query: Record<string, unknown>, maxDays: number): HttpReportRequest {
  const {month, file} = query
  if (typeof month !== 'string' || !MONTH.test(month)) {
    throw new ReportParamError('Choose a month as YYYY-MM (for example 2026-03).', 400, 'invalid_month', 'start_date')
  }
  const download = typeof file === 'string' && Object.hasOwn(DOWNLOADS, file) ? DOWNLOADS[file as DownloadName] : undefined
  if (!download) throw new ReportParamError(`Choose a report to download: ${Object.keys(DOWNLOADS).join(', ')}.`, 400, 'invalid_report', 'format')
  const request = parseHttpReportQuery({start_date: `${month}-01`, end_date: monthEnd(month), format: download.format, bom: query.bom}, maxDays)
  return {...request, kind: download.kind}
}
