import type {FastifyInstance} from 'fastify'

import {HttpError} from './errors/http-error.js'

/**
 * Device firmware sends whatever Content-Type it likes (none, text/plain, form-urlencoded, JSON
 * with a charset fastify rejects): inside a device family's encapsulated plugin every body arrives
 * as a raw string (still within the body limit), so the route decides what "malformed" means and
 * answers in its own format instead of fastify's default 400/415.
 */
export function useRawBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', {parseAs: 'string'}, (_request, body, done) => done(null, body))
}

/** The request body as text ('' when none was sent). */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body
  if (Buffer.isBuffer(body)) return body.toString('utf8')
  return ''
}

/**
 * Parses a JSON body read by `useRawBody`, throwing a 400 HttpError that names the problem: an
 * empty body, or invalid JSON with the parser's own position detail.
 */
export function parseJsonBody(body: unknown, expected: string): unknown {
  const text = bodyText(body).replace(/^\uFEFF/, '')
  if (!text.trim()) throw new HttpError(400, 'empty_body', `The request body is empty: expected ${expected}.`)
  try {
    return JSON.parse(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\.$/, '') : 'unreadable'
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON (${detail}): expected ${expected}.`)
  }
}

/** A header's value, trimmed; the first one when a client repeats it. */
export function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? ''
}
