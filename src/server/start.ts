import type {FastifyInstance} from 'fastify'

import {AttendError} from '../errors.js'

import {buildApp, type AppOptions} from './app.js'
import type {ServerDeps} from './deps.js'

export interface StartOptions {
  host: string
  port: number
  /** PEM contents (not paths): HTTPS instead of HTTP. */
  tls?: {cert: string | Buffer; key: string | Buffer}
  logLevel?: string
  bodyLimit?: number
  requestTimeoutMs?: number
}

export interface RunningServer {
  app: FastifyInstance
  /** e.g. `http://0.0.0.0:8080` or `https://127.0.0.1:8443`, with the port actually bound. */
  url: string
  /**
   * Stops accepting connections, lets in-flight requests finish (each commits before it answers),
   * then stops the store's upkeep (SQLite: checkpoints the WAL into the store file). Safe to call
   * twice. Closing the store is the opener's job.
   */
  close(): Promise<void>
}

export async function startServer(deps: ServerDeps, options: StartOptions): Promise<RunningServer> {
  const appOptions: AppOptions = {logLevel: options.logLevel, bodyLimit: options.bodyLimit, requestTimeoutMs: options.requestTimeoutMs}
  if (options.tls) appOptions.https = {cert: options.tls.cert, key: options.tls.key}
  const app = await buildApp(deps, appOptions)
  try {
    await app.listen({host: options.host, port: options.port})
  } catch (error) {
    await app.close()
    throw describeListenError(options, error)
  }
  const address = app.server.address()
  const port = address && typeof address === 'object' ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`

  let closing: Promise<void> | undefined
  return {
    app,
    url,
    close() {
      closing ??= app.close()
      return closing
    },
  }
}

function describeListenError(options: StartOptions, error: unknown): Error {
  const code = (error as {code?: string}).code
  const where = `${options.host}:${options.port}`
  if (code === 'EADDRINUSE') return new AttendError(`Cannot listen on ${where}: the port is already in use (choose another with --port).`, {code: 'listen_failed', cause: error})
  if (code === 'EACCES') return new AttendError(`Cannot listen on ${where}: permission denied (ports below 1024 need privileges; try --port 8080).`, {code: 'listen_failed', cause: error})
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new AttendError(`Cannot listen on ${where}: ${options.host} is not an address of this machine.`, {code: 'listen_failed', cause: error})
  const message = error instanceof Error ? error.message : String(error)
  return new AttendError(`Cannot listen on ${where}: ${message}`, {code: 'listen_failed', cause: error})
}
