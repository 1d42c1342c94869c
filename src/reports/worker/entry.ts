/**
 * The report thread's code: its own connection to the store — a read-only SQLite connection, or a
 * PostgreSQL pool of two — behind the store port, running one task (a report, a status page read)
 * per message. Runs in a worker thread started by ReportThread
 * (docs/architecture.md, "Reports").
 */
import {parentPort, workerData} from 'node:worker_threads'

import type {StoreLocation} from '../../db/location.js'
import {openStore} from '../../db/open.js'
import {openPgDatabase} from '../../db/pg/open.js'
import {AttendError} from '../../errors.js'
import {GroupCommit} from '../../server/group-commit.js'
import {pgAttendStore} from '../../store/pg/port.js'
import type {AttendStore} from '../../store/port.js'
import {sqliteAttendStore} from '../../store/sqlite/port.js'
import {ReportParamError} from '../http.js'
import type {ReportAnswer, ReportJob, ThreadFailure} from './protocol.js'
import {threadTasks} from './tasks.js'

const port = parentPort!
const location = (workerData as {location: StoreLocation}).location

/**
 * The thread's own port: on SQLite a read-only connection (the group commit it is given is never
 * used: every task only reads); on PostgreSQL a pool of two connections of its own, so a big report
 * never takes the connections the server's requests and /health use, and the server's migrations
 * are not run again.
 */
function openThreadStore(): Promise<AttendStore> {
  if (location.engine === 'postgres') return openPgDatabase(location.url, {max: 2, migrate: false}).then(pgAttendStore)
  const store = openStore(location.path, {readonly: true})
  return Promise.resolve(sqliteAttendStore(store, new GroupCommit(store)))
}

// Opened as the thread starts: a store it cannot open ends the thread, and the server answers the
// reports that were waiting as unavailable (ReportThreadError), then starts a new thread next time.
const opened = openThreadStore()
opened.catch((error: unknown) =>
  setImmediate(() => {
    throw error
  }),
)
const threadStore = () => opened

function failureOf(error: unknown): ThreadFailure {
  if (error instanceof ReportParamError) return {name: error.name, message: error.message, code: error.code, status: error.status, param: error.param}
  if (error instanceof AttendError) return {name: error.name, message: error.message, code: error.code}
  const code = (error as {code?: unknown}).code
  return {name: 'Error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined}
}

port.on('message', (job: ReportJob) => {
  const task = threadTasks[job.task] as (store: AttendStore, input: unknown, now: number) => unknown
  threadStore()
    .then((store) => task(store, job.input, job.now))
    .then(
      (value) => {
        const body = (value as {body?: unknown} | null)?.body
        if (!Buffer.isBuffer(body)) return port.postMessage({id: job.id, ok: true, value} satisfies ReportAnswer)
        // A PDF's bytes move to the server thread instead of being copied.
        const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
        port.postMessage({id: job.id, ok: true, value: {...(value as object), body: bytes}} satisfies ReportAnswer, [bytes.buffer as ArrayBuffer])
      },
      (error: unknown) => port.postMessage({id: job.id, ok: false, failure: failureOf(error)} satisfies ReportAnswer),
    )
})
