import {dashboardThreadTasks} from '../../server/dashboard/thread-tasks.js'
import type {AttendStore} from '../../store/port.js'
import {buildHttpReport, type HttpReportRequest} from '../http.js'

/**
 * What the report thread can be asked to do, by name: every task only reads, on the thread's own
 * own connection — read-only on SQLite, a small pool of its own on PostgreSQL (docs/architecture.md, "Reports"). A task whose answer carries a `body` of
 * bytes (a PDF) has them moved to the server thread rather than copied.
 */
export const threadTasks = {
  /** GET /v1/reports/attendance and the status page's downloads. */
  report: (store: AttendStore, input: HttpReportRequest, now: number) => buildHttpReport(store, input, now),
  ...dashboardThreadTasks,
}

export type ThreadTasks = typeof threadTasks
export type ThreadTaskName = keyof ThreadTasks
export type ThreadTaskInput<N extends ThreadTaskName> = Parameters<ThreadTasks[N]>[1]
export type ThreadTaskResult<N extends ThreadTaskName> = Awaited<ReturnType<ThreadTasks[N]>>
