import type {HttpReportParam, HttpReportRequest, HttpReportResponse} from '../http.js'

/** What the server asks its report thread: one report, with "now" from the server's clock. */
export interface ReportJob {
  id: number
  request: HttpReportRequest
  now: number
}

/** A failure as it crosses the thread boundary: enough to rebuild the error the route maps. */
export interface ThreadFailure {
  name: string
  message: string
  code?: string
  status?: 400 | 404
  param?: HttpReportParam
}

export type ReportAnswer =
  | {id: number; ok: true; response: Omit<HttpReportResponse, 'body'> & {body: string | Uint8Array}}
  | {id: number; ok: false; failure: ThreadFailure}
