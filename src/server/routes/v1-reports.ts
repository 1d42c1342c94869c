import type {FastifyInstance} from 'fastify'

import {
  buildHttpReport,
  DEFAULT_HTTP_REPORT_DAYS,
  HTTP_REPORT_PARAMS,
  parseHttpReportQuery,
  ReportParamError,
  type HttpReportQuery,
  type HttpReportRequest,
  type HttpReportResponse,
} from '../../reports/http.js'
import {reportThreadFor, ReportThreadError} from '../../reports/worker/report-thread.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {useV1Errors} from '../errors/v1.js'

export const V1_REPORTS_PATH = '/v1/reports/attendance'

/**
 * The v1 API's `GET /v1/reports/attendance`: the same summary report as `attend report summary`, as
 * `{data: report}` JSON, CSV or PDF (with a file name to save it under). Scoped like the rest of v1
 * (`read`); bad parameters — a period longer than the server allows among them — answer 400 and
 * unknown users or departments 404, in the v1 format with `param` naming the query parameter at
 * fault. Reports are built on the report thread (docs/architecture.md, "Reports"): the event loop
 * only validates the query and sends the answer.
 */
export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useV1Errors(app)
  const maxDays = deps.maxReportDays ?? DEFAULT_HTTP_REPORT_DAYS
  const store = app.attendStore
  const thread = reportThreadFor(store)
  if (thread) app.addHook('onClose', async () => thread.close())
  const build = (request: HttpReportRequest): Promise<HttpReportResponse> =>
    thread ? thread.run(request, deps.now()) : buildHttpReport(store, request, deps.now())

  app.get(V1_REPORTS_PATH, {onRequest: app.apiKeyGuard.hook(['bearer', 'x-api-key']), config: {scope: 'read'}}, async (request, reply) => {
    const query = request.query as HttpReportQuery & Record<string, unknown>
    const unknown = Object.keys(query).find((key) => !(HTTP_REPORT_PARAMS as readonly string[]).includes(key))
    if (unknown) {
      throw new HttpError(400, 'invalid_request', `Unknown query parameter "${unknown.slice(0, 80)}": expected ${HTTP_REPORT_PARAMS.join(', ')}.`, {param: unknown.slice(0, 80)})
    }
    let report: HttpReportResponse
    try {
      report = await build(parseHttpReportQuery(query, maxDays))
    } catch (error) {
      if (error instanceof ReportParamError) throw new HttpError(error.status, error.status === 404 ? 'not_found' : 'invalid_request', error.message, {param: error.param})
      if (error instanceof ReportThreadError) {
        request.log.error({err: error}, 'report thread failed')
        throw new HttpError(503, 'report_unavailable', 'The report could not be built right now; try again in a minute.', {headers: {'retry-after': '60'}})
      }
      throw error
    }
    reply.header('content-type', report.contentType)
    if (report.filename) reply.header('content-disposition', `attachment; filename="${report.filename}"`)
    return reply.send(report.body)
  })
}
