import {Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {describeLocation} from '../db/location.js'
import {readTlsFiles} from '../server/tls.js'
import {openAttendStore} from '../store/open.js'
import type {AttendStore} from '../store/port.js'

export interface ServeResult {
  url: string
  store: string
  stoppedBy: string
}

export default class Serve extends AttendCommand {
  static override summary = 'Run the HTTP server that devices and integrations send punches to.'
  static override description = `Speaks every API family: the worker attendance API (POST /api/biometric/attendance, API key), the v1 API (/v1/users, /v1/devices, /v1/attendance, Bearer API key), CAMS HTTP and callback, push-log, the ZKTeco push protocol (/iclock/*) and GET /health. Request logs are JSON lines (pino) on stdout.

Listens on every interface by default, because terminals on the LAN must reach it; use --host 127.0.0.1 behind a reverse proxy. SIGINT or SIGTERM finishes in-flight requests, checkpoints and closes the store. A new store is created; its site time zone is UTC until attend init sets it.

The status page is at / (and /dashboard): today's figures, who is in, live punches, devices and the month's reports, for anyone with an API key that has the read scope (attend keys create --name wall-screen --scopes read). --no-dashboard turns it off.

--pull-every SECONDS also pulls every active agent-mode device on that timer (as attend pull does), one pull per device at a time, so one process serves push and agent devices.

Webhooks (attend webhooks add) are delivered in the background as events happen, with retries; devices not seen within device-offline-after (attend config) are announced offline. Several servers, or a cron attend webhooks deliver next to the server, never send the same attempt twice.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 8080 --log-level warn',
    '<%= config.bin %> <%= command.id %> --host 127.0.0.1 --port 8443 --tls-cert cert.pem --tls-key key.pem',
    '<%= config.bin %> <%= command.id %> --pull-every 300',
    '<%= config.bin %> <%= command.id %> --db postgres://attend@db.example/attend --port 8081',
  ]

  private async parseFlags() {
    return this.parse(Serve)
  }

  // The result arrives only when the server stops: JSON output would be of no use to anyone.
  static override enableJsonFlag = false

  static override createsStore = true

  static override flags = {
    host: Flags.string({description: 'Address to listen on (0.0.0.0 = every interface).', default: '0.0.0.0', env: 'ATTEND_HOST'}),
    port: Flags.integer({description: 'TCP port (0 = any free port).', default: 8080, min: 0, max: 65535, env: 'ATTEND_PORT'}),
    'tls-cert': Flags.string({description: 'PEM certificate file: serve HTTPS (needs --tls-key).'}),
    'tls-key': Flags.string({description: 'PEM private key file for --tls-cert.'}),
    'max-report-days': Flags.integer({
      description: 'Longest period a report over HTTP may cover (GET /v1/reports/attendance answers 400 beyond it).',
      default: 366,
      min: 1,
      max: 3660,
      env: 'ATTEND_MAX_REPORT_DAYS',
    }),
    'log-level': Flags.string({
      description: 'Request log level.',
      options: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    }),
    dashboard: Flags.boolean({
      description: 'Serve the status page at / and /dashboard (sign-in with a read API key); --no-dashboard turns it off.',
      default: true,
      allowNo: true,
    }),
    'pull-every': Flags.integer({description: 'Also pull agent-mode devices every SECONDS.', helpValue: 'SECONDS', min: 1}),
  }

  async run(): Promise<ServeResult> {
    const {flags} = await this.parseFlags()
    const tls = readTlsFiles(flags['tls-cert'], flags['tls-key'])
    const location = this.storeLocation(flags.db)
    // Opened at once rather than lazily, whichever the engine: an unreachable database fails before
    // listening, and the server's background jobs use every section's methods, optional ones included.
    const deferred: {log?: (error: unknown, what: string) => void} = {}
    const port = await openAttendStore(location, {
      sqliteStore: () => this.store(flags.db),
      now: () => this.now(),
      onDeferredError: (error, what) => deferred.log?.(error, what),
    })
    try {
      return await this.serve(flags, {port, deferred, where: describeLocation(location), tls})
    } finally {
      await port.close()
    }
  }

  private async serve(
    flags: Awaited<ReturnType<Serve['parseFlags']>>['flags'],
    {port, deferred, where, tls}: {port: AttendStore; deferred: {log?: (error: unknown, what: string) => void}; where: string; tls: ReturnType<typeof readTlsFiles>},
  ): Promise<ServeResult> {
    const pullEvery = flags['pull-every']

    // Lazy: fastify and the routes load only here, so `attend --help` stays fast.
    const {startServer} = await import('../server/start.js')
    const {startWebhookWorker} = await import('../webhooks/background.js')
    const {httpSender} = await import('../webhooks/sender.js')
    const server = await startServer(
      {attendStore: port, now: () => this.now(), version: this.config.version, startedAt: Date.now(), maxReportDays: flags['max-report-days'], dashboard: flags.dashboard},
      {host: flags.host, port: flags.port, tls, logLevel: flags['log-level']},
    )
    const log = server.app.log
    deferred.log = (error, what) => log.warn({err: error}, `could not ${what}`)
    const webhooks = startWebhookWorker(server.app.attendStore, {
      send: httpSender(`attend/${this.config.version}`),
      now: () => this.now(),
      onAttempt: (a) => {
        const entry = {webhook: {id: a.webhookId, delivery: a.deliveryId, event: a.eventId, type: a.eventType, attempt: a.attempt, status: a.status, ms: a.durationMs, outcome: a.verdict.kind}}
        if (a.verdict.kind === 'delivered') log.debug(entry, 'webhook delivered')
        else log.warn(entry, `webhook attempt failed: ${a.verdict.reason}${a.disabled ? ' (endpoint disabled)' : ''}`)
      },
      onError: (error, what) => log.error({err: error}, `could not ${what}`),
    })
    const puller = pullEvery === undefined ? undefined : (await import('../agent/poller.js')).startPuller(port, {
      intervalMs: pullEvery * 1000,
      now: () => this.now(),
      onResult: (result) => (result.ok ? server.app.log.info({pull: result}, 'agent pull') : server.app.log.warn({pull: result}, `agent pull failed: ${result.serial}: ${result.error}`)),
      onError: (error) => server.app.log.error({err: error}, 'agent pull'),
    })

    const zone = (await port.siteSettings.read()).timezone
    this.logToStderr(await port.directory.isInitialized()
      ? `attend serve: site time zone ${zone}`
      : `attend serve: site time zone ${zone} (not set yet: attend init --timezone ZONE sets it)`)
    if (flags.dashboard) this.logToStderr(`attend serve: status page at ${server.url}/ (sign in with an API key that has the read scope)`)
    // Last, right before the signal handlers: a supervisor (or a test) that sees this line may stop us.
    this.logToStderr(`attend serve: listening on ${server.url} (store ${where})`)
    const stoppedBy = await new Promise<string>((resolve, reject) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        this.logToStderr(`attend serve: ${signal} received, finishing in-flight requests`)
        Promise.all([puller?.stop(), webhooks.stop()])
          .then(() => server.close())
          .then(() => resolve(signal), reject)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    this.logToStderr(port.engine === 'sqlite' ? 'attend serve: stopped; store checkpointed' : 'attend serve: stopped')
    return {url: server.url, store: where, stoppedBy}
  }
}
