import fs from 'node:fs'

import {AttendError, UsageError} from '../errors.js'
import {parseColumnsFlag, type ColumnOverrides} from '../formats/csv.js'
import {importFormats, type ImportFormat} from '../formats/detect.js'
import type {RejectedRecord} from '../punches/types.js'
import {assertDateFormat, type DateFormat} from '../time/parse.js'
import {assertTimeZone} from '../time/zone.js'
import {scratchAttendStore} from '../store/scratch.js'
import type {AttendStore} from '../store/port.js'
import {ImportRunner} from './runner.js'

/** The request as typed on the command line; validated before the store is opened. */
export interface ImportRequest {
  files: string[]
  format?: string
  device?: string
  timezone?: string
  dateFormat?: string
  columns?: string
  strict?: boolean
  dryRun?: boolean
}

export interface ImportProgress {
  file: string
  bytesRead: number
  totalBytes: number | null
  read: number
}

export interface ImportRunOptions {
  now: number
  /** Punches per pipeline call (one transaction each). */
  batchSize?: number
  /** How many rejected lines the summary keeps (all are counted). */
  keepRejected?: number
  /** False: queue no webhook event for these punches (`--no-webhooks`, a historical back-fill). */
  webhooks?: boolean
  onProgress?: (progress: ImportProgress) => void
  stdin?: NodeJS.ReadableStream
  /**
   * The SQLite file the store is at (none for PostgreSQL). A dry run reads the store only when this
   * file exists; otherwise it uses the default settings and treats every punch as new, so a dry run
   * never creates a file.
   */
  storePath?: string
  /** Ctrl-C: the run stops after the slice being written and is recorded as interrupted. */
  signal?: AbortSignal
}

export type ImportStatus = 'done' | 'partial' | 'failed' | 'interrupted'

export interface ImportedFile {
  /** The `imports` row; null for a dry run, which records nothing. */
  importId: number | null
  file: string
  format: ImportFormat
  status: ImportStatus
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
}

export interface RejectedLine extends RejectedRecord {
  file: string
}

export interface ImportSummary {
  files: ImportedFile[]
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
  /** The first rejected lines (line number and reason), in file order. */
  rejectedLines: RejectedLine[]
  dryRun: boolean
  strict: boolean
  /** False when --strict found a bad line (or a file failed, or it was interrupted while checking) and stored nothing. */
  committed: boolean
  /** Stopped by a signal (Ctrl-C): the counts say what was read and stored until then. */
  interrupted: boolean
}

/**
 * A file that could not be read to the end (cut-off JSON, a CSV header without a user column…).
 * Same message and exit code as the cause; `summary` holds what the run did until then, so the
 * command can still print the files that were imported before the error.
 */
export class ImportAbortedError extends AttendError {
  constructor(
    readonly summary: ImportSummary,
    readonly failure: unknown,
  ) {
    const cause = failure instanceof Error ? failure : new Error(String(failure))
    super(cause.message, {
      exit: failure instanceof AttendError ? failure.exit : undefined,
      code: failure instanceof AttendError ? failure.code : 'import_failed',
      cause: failure,
    })
    this.name = 'ImportAbortedError'
  }
}

export interface ValidRequest {
  files: string[]
  format: ImportFormat | 'auto'
  device: string | null
  timezone: string | null
  dateFormat?: DateFormat
  columns?: ColumnOverrides
  strict: boolean
  dryRun: boolean
}

/** Checks flags and files so a typo never opens (or creates) the store. */
export function validateImportRequest(request: ImportRequest): ValidRequest {
  if (request.files.length === 0) throw new UsageError('Name at least one file to import (or - for stdin).', 'missing_file')
  const format = (request.format ?? 'auto').trim().toLowerCase()
  if (format !== 'auto' && !(importFormats as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${request.format}": expected auto, ${importFormats.join(', ')}.`, 'invalid_format')
  }
  if (request.files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be named only once.', 'invalid_file')
  for (const file of request.files) {
    if (file === '-') continue
    if (!fs.existsSync(file)) throw new UsageError(`File not found: ${file}.`, 'file_not_found')
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a punch log.`, 'invalid_file')
  }
  const device = request.device?.trim() || null
  return {
    files: request.files,
    format: format as ImportFormat | 'auto',
    device,
    timezone: request.timezone === undefined ? null : assertTimeZone(request.timezone.trim()),
    dateFormat: request.dateFormat === undefined ? undefined : assertDateFormat(request.dateFormat),
    columns: request.columns === undefined ? undefined : parseColumnsFlag(request.columns),
    strict: request.strict ?? false,
    dryRun: request.dryRun ?? false,
  }
}

/**
 * `attend import`: streams each file through its format parser into the punch pipeline in batches,
 * written in transactions of at most ~100 ms of work (see ImportRunner), so a file of millions of
 * lines takes constant memory, a concurrent `attend serve` keeps its write lock waits short, and a
 * crash keeps every committed slice (re-running is safe: duplicates are no-ops). `strict` checks
 * every file first and writes nothing when a line is rejected or a file fails (every file's row is
 * then `failed`); `dryRun` writes nothing at all (no punch, no `imports` row, no new store file).
 * Every real run records each file in `imports`; `signal` interrupts it between two slices (rows
 * `interrupted`, with their counts). A file that fails throws ImportAbortedError.
 */
export async function importPunchFiles(siteStore: AttendStore, request: ImportRequest, options: ImportRunOptions): Promise<ImportSummary> {
  const valid = validateImportRequest(request)
  const missing = options.storePath !== undefined && options.storePath !== ':memory:' && !fs.existsSync(options.storePath)
  // No store yet means no registered device: refuse before creating the file.
  if (missing && valid.device) throw unknownDevice(valid.device)
  const scratch = valid.dryRun && missing
  // An empty in-memory store has the default settings and no punches: every punch counts as new.
  const store = scratch ? scratchAttendStore(() => options.now) : siteStore
  try {
    return await importInto(store, valid, options)
  } finally {
    if (scratch) await store.close()
  }
}

async function importInto(store: AttendStore, valid: ValidRequest, options: ImportRunOptions): Promise<ImportSummary> {
  let deviceId: number | null = null
  if (valid.device) {
    deviceId = await store.imports.deviceId(valid.device)
    // A typo would otherwise file every punch under a device key nothing else uses.
    if (deviceId === null) throw unknownDevice(valid.device)
  }
  const runner = new ImportRunner(store, valid, options, deviceId)
  try {
    return await runner.run()
  } catch (error) {
    throw new ImportAbortedError(runner.summary, error)
  }
}

function unknownDevice(serial: string): UsageError {
  return new UsageError(`Unknown device serial "${serial}": register it with attend devices add, or leave --device out.`, 'unknown_device')
}
