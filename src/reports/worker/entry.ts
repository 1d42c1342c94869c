/**
 * The report thread's code: its own connection to the store — a read-only SQLite connection, or a
 * PostgreSQL pool of two — behind the store port, running one task (a report, a status page read)
 * per message. Runs in a worker thread started by ReportThread
 * (docs/architecture.md, "Reports").
 */
import {parentPort, workerData} from 'node:worker_threads'

import type {StoreLocation} from '../../db/location.js'
import {AttendError} from '../../errors.js'
import {openReaderAttendStore} from '../../store/open.js'
import type {AttendStore} from '../../store/port.js'
import {ReportParamError} from '../http.js'
import type {ReportAnswer, ReportJob, ThreadFailure} from './protocol.js'
import {threadTasks} from './tasks.js'

const port = parentPort!
const location = (workerData as {location: StoreLocation}).location

// Opened as the thread starts: a store it cannot open ends the thread, and the server answers the
// reports that were waiting as unavailable (ReportThreadError), then starts a new thread next time.
const opened = openReaderAttendStore(location)
opened.catch((error: unknown) =>
  setImmediate(() => {
    throw error
  }),
)

function failureOf(error: unknown): ThreadFailure {
  if (error instanceof ReportParamError) return {name: error.name, message: error.message, code: error.code, status: error.status, param: error.param}
  if (error instanceof AttendError) return {name: error.name, message: error.message, code: error.code}
  const code = (error as {code?: unknown}).code
  return {name: 'Error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined}
}

port.on('message', (job: ReportJob) => {
  const task = threadTasks[job.task] as (store: AttendStore, input: unknown, now: number) => unknown
  // A store that could not be opened answers nothing: the thread is ending (above), and the server
  // fails the waiting jobs as unavailable, whichever came first, the job or the failure.
  opened.then((store) => run(job, () => task(store, job.input, job.now)), () => undefined)
})

function run(job: ReportJob, work: () => unknown): void {
  Promise.resolve()
    .then(work)
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
}
