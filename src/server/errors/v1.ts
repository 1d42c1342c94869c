import type {FastifyInstance} from 'fastify'

import {describeRequestError, type RequestFailure} from './describe.js'

/** The v1 API's error body: `{"error":{"code","message","param","type"}}`. */
export interface V1ErrorBody {
  error: {code: string; message: string; param: string | null; type: string}
}

const TYPES: Record<number, string> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'validation_error',
  429: 'rate_limit_error',
}

export function v1ErrorBody(failure: Pick<RequestFailure, 'statusCode' | 'code' | 'message' | 'param'>): V1ErrorBody {
  const type = TYPES[failure.statusCode] ?? (failure.statusCode >= 500 ? 'api_error' : 'invalid_request_error')
  return {error: {code: failure.code, message: failure.message, param: failure.param, type}}
}

/**
 * Every failure under /v1 — auth, scope, rate limit, bad JSON, validation — in the v1 format, for a
 * plugin of the v1 family registered on its own (the reports route). A bug is logged, never shown.
 */
export function useV1Errors(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const failure = describeRequestError(error, request, app.initialConfig.bodyLimit)
    if (failure.internal) request.log.error({err: error}, 'request failed')
    return reply.code(failure.statusCode).headers(failure.headers).send(v1ErrorBody(failure))
  })
}
