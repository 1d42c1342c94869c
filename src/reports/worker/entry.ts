/**
 * The report thread's code: its own read-only connection to the store, building one report per
 * message. Runs in a worker thread started by ReportThread (docs/architecture.md, "Reports").
 */
import {parentPort, workerData} from 'node:worker_threads'

import {openStore} from '../../db/open.js'
import {AttendError} from '../../errors.js'
import {buildHttpReport, ReportParamError} from '../http.js'
import type {ReportAnswer, ReportJob, ThreadFailure} from './protocol.js'

const port = parentPort!
const store = openStore((workerData as {storePath: string}).storePath, {readonly: true})

function failureOf(error: unknown): ThreadFailure {
  if (error instanceof ReportParamError) return {name: error.name, message: error.message, code: error.code, status: error.status, param: error.param}
  if (error instanceof AttendError) return {name: error.name, message: error.message, code: error.code}
  const code = (error as {code?: unknown}).code
  return {name: 'Error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined}
}

port.on('message', (job: ReportJob) => {
  buildHttpReport(store, job.request, job.now).then(
    (response) => {
      const body = typeof response.body === 'string' ? response.body : new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength)
      const answer: ReportAnswer = {id: job.id, ok: true, response: {...response, body}}
      // A PDF's bytes move to the server thread instead of being copied.
      port.postMessage(answer, typeof body === 'string' ? [] : [body.buffer as ArrayBuffer])
    },
    (error: unknown) => port.postMessage({id: job.id, ok: false, failure: failureOf(error)} satisfies ReportAnswer),
  )
})
