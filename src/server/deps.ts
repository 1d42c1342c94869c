import type {AttendStore} from '../store/port.js'

/** What every route family needs, passed explicitly so tests can pin the clock and the store. */
export interface ServerDeps {
  /**
   * The store port every route and background job works through, whichever engine holds the store
   * (docs/architecture.md, "The store port"). On SQLite its writes go through the server's group
   * commit, which the port's opener made (src/store/open.ts).
   */
  attendStore: AttendStore
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
