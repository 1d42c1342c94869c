import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import fs from 'node:fs'
import path from 'node:path'

import type {Store} from './db/open.js'
import {openStore} from './db/open.js'
import {assertStoreExists, describeLocation, resolveStoreLocation, type ResolvedStoreLocation} from './db/location.js'
import {AttendError, ExitCode, UsageError} from './errors.js'
import {pageNote, type Page} from './listing/page.js'
import {lazyAttendStore} from './store/lazy.js'
import {openAttendStore} from './store/open.js'
import type {AttendStore} from './store/port.js'

/**
 * What every attend command shares: the `--db` flag, `--json`, opening (and always closing) the
 * store, "now" for services, and mapping AttendError to one clear stderr line and its exit code.
 */
// oclif's FlagOutput/ArgOutput, which its public entry points do not export.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FlagOutput = {[name: string]: any}
type ArgOutput = FlagOutput

export abstract class AttendCommand extends Command {
  static override baseFlags = {
    db: Flags.string({
      description: 'The store: a SQLite file path or a postgres:// URL (default: $ATTEND_DB, else attend.db in the data directory).',
      helpGroup: 'GLOBAL',
    }),
  }

  static override enableJsonFlag = true

  /**
   * Whether this command may create a store that does not exist yet. Only `init` (which also
   * creates missing folders) and `serve` do: for any other command a missing file is a typo'd
   * `--db` or `ATTEND_DB`, and quietly creating an empty store there would hide the data it meant.
   */
  static createsStore: boolean | 'with-folders' = false

  private openedStore?: Store
  private openedPort?: AttendStore

  /** Opens the store once per command run; closed in `finally`. */
  protected store(dbFlag: string | undefined): Store {
    if (!this.openedStore) {
      const location = this.sqliteLocation(dbFlag)
      const creates = (this.constructor as typeof AttendCommand).createsStore
      if (!creates) assertStoreExists(location)
      else if (creates === 'with-folders' || location.from === 'default') fs.mkdirSync(path.dirname(location.path), {recursive: true})
      this.openedStore = openStore(location.path)
    }
    return this.openedStore
  }

  /**
   * The store through the asynchronous port, on SQLite or PostgreSQL (docs/architecture.md, "The
   * store port"): commands written against it run on both engines. Opened once, on the first
   * operation (so flags are checked before a missing store is reported); closed in `finally`.
   */
  protected attendStore(dbFlag: string | undefined): AttendStore {
    if (!this.openedPort) {
      const location = this.storeLocation(dbFlag)
      this.openedPort = lazyAttendStore(location.engine, () =>
        openAttendStore(location, {sqliteStore: () => this.store(dbFlag), now: () => this.now()}),
      )
    }
    return this.openedPort
  }

  /** The store path this run uses, without opening it. */
  protected storePath(dbFlag: string | undefined): string {
    return this.sqliteLocation(dbFlag).path
  }

  /** The SQLite file of this run's store, or undefined when it is a PostgreSQL database. */
  protected sqliteFile(dbFlag: string | undefined): string | undefined {
    const location = this.storeLocation(dbFlag)
    return location.engine === 'sqlite' ? location.path : undefined
  }

  /** Where the store of this run lives, SQLite file or PostgreSQL URL, without opening it. */
  protected storeLocation(dbFlag: string | undefined): ResolvedStoreLocation {
    return resolveStoreLocation(dbFlag, process.env, this.config.dataDir)
  }

  /**
   * The services behind most commands still take a synchronous SQLite store; a PostgreSQL URL is
   * refused here with one sentence rather than opened as a file named "postgres:".
   */
  private sqliteLocation(dbFlag: string | undefined): Extract<ResolvedStoreLocation, {engine: 'sqlite'}> {
    const location = this.storeLocation(dbFlag)
    if (location.engine === 'sqlite') return location
    throw new AttendError(
      `attend ${this.id?.replaceAll(':', ' ') ?? 'this command'} does not run on PostgreSQL yet (${describeLocation(location)}). Copy the store to a SQLite file with attend db copy to use it here.`,
      {code: 'engine_unsupported'},
    )
  }

  /**
   * "Now" for services. `ATTEND_NOW` (an ISO instant) pins it, so a cron job can re-run yesterday's
   * report exactly as it ran then, and tests get fixed dates.
   */
  protected now(): number {
    const pinned = process.env.ATTEND_NOW
    if (pinned) {
      const value = Date.parse(pinned)
      if (Number.isNaN(value)) this.error(`ATTEND_NOW "${pinned}" is not an ISO 8601 instant.`, {exit: ExitCode.usage})
      return value
    }
    return Date.now()
  }

  /**
   * A value that a flag or argument parser refuses (e.g. `Args.integer` given "abc") is a usage
   * error, exit 2, like oclif's own parse errors; oclif reports such a thrown Error with exit 1.
   */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      if (error instanceof AttendError) {
        // oclif rewrites a flag parser's message as "Parsing --from \n\t…\nSee more help with --help";
        // our parsers' sentences already name the flag.
        error.message = FLAG_PARSE_WRAPPER.exec(error.message)?.[1] ?? error.message
        throw error
      }
      if (error instanceof Errors.CLIError || !(error instanceof Error)) throw error
      throw new UsageError(error.message)
    }
  }

  /** Under a table that shows part of the matches: which part, and how to see more. */
  protected logPage(page: Page & {rows: readonly unknown[]}): void {
    const note = pageNote(page, page.rows.length)
    if (note) this.log(note)
  }

  /** Marks the run as partial (some input rejected): exit 3 after the output has been printed. */
  protected partial(): void {
    process.exitCode = ExitCode.partial
  }

  /**
   * Errors are one sentence on stderr with their exit code (docs/architecture.md, "Errors"), also under `--json` (where
   * oclif alone would print only a JSON object on stdout and exit 1): scripts get the JSON error
   * on stdout and the right exit code, people get the sentence.
   */
  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    const exit = exitCodeOf(error)
    if (this.jsonEnabled()) {
      process.exitCode = exit
      const details = error instanceof AttendError
        ? {code: error.code, param: error.param, actions: error.actions}
        : {code: 'failed', param: null, actions: []}
      this.logJson({error: {message: error.message, ...details, exit}})
      process.stderr.write(`Error: ${error.message}\n`)
      return undefined
    }
    if (error instanceof AttendError) {
      return super.catch(new Errors.CLIError(error.message, {exit: error.exit}) as Interfaces.CommandError)
    }
    return super.catch(error)
  }

  /** Plain JSON: oclif's default re-tokenizes it for colour, which costs start-up time and pipes. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.openedPort?.close()
    this.openedPort = undefined
    this.openedStore?.close()
    this.openedStore = undefined
    return super.finally(error)
  }
}

const FLAG_PARSE_WRAPPER = /^Parsing --\S+ \n\t([\s\S]*)\nSee more help with --help$/

function exitCodeOf(error: Interfaces.CommandError): number {
  if (error instanceof AttendError) return error.exit
  const oclifExit = (error as {oclif?: {exit?: number}}).oclif?.exit
  if (typeof oclifExit === 'number') return oclifExit
  return typeof error.exitCode === 'number' ? error.exitCode : ExitCode.failure
}
