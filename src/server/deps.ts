import type {Store} from '../db/open.js'
import type {AttendStore} from '../store/port.js'

/** What every route family needs, passed explicitly so tests can pin the clock and the store. */
export interface ServerDeps {
  /**
   * The SQLite store, for the routes that still read it directly; on another engine a stand-in that
   * refuses in one sentence (see `engineOnlyStore`).
   */
  store: Store
  /**
   * The store port every route and background job works through (docs/architecture.md, "The store
   * port"). Omitted on SQLite: the app makes it over `store` and the server's group commit, so route
   * writes and the port's share transactions.
   */
  attendStore?: AttendStore
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
