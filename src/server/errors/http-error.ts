/**
 * A request failure a route family turns into its own error body. Thrown from hooks and handlers;
 * each family's error handler decides the shape (`{success:false,message}`, `{error:{…}}`, …), so the
 * same auth or rate-limit failure reads naturally in every family.
 */
export class HttpError extends Error {
  readonly statusCode: number
  /** Machine-readable reason, e.g. `missing_api_key`, `invalid_request`, `rate_limited`. */
  readonly code: string
  /** The request field at fault, when there is one (v1 reports it as `param`). */
  readonly param: string | null
  /** Extra response headers (Retry-After, Allow, …). */
  readonly headers: Record<string, string>

  constructor(statusCode: number, code: string, message: string, options: {param?: string | null; headers?: Record<string, string>} = {}) {
    super(message)
    this.name = 'HttpError'
    this.statusCode = statusCode
    this.code = code
    this.param = options.param ?? null
    this.headers = options.headers ?? {}
  }
}
