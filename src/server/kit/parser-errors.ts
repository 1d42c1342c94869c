import type {FastifyReply, FastifyRequest} from 'fastify'
import http from 'node:http'
import type {Socket} from 'node:net'

import type {RequestFailure} from '../errors/describe.js'
import {familyOf, pathOf, sendFamilyFailure, shortPath, type Family} from './family.js'

/** Node's own limit on the request line plus headers (`--max-http-header-size`, 16 KiB by default). */
const HEADER_LIMIT = http.maxHeaderSize

interface ParserError extends Error {
  code?: string
  reason?: string
  rawPacket?: unknown
}

const base = {param: null, headers: {}, internal: false}

/** What node's HTTP parser refused, as a failure every family can render. */
function describeParserError(error: ParserError): RequestFailure {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {...base, statusCode: 431, code: 'headers_too_large', message: `The request line and headers are larger than ${HEADER_LIMIT} bytes: send a shorter URL and fewer headers.`}
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {...base, statusCode: 408, code: 'request_timeout', message: 'The request was not received in full in time; send it again.'}
  }
  const detail = (error.reason ?? error.code ?? 'unreadable').replace(/\.$/, '')
  return {...base, statusCode: 400, code: 'malformed_request', message: `The request is not valid HTTP (${detail}).`}
}

/** `METHOD /path` of the request the parser choked on, when its first line is readable. */
function requestLine(packet: unknown): {method: string; url: string} {
  const head = Buffer.isBuffer(packet) ? packet.subarray(0, 8192).toString('latin1') : ''
  const match = /^([A-Z]{1,16}) (\S{1,8000})/.exec(head)
  return match ? {method: match[1], url: match[2]} : {method: 'GET', url: '/'}
}

/**
 * Node's 'clientError' handler (fastify's clientErrorHandler option): a request the HTTP parser
 * refuses — headers or URL over the limit (431), bytes that are not HTTP (400), a client too slow to
 * send its request (408) — is answered in the format of the family its path belongs to, with
 * Connection: close, instead of node's bare status line or fastify's generic JSON.
 */
export function parserErrorHandler(families: readonly Family[]) {
  return (error: ParserError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const line = requestLine(error.rawPacket)
    const family = familyOf(families, pathOf(line.url))
    const failure = describeParserError(error)
    const request = {method: line.method, url: line.url} as FastifyRequest
    const rendered = family.render(failure, request)
    const status = family.alwaysOk ? 200 : failure.statusCode
    const body = typeof rendered === 'string' ? rendered : JSON.stringify(rendered)
    const type = family.contentType ?? (typeof rendered === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
          `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nDate: ${new Date().toUTCString()}\r\nConnection: close\r\n\r\n${body}`,
      )
    }
    socket.destroy()
  }
}

/**
 * fastify's frameworkErrors option: a URL the router cannot decode (bad percent-encoding) is a 400
 * in the family's format, naming the URL (shortened), not fastify's generic JSON.
 */
export function frameworkErrorHandler(families: readonly Family[]) {
  return (error: {code?: string; message: string}, request: FastifyRequest, reply: FastifyReply): void => {
    const path = pathOf(request.url)
    const family = familyOf(families, path)
    const failure: RequestFailure =
      error.code === 'FST_ERR_BAD_URL'
        ? {...base, statusCode: 400, code: 'bad_url', message: `The URL path ${shortPath(path)} is not valid: a % must start a percent-encoded byte such as %20.`}
        : {...base, statusCode: 400, code: 'bad_request', message: 'The request could not be routed.'}
    sendFamilyFailure(family, reply, failure, error)
  }
}
