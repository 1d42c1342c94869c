import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import {quote} from '../../formats/input-policy.js'
import type {ServerDeps} from '../deps.js'
import {describeRequestError, type RequestFailure} from '../errors/describe.js'
import {HttpError} from '../errors/http-error.js'

/** Renders a failure as one family's error body (the worker attendance API's `{success,message}`, v1 `{error:{…}}`, …). */
export type FailureRenderer = (failure: RequestFailure, request: FastifyRequest) => unknown

/**
 * An API family: the paths it owns and its error format, declared once. Everything the server
 * answers on those paths — its routes' errors, the router's 404 and 405, fastify's body errors,
 * even node's HTTP-parser errors (431, malformed requests) — leaves in this format, because the
 * family's clients understand nothing else (docs/architecture.md, "Families").
 */
export interface Family {
  name: string
  /** Exact paths and folders (a folder owns everything under it) whose answers are this family's. */
  paths: readonly string[]
  render: FailureRenderer
  /** The CAMS gateway retries anything but 200 and holds its queue meanwhile: failures answer 200. */
  alwaysOk?: boolean
  /** Plain-text families (the ZKTeco push protocol) answer with this Content-Type, errors included. */
  contentType?: string
  /** Where a client that asked for an unknown path should look, appended to the 404 sentence. */
  hint: string
  /** A body limit of its own (ZKTeco backlogs and templates are megabytes). */
  bodyLimit?: number
  /** Device firmware labels bodies as it likes: every body arrives as a raw string. */
  rawBody?: boolean
  /** Registers the family's routes inside its own encapsulated scope. */
  routes(scope: FastifyInstance, context: FamilyContext): Promise<void>
}

/** What a family's routes get besides their scope. */
export interface FamilyContext {
  deps: ServerDeps
  /** The 404 or 405 (with Allow) for a request no route of the family matched. */
  unmatched(request: FastifyRequest): HttpError
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route that only answers methods no other route takes (after the family's own checks, such
     * as an API key): not counted among the methods a 405's Allow header lists.
     */
    unmatched?: boolean
  }
}

/** Methods registered per path, filled as routes are added: a wrong method on a known path is a 405. */
export class RouteTable {
  private readonly methods = new Map<string, Set<string>>()

  add(url: string, method: string | string[], config?: {unmatched?: boolean}): void {
    if (config?.unmatched) return
    let set = this.methods.get(url)
    if (!set) this.methods.set(url, (set = new Set()))
    // HEAD comes with every GET (fastify adds it): Allow names the methods a client would choose.
    for (const m of Array.isArray(method) ? method : [method]) if (m.toUpperCase() !== 'HEAD') set.add(m.toUpperCase())
  }

  /** `GET, HEAD, POST` for a known path; undefined for a path no route serves. */
  allowed(path: string): string | undefined {
    const set = this.methods.get(path) ?? this.methods.get(path.replace(/\/+$/, ''))
    return set ? [...set].sort().join(', ') : undefined
  }
}

export function pathOf(url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? url : url.slice(0, at)
}

function owns(family: Family, path: string): boolean {
  return family.paths.some((folder) => path === folder || path.startsWith(`${folder}/`) || path.startsWith(`${folder}.`))
}

/** The family whose paths contain `path`, else the fallback (plain JSON naming the path). */
export function familyOf(families: readonly Family[], path: string): Family {
  return families.find((family) => owns(family, path)) ?? fallbackFamily
}

/** Everything outside the families: a plain JSON error naming the path. */
export const fallbackFamily: Family = {
  name: 'other',
  paths: [],
  render: (failure, request) => ({error: failure.statusCode === 404 ? 'Not found' : failure.message, path: shortPath(pathOf(request.url))}),
  hint: 'see the attend serve documentation for the paths it serves',
  routes: async () => {},
}

/** A path as sentences quote it. */
export function shortPath(path: string): string {
  return quote(path).slice(1, -1)
}

/** The 404 (unknown path) or 405 (known path, other method, with Allow) for an unmatched request. */
export function unmatched(family: Family, routes: RouteTable, request: FastifyRequest): HttpError {
  const path = pathOf(request.url)
  const allow = routes.allowed(path)
  if (allow) {
    // A path a route serves is not a bad value: it is named whole.
    return new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${path}: use ${allow}.`, {headers: {allow}})
  }
  return new HttpError(404, 'route_not_found', `Unknown route: ${request.method} ${shortPath(path)}: ${family.hint}.`)
}

/** Sends a failure in `family`'s format (HTTP 200 for an always-OK family). A bug is logged, never shown. */
export function sendFamilyFailure(family: Family, reply: FastifyReply, failure: RequestFailure, cause?: unknown): FastifyReply {
  if (failure.internal) reply.request.log.error({err: cause}, 'request failed')
  const body = family.render(failure, reply.request)
  if (family.contentType) reply.type(family.contentType)
  if (family.alwaysOk) return reply.code(200).send(body)
  return reply.code(failure.statusCode).headers(failure.headers).send(body)
}

/** The error handler of a family's scope: anything thrown there leaves in the family's format. */
export function familyErrorHandler(family: Family, bodyLimit: number) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    sendFamilyFailure(family, reply, describeRequestError(error, request, request.routeOptions.bodyLimit ?? bodyLimit), error)
}
