import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import {describeRequestError, type RequestFailure} from './describe.js'

/** Renders a failure as one family's error body (seed 000 `{success,message}`, v1 `{error:{…}}`, …). */
export type FailureRenderer = (failure: RequestFailure, request: FastifyRequest) => unknown

/**
 * Installs a family's error handler on its encapsulated plugin: every thrown error, bad JSON, wrong
 * content type, oversize body, schema violation, auth and rate-limit failure leaves in the family's
 * format. A bug (500) is logged with its stack; the caller sees only a sentence.
 */
export function useFamilyErrors(app: FastifyInstance, render: FailureRenderer): void {
  app.setErrorHandler((error, request, reply) => sendFailure(reply, describeRequestError(error, request, app.initialConfig.bodyLimit), render, error))
}

export function sendFailure(reply: FastifyReply, failure: RequestFailure, render: FailureRenderer, cause?: unknown): FastifyReply {
  if (failure.internal) reply.request.log.error({err: cause}, 'request failed')
  return reply.code(failure.statusCode).headers(failure.headers).send(render(failure, reply.request))
}
