import type {Store} from '../db/open.js'

/** What every route family needs, passed explicitly so tests can pin the clock and the store. */
export interface ServerDeps {
  store: Store
  /** "Now" as UTC epoch ms; the server passes it to every service it calls. */
  now(): number
  version: string
  /** UTC epoch ms when the server started (for /health uptime). */
  startedAt: number
  /** The longest period GET /v1/reports/attendance builds (default DEFAULT_HTTP_REPORT_DAYS). */
  maxReportDays?: number
  /** The status page at / and /dashboard; false answers 404 there (`attend serve --no-dashboard`). */
  dashboard?: boolean
}
