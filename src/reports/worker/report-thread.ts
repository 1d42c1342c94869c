import {Worker} from 'node:worker_threads'

import type {StoreLocation} from '../../db/location.js'
import {AttendError} from '../../errors.js'
import {ReportParamError, type HttpReportRequest, type HttpReportResponse} from '../http.js'
import type {ReportAnswer, ReportJob, ThreadFailure} from './protocol.js'
import type {ThreadTaskInput, ThreadTaskName, ThreadTaskResult} from './tasks.js'

/** The report thread could not build a report (it failed to start, or stopped): not the request's fault. */
export class ReportThreadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReportThreadError'
  }
}

/**
 * Builds the server's reports on a thread of their own, with its own connection (read-only on SQLite, a small pool on PostgreSQL), so a
 * year of PDF for a thousand people never holds the event loop: health checks and every ingest
 * family go on answering meanwhile (docs/architecture.md, "Reports"). One thread, started with the
 * first report and ended with the server; jobs queue in it. A thread that dies fails the reports it
 * was building, and the next report starts a new one.
 */
export class ReportThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>()

  constructor(private readonly location: StoreLocation) {}

  run(request: HttpReportRequest, now: number): Promise<HttpReportResponse> {
    return this.task('report', request, now)
  }

  /** Any task of the thread's registry (src/reports/worker/tasks.ts), queued behind the others. */
  task<N extends ThreadTaskName>(task: N, input: ThreadTaskInput<N>, now: number): Promise<ThreadTaskResult<N>> {
    const worker = this.worker ?? this.start()
    const job: ReportJob = {id: this.nextId++, task, input, now}
    return new Promise<ThreadTaskResult<N>>((resolve, reject) => {
      this.pending.set(job.id, {resolve: resolve as (value: unknown) => void, reject})
      worker.ref()
      worker.postMessage(job)
    })
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    for (const job of this.pending.values()) job.reject(new ReportThreadError('The server stopped before the report was built.'))
    this.pending.clear()
    if (worker) await worker.terminate()
  }

  private start(): Worker {
    const worker = spawnEntry(this.location)
    this.worker = worker
    worker.unref()
    worker.on('message', (answer: ReportAnswer) => {
      const job = this.pending.get(answer.id)
      if (!job) return
      this.pending.delete(answer.id)
      // Idle, the thread must not keep a stopping server's process alive.
      if (this.pending.size === 0) worker.unref()
      if (answer.ok) job.resolve(withBufferBody(answer.value))
      else job.reject(errorOf(answer.failure))
    })
    // Every pending job went to the current thread; a thread already replaced has failed its own.
    const fail = (error: Error) => {
      if (this.worker !== worker) return
      this.worker = undefined
      for (const job of this.pending.values()) job.reject(error)
      this.pending.clear()
    }
    worker.on('error', (error) => fail(new ReportThreadError(`The report thread failed: ${error.message}`)))
    worker.on('exit', (code) => fail(new ReportThreadError(`The report thread stopped (exit code ${code}).`)))
    return worker
  }
}

/**
 * A report thread on the port's store, or null for a SQLite store held in memory, which has no file
 * a second connection could open (its reports are built on the caller's thread).
 */
export function reportThreadFor(store: {location: StoreLocation}): ReportThread | null {
  const {location} = store
  return location.engine === 'sqlite' && location.path === ':memory:' ? null : new ReportThread(location)
}

/** Bytes that crossed the thread boundary as a Uint8Array are a Buffer again, as the task returned them. */
function withBufferBody(value: unknown): unknown {
  const body = (value as {body?: unknown} | null)?.body
  if (!(body instanceof Uint8Array) || Buffer.isBuffer(body)) return value
  return {...(value as object), body: Buffer.from(body.buffer, body.byteOffset, body.byteLength)}
}

function errorOf(failure: ThreadFailure): Error {
  if (failure.status && failure.param) return new ReportParamError(failure.message, failure.status, failure.code ?? 'invalid_request', failure.param)
  // A store failure keeps SQLite's code, which the server answers with 503 + Retry-After.
  if (failure.code?.startsWith('SQLITE_')) return Object.assign(new Error(failure.message), {code: failure.code})
  if (failure.code) return new AttendError(failure.message, {code: failure.code})
  return new Error(failure.message)
}

/**
 * The thread runs the built entry.js; from the TypeScript sources (tests, bin/dev.js) it runs
 * entry.ts through tsx, which Node 20 does not apply to a worker's first module by itself.
 */
function spawnEntry(location: StoreLocation): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(fromSource ? './entry.ts' : './entry.js', import.meta.url)
  if (!fromSource) return new Worker(entry, {workerData: {location}})
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({register}) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(bootstrap, {eval: true, workerData: {location}})
}
