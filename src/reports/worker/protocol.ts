import type {HttpReportParam} from '../http.js'
import type {ThreadTaskName} from './tasks.js'

/** What the server asks its report thread: one task (a report, by default), with "now" from the server's clock. */
export interface ReportJob {
  id: number
  task: ThreadTaskName
  input: unknown
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

export type ReportAnswer = {id: number; ok: true; value: unknown} | {id: number; ok: false; failure: ThreadFailure}
