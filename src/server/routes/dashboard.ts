/**
 * The status page (`GET /` and `/dashboard`): today's figures, who is in, live punches, devices and
 * the month, for people who never open a terminal. Read-only; signed in with an API key that has
 * the `read` scope, kept as a session cookie; every read runs on a report thread
 * (docs/architecture.md, "Status page"). `attend serve --no-dashboard` turns it off.
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'
import fs from 'node:fs'

import {buildHttpReport, DEFAULT_HTTP_REPORT_DAYS, ReportParamError, type HttpReportRequest} from '../../reports/http.js'
import {reportThreadFor, ReportThreadError} from '../../reports/worker/report-thread.js'
import {threadTasks} from '../../reports/worker/tasks.js'
import {assetsDir, fillTemplate, loadPublicAssets} from '../dashboard/assets.js'
import {downloadRequest} from '../dashboard/downloads.js'
import {DashboardHub, MAX_STREAMS, type TaskRunner} from '../dashboard/hub.js'
import {DashboardSessions} from '../dashboard/sessions.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import type {Family} from '../kit/family.js'

export const DASHBOARD_PATH = '/dashboard'

/**
 * No inline script or style anywhere, and nothing from another origin: the page's own script builds
 * every element with text nodes, so a name such as `<img src=x onerror=…>` can only ever be text.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

/** Where a signed-in browser goes back to: the page it signed in on, never a URL it was handed. */
const PAGES = ['/', DASHBOARD_PATH]

export const dashboardFamily: Family = {
  name: 'dashboard',
  // `/` is served too, but only its own route: what the parser or the router cannot place still
  // answers in the plain JSON of paths nobody owns.
  paths: [DASHBOARD_PATH],
  render: (failure) => `${failure.message}\n`,
  hint: `the status page is GET ${DASHBOARD_PATH}`,
  async routes(app, {deps}) {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(SECURITY_HEADERS)
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
      return payload
    })
    if (deps.dashboard === false) return turnedOff(app)
    await statusPage(app, deps)
  },
}

function turnedOff(app: FastifyInstance): void {
  const off = async () => {
    throw new HttpError(404, 'dashboard_off', 'The status page is turned off on this server (attend serve was started with --no-dashboard).')
  }
  for (const path of [...PAGES, `${DASHBOARD_PATH}/*`]) app.all(path, off)
}

async function statusPage(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const sessions = new DashboardSessions(app, deps)
  const assets = loadPublicAssets()
  const pageHtml = fs.readFileSync(`${assetsDir}index.html`, 'utf8')
  const signInHtml = fs.readFileSync(`${assetsDir}sign-in.html`, 'utf8')
  const maxDays = deps.maxReportDays ?? DEFAULT_HTTP_REPORT_DAYS

  // Two threads: the page's reads are short and frequent, and must not wait behind a year of PDF.
  const store = app.attendStore
  const reads = reportThreadFor(store)
  const downloads = reportThreadFor(store)
  const run: TaskRunner = (task, input) =>
    reads ? reads.task(task, input, deps.now()) : (threadTasks[task](store, input as never, deps.now()) as never)
  const build = (request: HttpReportRequest) => (downloads ? downloads.run(request, deps.now()) : buildHttpReport(store, request, deps.now()))
  const hub = new DashboardHub(run, deps.now, (error) => app.log.warn({err: error}, 'status page: live update failed'))
  app.addHook('preClose', async () => hub.close())
  app.addHook('onClose', async () => {
    await reads?.close()
    await downloads?.close()
  })

  app.addContentTypeParser('application/x-www-form-urlencoded', {parseAs: 'string', bodyLimit: 8192}, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  const signInPage = (reply: FastifyReply, next: string, message = '', status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(fillTemplate(signInHtml, {message, next, hidden: message ? '' : 'hidden'}))

  const signedIn = async (request: FastifyRequest) => {
    const session = await sessions.current(request)
    if (!session) throw new HttpError(401, 'signed_out', 'Sign in to the status page first.')
    return session
  }

  for (const path of PAGES) {
    app.get(path, async (request, reply) => {
      if (!(await sessions.current(request))) return signInPage(reply, path)
      return reply.type('text/html; charset=utf-8').send(pageHtml)
    })
  }

  // Typed by hand, the address often ends in a slash.
  app.get(`${DASHBOARD_PATH}/`, async (_request, reply) => reply.code(308).header('location', DASHBOARD_PATH).send())

  app.post(`${DASHBOARD_PATH}/sign-in`, async (request, reply) => {
    refuseCrossSite(request)
    const form = formOf(request.body)
    const next = PAGES.includes(form.next ?? '') ? form.next! : DASHBOARD_PATH
    try {
      const cookie = await sessions.signIn(request, form.key)
      return reply.code(303).header('set-cookie', cookie).header('location', next).send()
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      reply.headers(error.headers)
      return signInPage(reply, next, error.message, error.statusCode)
    }
  })

  app.post(`${DASHBOARD_PATH}/sign-out`, async (request, reply) => {
    refuseCrossSite(request)
    const cookie = await sessions.signOut(request)
    return reply.code(303).header('set-cookie', cookie).header('location', DASHBOARD_PATH).send()
  })

  app.get(`${DASHBOARD_PATH}/api/state`, async (request, reply) => {
    const session = await signedIn(request)
    const snapshot = await unavailableOnThreadFailure(() => hub.state())
    return reply.type('application/json; charset=utf-8').send({signed_in_as: session.keyName, ...snapshot})
  })

  // A stream and a file have no use for HEAD.
  app.get(`${DASHBOARD_PATH}/events`, {exposeHeadRoute: false}, async (request, reply) => {
    const session = await signedIn(request)
    if (hub.streamCount >= MAX_STREAMS) {
      throw new HttpError(503, 'too_many_pages', `The status page is open in ${MAX_STREAMS} places already; close one and reload.`, {headers: {'retry-after': '30'}})
    }
    reply.hijack()
    const response = reply.raw
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx and other buffering proxies hold a stream back otherwise.
      'x-accel-buffering': 'no',
    })
    // Reconnect after three seconds when the stream drops.
    response.write('retry: 3000\n\n')
    try {
      await hub.open({response, stillSignedIn: async () => (await sessions.check(session.idHash)) !== null})
    } catch (error) {
      request.log.warn({err: error}, 'status page: live feed could not start')
      response.end('event: unavailable\ndata: {}\n\n')
    }
  })

  app.get(`${DASHBOARD_PATH}/download`, {exposeHeadRoute: false}, async (request, reply) => {
    await signedIn(request)
    const query = request.query as Record<string, unknown>
    let report
    try {
      report = await build(downloadRequest(query, maxDays))
    } catch (error) {
      if (error instanceof ReportParamError) throw new HttpError(error.status, error.code, error.message, {param: error.param})
      throw threadFailure(error)
    }
    reply.header('content-type', report.contentType)
    if (report.filename) reply.header('content-disposition', `attachment; filename="${report.filename}"`)
    return reply.send(report.body)
  })

  app.get(`${DASHBOARD_PATH}/assets/:file`, async (request, reply) => {
    const asset = assets.get((request.params as {file: string}).file)
    if (!asset) throw new HttpError(404, 'not_found', 'No such file on the status page.')
    reply.header('cache-control', 'no-cache').header('etag', asset.etag)
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
    return reply.type(asset.contentType).send(asset.body)
  })
}

function formOf(body: unknown): {key?: string; next?: string} {
  if (typeof body !== 'object' || body === null) throw new HttpError(400, 'invalid_form', 'Send the sign-in form as application/x-www-form-urlencoded, with the API key in "key".')
  const {key, next} = body as Record<string, unknown>
  return {key: typeof key === 'string' ? key : undefined, next: typeof next === 'string' ? next : undefined}
}

/**
 * Another site cannot sign a browser in or out: a form posted from elsewhere carries its origin.
 * (The session cookie is SameSite=Strict, so it never rides along on such a post anyway.)
 */
function refuseCrossSite(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site']
  const origin = request.headers.origin
  let foreign: boolean
  // Fetch metadata says it outright; older browsers only send Origin ("null" when hidden).
  if (site !== undefined) foreign = site !== 'same-origin' && site !== 'none'
  else if (origin === undefined) foreign = false
  else foreign = origin === 'null' || hostOf(origin) !== request.headers.host
  if (foreign) throw new HttpError(403, 'cross_site', 'Sign-in and sign-out are accepted only from the status page itself.')
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

function threadFailure(error: unknown): unknown {
  if (error instanceof ReportThreadError) {
    return new HttpError(503, 'report_unavailable', 'The report could not be built right now; try again in a minute.', {headers: {'retry-after': '60'}})
  }
  return error
}

async function unavailableOnThreadFailure<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw threadFailure(error)
  }
}
