import {eq} from 'drizzle-orm'
import fs from 'node:fs'

import {openStore, type Store} from '../db/open.js'
import {imports} from '../db/schema.js'
import {AttendError, UsageError} from '../errors.js'
import {parseColumnsFlag, type ColumnOverrides} from '../formats/csv.js'
import {detectFormat, importFormats, type ImportFormat} from '../formats/detect.js'
import {ingestPunches} from '../punches/pipeline.js'
import type {CanonicalPunch, IngestOptions, RejectedRecord} from '../punches/types.js'
import {assertDateFormat, type DateFormat} from '../time/parse.js'
import {assertTimeZone} from '../time/zone.js'
import {ImportInput} from './input.js'
import {readRecords} from './readers.js'

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
   * Where `openStore` points. A dry run opens the store only when this file exists; otherwise it
   * uses the default settings and treats every punch as new, so a dry run never creates a file.
   */
  storePath?: string
}

export type ImportStatus = 'done' | 'partial' | 'failed'

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
  /** False when --strict found a bad line (or a file failed) and rolled everything back. */
  committed: boolean
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

interface ValidRequest {
  files: string[]
  format: ImportFormat | 'auto'
  device: string | null
  timezone: string | null
  dateFormat?: DateFormat
  columns?: ColumnOverrides
  strict: boolean
  dryRun: boolean
}

/** Punches per pipeline call: small, so the punches held in memory stay few. */
const DEFAULT_BATCH = 10_000
/**
 * Punches per commit. Each commit rewrites every index page it touched, so several pipeline calls
 * (each its own savepoint) share one transaction; a batch that fails rolls back alone.
 */
const COMMIT_EVERY = 50_000
const BULK_AUTOCHECKPOINT_PAGES = 16_384

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
 * `attend import`: streams each file through its format parser into the punch pipeline in batches
 * (one transaction each), so a file of millions of lines takes constant memory and a crash keeps
 * every committed batch (re-running is safe: duplicates are no-ops). `strict` wraps the whole run
 * in one transaction and rolls it back at the first bad line or failed file (every file's row is
 * then `failed`); `dryRun` writes nothing at all (no punch, no `imports` row, no new store file).
 * Every real run records each file in `imports`. A file that fails throws ImportAbortedError.
 */
export async function importPunchFiles(openSiteStore: () => Store, request: ImportRequest, options: ImportRunOptions): Promise<ImportSummary> {
  const valid = validateImportRequest(request)
  const missing = options.storePath !== undefined && options.storePath !== ':memory:' && !fs.existsSync(options.storePath)
  // No store yet means no registered device: refuse before creating the file.
  if (missing && valid.device) throw unknownDevice(valid.device)
  const scratch = valid.dryRun && missing
  // An empty in-memory store has the default settings and no punches: every punch counts as new.
  const store = scratch ? openStore(':memory:') : openSiteStore()
  try {
    return await importInto(store, valid, options)
  } finally {
    if (scratch) store.close()
  }
}

async function importInto(store: Store, valid: ValidRequest, options: ImportRunOptions): Promise<ImportSummary> {
  const keep = options.keepRejected ?? 20
  const summary: ImportSummary = {
    files: [], read: 0, stored: 0, duplicates: 0, unmapped: 0, rejected: 0, rejectedLines: [],
    dryRun: valid.dryRun, strict: valid.strict, committed: true,
  }
  let deviceId: number | null = null
  if (valid.device) {
    const device = store.sqlite.prepare('SELECT id FROM devices WHERE serial = ?').get(valid.device) as {id: number} | undefined
    // A typo would otherwise file every punch under a device key nothing else uses.
    if (!device) throw unknownDevice(valid.device)
    deviceId = device.id
  }

  // Import rows are written outside the strict transaction, so a rolled-back run is still on record.
  const runs = valid.files.map((file) => {
    if (valid.dryRun) return {file, importId: null}
    const row = store.db
      .insert(imports)
      .values({file: file === '-' ? 'stdin' : file, format: valid.format, deviceId, dryRun: valid.dryRun, status: 'running', startedAt: options.now})
      .returning({id: imports.id})
      .get()
    return {file, importId: row.id}
  })

  // A bulk load copies WAL pages into the database once at the end instead of every 1000 pages
  // (SQLite's default): the WAL may grow to ~64 MB meanwhile; readers such as `attend serve` are unaffected.
  let strictOpen = false
  let uncommitted = 0
  const autoCheckpoint = store.sqlite.pragma('wal_autocheckpoint', {simple: true}) as number
  if (!valid.dryRun) store.sqlite.pragma(`wal_autocheckpoint = ${BULK_AUTOCHECKPOINT_PAGES}`)
  try {
    return await runImport()
  } finally {
    if (!valid.dryRun) {
      store.sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
      if (!store.sqlite.inTransaction) store.sqlite.pragma('wal_checkpoint(PASSIVE)')
    }
  }

  async function runImport(): Promise<ImportSummary> {
    if (valid.strict && !valid.dryRun) {
      store.sqlite.exec('BEGIN IMMEDIATE')
      strictOpen = true
    }
    const dryRunSeen = new Set<string>()
    const finish = (run: ImportedFile, message: string | null): void => {
      if (run.importId === null) return
      store.db
        .update(imports)
        .set({
          format: run.format, status: run.status, read: run.read, stored: run.stored, duplicates: run.duplicates,
          unmapped: run.unmapped, rejected: run.rejected, message, finishedAt: options.now,
        })
        .where(eq(imports.id, run.importId))
        .run()
    }

    const done: Array<{run: ImportedFile; message: string | null}> = []
    try {
      for (const {file, importId} of runs) {
        const input = ImportInput.open(file, options.stdin)
        const run: ImportedFile = {importId, file: input.name, format: 'attlog', status: 'done', read: 0, stored: 0, duplicates: 0, unmapped: 0, rejected: 0}
        let message: string | null = null
        try {
          const sample = await input.peek()
          const detected = valid.format === 'auto' ? detectFormat(sample) : {format: valid.format, jsonLines: /^\s*\{[^\n]*\}\s*\r?\n\s*\{/.test(sample)}
          if (detected === null) {
            run.format = valid.format === 'auto' ? 'attlog' : valid.format
            message = 'empty file'
          } else {
            run.format = detected.format
            const ingestOptions: IngestOptions = {
              source: `import:${detected.format}`,
              now: options.now,
              defaultDeviceSerial: valid.device,
              fallbackDeviceKey: `import:${detected.format}`,
              timezone: valid.timezone,
              importId: importId ?? undefined,
              dryRun: valid.dryRun || (valid.strict && !strictOpen),
              dryRunSeen,
              duplicateIds: false,
              webhooks: options.webhooks,
            }
            const batches = readRecords(input, detected.format, {batchSize: options.batchSize ?? DEFAULT_BATCH, dateFormat: valid.dateFormat, columns: valid.columns, jsonLines: detected.jsonLines})
            for await (const batch of batches) {
              const punches: CanonicalPunch[] = []
              for (const record of batch) {
                run.read++
                if (record.ok) punches.push(record.punch)
                else reject(run, summary, keep, record.rejected)
              }
              if (valid.strict && strictOpen && run.rejected > 0) rollbackStrict()
              if (valid.strict && !strictOpen) {
                // After a strict failure the rest is only checked for bad lines.
                ingestOptions.dryRun = true
              }
              if (!valid.strict && !ingestOptions.dryRun && !store.sqlite.inTransaction) store.sqlite.exec('BEGIN IMMEDIATE')
              const result = ingestPunches(store, punches, ingestOptions)
              if (!valid.strict && store.sqlite.inTransaction) {
                uncommitted += punches.length
                if (uncommitted >= COMMIT_EVERY) commitGroup()
              }
              result.outcomes.forEach((outcome, i) => {
                if (outcome.status === 'rejected') {
                  reject(run, summary, keep, {line: punches[i].line ?? 0, reason: outcome.reason, raw: punches[i].raw ?? undefined})
                }
              })
              run.stored += result.stored
              run.duplicates += result.duplicates
              run.unmapped += result.unmapped
              if (valid.strict && strictOpen && result.rejected > 0) rollbackStrict()
              options.onProgress?.({file: input.name, bytesRead: input.bytesRead, totalBytes: input.size, read: run.read})
            }
          }
          run.status = run.rejected > 0 ? 'partial' : 'done'
        } catch (error) {
          run.status = 'failed'
          message = error instanceof Error ? error.message : String(error)
          done.push({run, message})
          summary.files.push(run)
          throw error
        }
        done.push({run, message})
        summary.files.push(run)
      }
    } catch (error) {
      if (valid.strict && !valid.dryRun) {
        rollbackStrict()
        summary.committed = false
        const failed = done.at(-1)?.run.file ?? 'a file'
        markRolledBack(`--strict: nothing stored because ${failed} failed`)
      }
      // Every pipeline call that returned is whole (a failing one rolled back its own savepoint).
      else commitGroup()
      for (const {run, message} of done) finish(run, message)
      markUnfinished(runs, done.map((d) => d.run.importId), 'not read: an earlier file failed')
      addTotals()
      throw new ImportAbortedError(summary, error)
    }

    if (strictOpen) {
      store.sqlite.exec('COMMIT')
      strictOpen = false
    }
    commitGroup()
    if (valid.strict && !summary.committed) markRolledBack(`--strict: nothing stored because ${summary.rejected} line(s) were rejected`)
    for (const {run, message} of done) finish(run, message)
    addTotals()
    return summary

    /** After a strict rollback no file stored anything, whatever its own outcome was. */
    function markRolledBack(why: string): void {
      for (const entry of done) {
        entry.run.stored = 0
        entry.run.duplicates = 0
        entry.run.unmapped = 0
        entry.run.status = 'failed'
        entry.message ??= why
      }
    }
  }

  function addTotals(): void {
    for (const run of summary.files) {
      summary.read += run.read
      summary.stored += run.stored
      summary.duplicates += run.duplicates
      summary.unmapped += run.unmapped
    }
  }

  function commitGroup(): void {
    if (!valid.strict && store.sqlite.inTransaction) store.sqlite.exec('COMMIT')
    uncommitted = 0
  }

  function rollbackStrict(): void {
    if (!strictOpen) return
    store.sqlite.exec('ROLLBACK')
    strictOpen = false
    summary.committed = false
  }

  function markUnfinished(all: Array<{importId: number | null}>, finished: Array<number | null>, message: string): void {
    for (const {importId} of all) {
      if (importId === null || finished.includes(importId)) continue
      store.db.update(imports).set({status: 'failed', message, finishedAt: options.now}).where(eq(imports.id, importId)).run()
    }
  }
}

function unknownDevice(serial: string): UsageError {
  return new UsageError(`Unknown device serial "${serial}": register it with attend devices add, or leave --device out.`, 'unknown_device')
}

function reject(run: ImportedFile, summary: ImportSummary, keep: number, record: RejectedRecord): void {
  run.rejected++
  summary.rejected++
  if (summary.rejectedLines.length < keep) summary.rejectedLines.push({file: run.file, ...record})
}
