import type {FastifyError, FastifyRequest} from 'fastify'

import {AttendError} from '../../errors.js'
import {quote} from '../../formats/input-policy.js'
import {HttpError} from './http-error.js'

/** A failure reduced to what every family's error format needs. */
export interface RequestFailure {
  statusCode: number
  code: string
  message: string
  param: string | null
  headers: Record<string, string>
  /** True for failures that are our bug, not the caller's: logged with their stack, never shown. */
  internal: boolean
}

interface ValidationIssue {
  instancePath?: string
  message?: string
  keyword?: string
  params?: Record<string, unknown>
}

/**
 * Turns anything a route, a hook, fastify's body parsing or schema validation threw into one
 * sentence naming what was wrong, with a 4xx status; only genuine bugs become a 500 (without the
 * stack, which goes to the log).
 */
export function describeRequestError(error: unknown, request: FastifyRequest, bodyLimit?: number): RequestFailure {
  if (error instanceof HttpError) {
    return {statusCode: error.statusCode, code: error.code, message: error.message, param: error.param, headers: error.headers, internal: false}
  }
  if (error instanceof AttendError) {
    const statusCode = error.code === 'not_found' ? 404 : error.code === 'duplicate' ? 409 : error.exit === 2 ? 400 : 422
    return {statusCode, code: error.code, message: error.message, param: error.param, headers: {}, internal: false}
  }

  const fastifyError = error as Partial<FastifyError> & {validation?: ValidationIssue[]; validationContext?: string}
  if (Array.isArray(fastifyError.validation) && fastifyError.validation.length > 0) {
    return describeValidation(fastifyError.validation[0], fastifyError.validationContext ?? 'body')
  }

  const base = {param: null, headers: {}, internal: false}
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {...base, statusCode: 400, code: 'invalid_json', message: 'The request body is not valid JSON.'}
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {...base, statusCode: 400, code: 'empty_body', message: 'The request body is empty; expected a JSON object.'}
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'] ?? '(none)'
      return {...base, statusCode: 415, code: 'unsupported_media_type', message: `Unsupported Content-Type ${quote(type)}: send application/json.`}
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions.bodyLimit ?? bodyLimit
      return {...base, statusCode: 413, code: 'body_too_large', message: `The request body is larger than the limit of ${limit} bytes.`}
    }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {...base, statusCode: 400, code: 'invalid_content_length', message: 'The request body size does not match its Content-Length header.'}
    default:
      break
  }

  const statusCode = fastifyError.statusCode
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // fastify's own 4xx (bad URL, forbidden __proto__ in JSON, aborted body …): its sentence is safe
    // to show, shortened like every quoted value.
    const message = error instanceof SyntaxError ? `The request body is not valid JSON: ${quote(error.message).slice(1, -1)}.` : quote(String(fastifyError.message), 200).slice(1, -1)
    return {...base, statusCode, code: 'invalid_request', message}
  }
  if (typeof fastifyError.code === 'string' && fastifyError.code.startsWith('SQLITE_')) {
    // The store failed (locked past the busy timeout, disk full, damaged): nothing was stored, and
    // the client should keep its punches and send them again, which is what 503 + Retry-After says.
    return {
      ...base,
      statusCode: 503,
      code: 'store_unavailable',
      message: 'The attendance store could not be written, so nothing was stored; send the request again later.',
      headers: {'retry-after': String(STORE_RETRY_AFTER_SECONDS)},
      internal: true,
    }
  }
  return {...base, statusCode: 500, code: 'internal_error', message: 'Internal server error; the request was not processed.', internal: true}
}

/** How long a client should wait before resending after a store failure. */
const STORE_RETRY_AFTER_SECONDS = 30

function describeValidation(issue: ValidationIssue, context: string): RequestFailure {
  const where = context === 'querystring' ? 'query parameter' : context === 'body' ? 'field' : context
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.')
  let param = path || null
  let message: string
  if (issue.keyword === 'required' && typeof issue.params?.missingProperty === 'string') {
    param = path ? `${path}.${issue.params.missingProperty}` : issue.params.missingProperty
    message = `Missing required ${where}: ${param}`
  } else if (issue.keyword === 'additionalProperties' && typeof issue.params?.additionalProperty === 'string') {
    param = path ? `${path}.${issue.params.additionalProperty}` : issue.params.additionalProperty
    message = `Unknown ${where}: ${param}`
  } else if (param) {
    message = `The ${where} ${param} ${issue.message ?? 'is invalid'}`
  } else {
    message = `The request ${context} ${issue.message ?? 'is invalid'}`
  }
  return {statusCode: 400, code: 'invalid_request', message, param, headers: {}, internal: false}
}
