import {quote, someOf} from './formats/input-policy.js'

/** Exit codes (docs/architecture.md, "Errors"): 0 ok, 1 failure, 2 usage, 3 partial. */
export const ExitCode = {ok: 0, failure: 1, usage: 2, partial: 3} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface AttendErrorOptions {
  exit?: ExitCodeValue
  code?: string
  /** The flag, argument, field or query parameter at fault, without dashes (`from`, `employee`, `email`). */
  param?: string
  /** Commands that help, as the sentence suggests them (`attend employees list`): for --json and UIs. */
  actions?: string[]
  cause?: unknown
}

/**
 * A failure the user can act on: one clear sentence naming the bad value. Services throw it; the
 * base command prints the message (no stack) and exits with `exit`; the HTTP families answer with
 * their status and format, taking the parameter at fault from `param` (never from the wording).
 * Anything else is a bug.
 */
export class AttendError extends Error {
  readonly exit: ExitCodeValue
  /** Machine-readable reason for HTTP error bodies and tests, e.g. `not_found`, `duplicate`. */
  readonly code: string
  readonly param: string | null
  readonly actions: readonly string[]

  constructor(message: string, options: AttendErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'AttendError'
    this.exit = options.exit ?? ExitCode.failure
    this.code = options.code ?? 'failed'
    this.param = options.param ?? null
    this.actions = options.actions ?? []
  }
}

type DetailOptions = Omit<AttendErrorOptions, 'exit' | 'code'>

/** Bad input from the caller (a flag value, a missing argument): exit 2. */
export class UsageError extends AttendError {
  constructor(message: string, code = 'invalid_input', options: DetailOptions = {}) {
    super(message, {...options, exit: ExitCode.usage, code})
    this.name = 'UsageError'
  }
}

export class NotFoundError extends AttendError {
  constructor(message: string, options: DetailOptions = {}) {
    super(message, {...options, exit: ExitCode.failure, code: 'not_found'})
    this.name = 'NotFoundError'
  }
}

export class ConflictError extends AttendError {
  constructor(message: string, options: DetailOptions = {}) {
    super(message, {...options, exit: ExitCode.failure, code: 'duplicate'})
    this.name = 'ConflictError'
  }
}

/** `--from` → `from`: the param of a flag as the user typed it. */
export function paramOf(name: string): string {
  return name.replace(/^-+/, '')
}

// ── One sentence per kind of failure. Every service says "unknown employee" these words. ──

/** An employee code that names nobody. `param` is the flag or field it came from. */
export function unknownEmployee(code: string, param = 'employee'): NotFoundError {
  return new NotFoundError(`Unknown employee code ${quote(code)}: see attend employees list.`, {param, actions: ['attend employees list']})
}

/** A department no employee belongs to; `known` lists the ones that exist. */
export function unknownDepartment(name: string, known: readonly string[], param = 'department'): NotFoundError {
  const list = known.length === 0 ? 'no employee has a department yet' : `known departments: ${someOf(known)}`
  return new NotFoundError(`Unknown department ${quote(name)}: ${list}.`, {param, actions: ['attend employees list']})
}

/** A serial no registered device has. */
export function unknownDevice(serial: string, param = 'device'): NotFoundError {
  return new NotFoundError(`Unknown device serial ${quote(serial)}: register it with attend devices add, or see attend devices list.`, {
    param,
    actions: ['attend devices add', 'attend devices list'],
  })
}

export function unknownShift(name: string, param = 'shift'): NotFoundError {
  return new NotFoundError(`Unknown shift ${quote(name)}: see attend shifts list.`, {param, actions: ['attend shifts list']})
}

export function unknownRoster(name: string, param = 'roster'): NotFoundError {
  return new NotFoundError(`Unknown roster ${quote(name)}: see attend rosters list.`, {param, actions: ['attend rosters list']})
}

/** A date that is not a real `YYYY-MM-DD` date; `why` says what is wrong with one that looks like one. */
export function invalidDate(value: string, name: string, why?: string): UsageError {
  return new UsageError(
    `Invalid ${name} ${quote(value)}: expected a real date written YYYY-MM-DD, such as 2026-03-02${why ? ` (${why})` : ''}.`,
    'invalid_date',
    {param: paramOf(name)},
  )
}

/** A period whose end comes before its start. */
export function backwardsRange(from: string, to: string, names: {from: string; to: string}): UsageError {
  return new UsageError(`${names.to} ${to} is before ${names.from} ${from}: the end of the period must not come before its start.`, 'invalid_range', {
    param: paramOf(names.to),
  })
}
