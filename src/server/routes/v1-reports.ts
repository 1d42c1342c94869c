import type {FastifyInstance} from 'fastify'

import {AttendError, NotFoundError, UsageError} from '../../errors.js'
import {summaryReportForHttp, type HttpReportQuery} from '../../reports/http.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {useV1Errors} from '../errors/v1.js'

export const V1_REPORTS_PATH = '/v1/reports/attendance'

const PARAMS = ['start_date', 'end_date', 'user_id', 'department', 'format'] as const

/**
 * Seed 001 `GET /v1/reports/attendance`: the same summary report as `attend report summary`, as
 * `{data: report}` JSON, CSV or PDF (with a file name to save it under). Scoped like the rest of v1
 * (`read`); bad parameters answer 400 and unknown users or departments 404, in the v1 format with
 * `param` naming the query parameter at fault.
 */
export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useV1Errors(app)
  app.get(V1_REPORTS_PATH, {onRequest: app.apiKeyGuard.hook(['bearer', 'x-api-key']), config: {scope: 'read'}}, async (request, reply) => {
    const query = request.query as HttpReportQuery & Record<string, unknown>
    const unknown = Object.keys(query).find((key) => !(PARAMS as readonly string[]).includes(key))
    if (unknown) {
      throw new HttpError(400, 'invalid_request', `Unknown query parameter "${unknown}": expected ${PARAMS.join(', ')}.`, {param: unknown})
    }
    let report
    try {
      report = await summaryReportForHttp(deps.store, query, deps.now())
    } catch (error) {
      throw toHttpError(error)
    }
    reply.header('content-type', report.contentType)
    if (report.filename) reply.header('content-disposition', `attachment; filename="${report.filename}"`)
    return reply.send(report.body)
  })
}

/** The reports service's names for what it was given (`AttendError.param`) → this route's query parameters. */
const QUERY_PARAM: Record<string, (typeof PARAMS)[number]> = {employee: 'user_id', department: 'department', from: 'start_date', to: 'end_date'}

function toHttpError(error: unknown): unknown {
  if (!(error instanceof AttendError)) return error
  const param = error.param === null ? null : (QUERY_PARAM[error.param] ?? error.param)
  if (error instanceof NotFoundError) return new HttpError(404, 'not_found', error.message, {param})
  if (error instanceof UsageError) return new HttpError(400, 'invalid_request', error.message, {param})
  return error
}
