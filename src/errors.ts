/** Exit codes of DESIGN §6. */
export const ExitCode = {ok: 0, failure: 1, usage: 2, partial: 3} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * A failure the user can act on: one clear sentence naming the bad value. Services throw it; the
 * base command prints the message (no stack) and exits with `exit`. Anything else is a bug.
 */
export class AttendError extends Error {
  readonly exit: ExitCodeValue
  /** Machine-readable reason for HTTP error bodies and tests, e.g. `not_found`, `duplicate`. */
  readonly code: string

  constructor(message: string, options: {exit?: ExitCodeValue; code?: string; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'AttendError'
    this.exit = options.exit ?? ExitCode.failure
    this.code = options.code ?? 'failed'
  }
}

/** Bad input from the caller (a flag value, a missing argument): exit 2. */
export class UsageError extends AttendError {
  constructor(message: string, code = 'invalid_input') {
    super(message, {exit: ExitCode.usage, code})
    this.name = 'UsageError'
  }
}

export class NotFoundError extends AttendError {
  constructor(message: string) {
    super(message, {exit: ExitCode.failure, code: 'not_found'})
    this.name = 'NotFoundError'
  }
}

export class ConflictError extends AttendError {
  constructor(message: string) {
    super(message, {exit: ExitCode.failure, code: 'duplicate'})
    this.name = 'ConflictError'
  }
}
