import {eq} from 'drizzle-orm'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {Store} from '../db/open.js'
import {perConnection} from '../db/prepared.js'
import {imports} from '../db/schema.js'
import {detectFormat} from '../formats/detect.js'
import {ingestPunches, newIngestCache, rejectedPunches} from '../punches/pipeline.js'
import type {CanonicalPunch, IngestOptions, IngestResult, RejectedRecord} from '../punches/types.js'
import {ImportInput} from './input.js'
import {readRecords} from './readers.js'
import type {ImportedFile, ImportRunOptions, ImportSummary, ValidRequest} from './service.js'
import {SliceWriter} from './slices.js'

/** One file of the run and its `imports` row (null for a dry run). */
interface FileRun {
  file: string
  importId: number | null
  /** A copy of stdin, read again by --strict's write pass. */
  spool?: string
}

/** One pass over a file: its counts, and what the `imports` row says when it ends. */
interface Pass {
  run: ImportedFile
  message: string | null
}

/** The run was interrupted (Ctrl-C): unwinds the passes, then the run is recorded as such. */
class Interrupted extends Error {}

/**
 * One `attend import` run over its files (docs/architecture.md, "Import"). Files are read and parsed
 * with no transaction open; punches are written through the one pipeline in slices of at most
 * SLICE_MS of work (SliceWriter), so a concurrent `attend serve` never waits long for the write
 * lock. `--strict` reads every file once to check it, writing nothing, and writes only when no line
 * was rejected. A signal stops the run between two slices, and its row says `interrupted` with what
 * was stored.
 */
export class ImportRunner {
  private readonly keep: number
  private readonly writer: SliceWriter
  private readonly dryRunSeen = new Set<string>()
  readonly summary: ImportSummary
  private files: FileRun[] = []

  constructor(
    private readonly store: Store,
    private readonly valid: ValidRequest,
    private readonly options: ImportRunOptions,
    private readonly deviceId: number | null,
  ) {
    this.keep = options.keepRejected ?? 20
    this.writer = new SliceWriter(store)
    this.summary = {
      files: [], read: 0, stored: 0, duplicates: 0, unmapped: 0, rejected: 0, rejectedLines: [],
      dryRun: valid.dryRun, strict: valid.strict, committed: true, interrupted: false,
    }
  }

  /**
   * Runs the import; a file that cannot be read to the end throws (after the rows are written),
   * with the summary of what was done until then available as `summary`.
   */
  async run(): Promise<ImportSummary> {
    const {store, valid} = this
    // Each row commits on its own, before any punch: a run that stops is still on record.
    this.files = valid.files.map((file) => ({
      file,
      importId: valid.dryRun
        ? null
        : store.db
            .insert(imports)
            .values({file: file === '-' ? 'stdin' : file, format: valid.format, deviceId: this.deviceId, dryRun: false, status: 'running', startedAt: this.options.now})
            .returning({id: imports.id})
            .get().id,
    }))
    const restore = valid.dryRun ? () => {} : bulkMode(store)
    try {
      if (valid.strict && !valid.dryRun) await this.strict()
      else await this.eachFile([], 'write')
    } catch (error) {
      // An interruption is an outcome, not a failure: the summary says what was stored.
      if (!(error instanceof Interrupted)) throw error
    } finally {
      restore()
      for (const file of this.files) if (file.spool) fs.rmSync(path.dirname(file.spool), {recursive: true, force: true})
    }
    return this.summary
  }

  /** --strict: check every file without writing, then write them only if nothing was rejected. */
  private async strict(): Promise<void> {
    const checked: Pass[] = []
    await this.eachFile(checked, 'check')
    if (this.summary.rejected > 0) {
      this.summary.committed = false
      this.rolledBack(checked, `--strict: nothing stored because ${this.summary.rejected} line(s) were rejected`)
      this.finish(checked)
      return
    }
    // Every line passed: read the files again and write them.
    this.summary.files = []
    this.summary.rejectedLines = []
    await this.eachFile([], 'write')
  }

  /**
   * Reads each file and checks or writes its punches; records every file's row at the end, also
   * when a file fails (the others then say why they were not read) or the run is interrupted.
   */
  private async eachFile(passes: Pass[], mode: 'check' | 'write'): Promise<void> {
    try {
      for (const file of this.files) {
        const pass: Pass = {run: this.newRun(file), message: null}
        passes.push(pass)
        this.summary.files.push(pass.run)
        try {
          await this.readFile(file, pass, mode)
          pass.run.status = pass.run.rejected > 0 ? 'partial' : 'done'
        } catch (error) {
          if (error instanceof Interrupted) throw error
          pass.run.status = 'failed'
          pass.message = error instanceof Error ? error.message : String(error)
          throw error
        }
      }
    } catch (error) {
      const interrupted = error instanceof Interrupted
      if (interrupted) {
        this.summary.interrupted = true
        const current = passes.at(-1)
        if (current) {
          current.run.status = 'interrupted'
          current.message = 'interrupted'
        }
      }
      if (mode === 'check') {
        // Nothing was written yet: say why nothing will be.
        this.summary.committed = false
        this.rolledBack(passes, interrupted ? '--strict: nothing stored because the import was interrupted' : `--strict: nothing stored because ${passes.at(-1)?.run.file ?? 'a file'} failed`)
      }
      this.finish(passes)
      this.markUnread(passes, error instanceof Interrupted ? 'not read: the import was interrupted' : 'not read: an earlier file failed', error instanceof Interrupted ? 'interrupted' : 'failed')
      throw error
    }
    if (mode === 'write') this.finish(passes)
  }

  private newRun(file: FileRun): ImportedFile {
    return {importId: file.importId, file: file.file === '-' ? 'stdin' : file.file, format: 'attlog', status: 'done', read: 0, stored: 0, duplicates: 0, unmapped: 0, rejected: 0}
  }

  private async readFile(file: FileRun, pass: Pass, mode: 'check' | 'write'): Promise<void> {
    const {valid, options} = this
    const {run} = pass
    // --strict reads stdin twice: the check pass keeps a copy to write from.
    let spoolTo: string | undefined
    if (file.file === '-' && mode === 'check') {
      file.spool = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attend-import-')), 'stdin')
      spoolTo = file.spool
    }
    const input = file.spool && mode === 'write' ? ImportInput.open(file.spool, undefined, {name: 'stdin'}) : ImportInput.open(file.file, options.stdin, {spoolTo})
    try {
      const sample = await input.peek()
      const detected = valid.format === 'auto' ? detectFormat(sample) : {format: valid.format, jsonLines: /^\s*\{[^\n]*\}\s*\r?\n\s*\{/.test(sample)}
      if (detected === null) {
        run.format = valid.format === 'auto' ? 'attlog' : valid.format
        pass.message = 'empty file'
        return
      }
      run.format = detected.format
      const ingestOptions: IngestOptions = {
        source: `import:${detected.format}`,
        now: options.now,
        defaultDeviceSerial: valid.device,
        fallbackDeviceKey: `import:${detected.format}`,
        timezone: valid.timezone,
        importId: file.importId ?? undefined,
        dryRun: valid.dryRun,
        dryRunSeen: this.dryRunSeen,
        duplicateIds: false,
        webhooks: options.webhooks,
        // The run reports counts and rejected lines, never a stored punch's id.
        countOnly: true,
        // Each device and device user of the file is resolved once, not once per batch.
        cache: newIngestCache(),
      }
      const batches = readRecords(input, detected.format, {batchSize: options.batchSize ?? DEFAULT_BATCH, dateFormat: valid.dateFormat, columns: valid.columns, jsonLines: detected.jsonLines})
      for await (const batch of batches) {
        if (options.signal?.aborted) throw new Interrupted()
        const punches: CanonicalPunch[] = []
        for (const record of batch) {
          run.read++
          if (record.ok) punches.push(record.punch)
          else this.reject(run, record.rejected)
        }
        if (mode === 'check') {
          for (const {index, reason} of rejectedPunches(this.store, punches, ingestOptions)) this.reject(run, rejection(punches[index], reason))
        } else {
          const result = valid.dryRun
            ? ingestPunches(this.store, punches, ingestOptions)
            : await this.writer.write(punches, ingestOptions, (sofar) => this.recordProgress(run, sofar))
          this.account(run, punches, result)
        }
        options.onProgress?.({file: input.name, bytesRead: input.bytesRead, totalBytes: input.size, read: run.read})
      }
    } finally {
      await input.close()
    }
  }

  private account(run: ImportedFile, punches: readonly CanonicalPunch[], result: IngestResult): void {
    for (const {index, reason} of result.rejections ?? []) this.reject(run, rejection(punches[index], reason))
    run.stored += result.stored
    run.duplicates += result.duplicates
    run.unmapped += result.unmapped
  }

  private reject(run: ImportedFile, record: RejectedRecord): void {
    run.rejected++
    this.summary.rejected++
    if (this.summary.rejectedLines.length < this.keep) this.summary.rejectedLines.push({file: run.file, ...record})
  }

  /** Inside each write slice: the row's counts as of that commit (a killed run leaves real ones). */
  private recordProgress(run: ImportedFile, sofar: IngestResult): void {
    if (run.importId === null) return
    // Prepared once: a query builder per slice costs more than the update it runs.
    progressStatement(this.store).run(run.read, run.stored + sofar.stored, run.duplicates + sofar.duplicates, run.unmapped + sofar.unmapped, run.rejected + sofar.rejected, run.importId)
  }

  /** After a strict refusal no file stored anything, whatever its own outcome was. */
  private rolledBack(passes: Pass[], why: string): void {
    for (const pass of passes) {
      pass.run.stored = 0
      pass.run.duplicates = 0
      pass.run.unmapped = 0
      if (pass.run.status === 'interrupted') pass.message = why
      else pass.run.status = 'failed'
      pass.message ??= why
    }
  }

  /** Writes each pass's row and adds the files' counts to the summary's totals. */
  private finish(passes: Pass[]): void {
    for (const {run, message} of passes) {
      if (run.importId !== null) {
        this.store.db
          .update(imports)
          .set({
            format: run.format, status: run.status, read: run.read, stored: run.stored,
            duplicates: run.duplicates, unmapped: run.unmapped, rejected: run.rejected, message, finishedAt: this.options.now,
          })
          .where(eq(imports.id, run.importId))
          .run()
      }
    }
    const summary = this.summary
    summary.read = summary.stored = summary.duplicates = summary.unmapped = 0
    for (const run of summary.files) {
      summary.read += run.read
      summary.stored += run.stored
      summary.duplicates += run.duplicates
      summary.unmapped += run.unmapped
    }
  }

  /** Rows of files the run never reached. */
  private markUnread(passes: Pass[], message: string, status: 'failed' | 'interrupted'): void {
    const reached = new Set(passes.map((p) => p.run.importId))
    for (const {importId} of this.files) {
      if (importId === null || reached.has(importId)) continue
      this.store.db.update(imports).set({status, message, finishedAt: this.options.now}).where(eq(imports.id, importId)).run()
    }
  }
}

const progressStatement = perConnection((sqlite) =>
  sqlite.prepare<[number, number, number, number, number, number]>('UPDATE imports SET read = ?, stored = ?, duplicates = ?, unmapped = ?, rejected = ? WHERE id = ?'),
)

/**
 * Records parsed ahead of the pipeline: small, so they are stored and dropped while V8 still holds
 * them in its young generation. At 10 000 a batch outlived a collection and was copied into the
 * old generation, which cost a third of the parsing (docs/architecture.md, "Import").
 */
const DEFAULT_BATCH = 2_000
/** WAL pages between automatic checkpoints during a bulk load (SQLite's default is 1 000). */
const BULK_AUTOCHECKPOINT_PAGES = 16_384
/**
 * The import connection's page cache, in KiB (SQLite's default is 2 MiB): a bulk load touches the
 * leaves of the punches indexes again and again, and with the default cache each of them is read
 * back from the file every time (docs/architecture.md, "Import").
 */
const BULK_CACHE_KIB = 64 * 1024

/**
 * Pragmas for a bulk load, undone by the function returned (docs/architecture.md, "Import"):
 * - the WAL is copied into the database every 64 MB instead of every 4 MB (readers such as
 *   `attend serve` are unaffected);
 * - the page cache holds the indexes' working set;
 * - foreign keys are not checked: the pipeline writes a punch's device and employee ids from rows
 *   it has just read, and the run's own `imports` row, and devices, employees and imports are never
 *   deleted (they are deactivated), so the checks could not fail — yet they cost a third of every
 *   insert.
 */
function bulkMode(store: Store): () => void {
  const sqlite = store.sqlite
  const autoCheckpoint = sqlite.pragma('wal_autocheckpoint', {simple: true}) as number
  const cacheSize = sqlite.pragma('cache_size', {simple: true}) as number
  const foreignKeys = sqlite.pragma('foreign_keys', {simple: true}) as number
  sqlite.pragma(`wal_autocheckpoint = ${BULK_AUTOCHECKPOINT_PAGES}`)
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`)
  sqlite.pragma('foreign_keys = OFF')
  return () => {
    sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
    sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
    sqlite.pragma(`cache_size = ${cacheSize}`)
    if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)')
  }
}

function rejection(punch: CanonicalPunch, reason: string): RejectedRecord {
  return {line: punch.line ?? 0, reason, raw: punch.raw ?? undefined}
}
