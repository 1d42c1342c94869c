import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {detectFormat} from '../formats/detect.js'
import {newIngestCache} from '../punches/prepare.js'
import type {CanonicalPunch, IngestResult, RejectedRecord} from '../punches/types.js'
import type {ImportWriter} from '../store/imports.js'
import type {AttendStore} from '../store/port.js'
import type {PortIngestOptions} from '../store/punches.js'
import {ImportInput} from './input.js'
import {readRecords} from './readers.js'
import type {ImportedFile, ImportRunOptions, ImportSummary, ValidRequest} from './service.js'

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
  private writer: ImportWriter | undefined
  private readonly dryRunSeen = new Set<string>()
  readonly summary: ImportSummary
  private files: FileRun[] = []

  constructor(
    private readonly store: AttendStore,
    private readonly valid: ValidRequest,
    private readonly options: ImportRunOptions,
    private readonly deviceId: number | null,
  ) {
    this.keep = options.keepRejected ?? 20
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
    const ids = valid.dryRun
      ? valid.files.map(() => null)
      : await store.imports.begin(valid.files.map((file) => ({file: file === '-' ? 'stdin' : file, format: valid.format, deviceId: this.deviceId})), this.options.now)
    this.files = valid.files.map((file, i) => ({file, importId: ids[i]}))
    if (!valid.dryRun) this.writer = await store.imports.writer()
    try {
      if (valid.strict && !valid.dryRun) await this.strict()
      else await this.eachFile([], 'write')
    } catch (error) {
      // An interruption is an outcome, not a failure: the summary says what was stored.
      if (!(error instanceof Interrupted)) throw error
    } finally {
      await this.writer?.close()
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
      await this.finish(checked)
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
      await this.finish(passes)
      await this.markUnread(passes, error instanceof Interrupted ? 'not read: the import was interrupted' : 'not read: an earlier file failed', error instanceof Interrupted ? 'interrupted' : 'failed')
      throw error
    }
    if (mode === 'write') await this.finish(passes)
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
      const ingestOptions: PortIngestOptions & {now: number} = {
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
          for (const {index, reason} of await this.store.punches.rejected(punches, ingestOptions)) this.reject(run, rejection(punches[index], reason))
        } else {
          const result = valid.dryRun
            ? await this.store.punches.ingest(punches, ingestOptions)
            : await this.writer!.write(punches, ingestOptions, (sofar) => this.progress(run, sofar))
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
  private progress(run: ImportedFile, sofar: IngestResult) {
    if (run.importId === null) return null
    return {id: run.importId, read: run.read, stored: run.stored + sofar.stored, duplicates: run.duplicates + sofar.duplicates, unmapped: run.unmapped + sofar.unmapped, rejected: run.rejected + sofar.rejected}
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
  private async finish(passes: Pass[]): Promise<void> {
    const outcomes = passes.flatMap(({run, message}) =>
      run.importId === null
        ? []
        : [{id: run.importId, format: run.format, status: run.status, read: run.read, stored: run.stored, duplicates: run.duplicates, unmapped: run.unmapped, rejected: run.rejected, message}],
    )
    if (outcomes.length > 0) await this.store.imports.finish(outcomes, this.options.now)
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
  private async markUnread(passes: Pass[], message: string, status: 'failed' | 'interrupted'): Promise<void> {
    const reached = new Set(passes.map((p) => p.run.importId))
    const unread = this.files.flatMap(({importId}) => (importId === null || reached.has(importId) ? [] : [{id: importId, status, message}]))
    if (unread.length > 0) await this.store.imports.finish(unread, this.options.now)
  }
}

/**
 * Records parsed ahead of the pipeline: small, so they are stored and dropped while V8 still holds
 * them in its young generation. At 10 000 a batch outlived a collection and was copied into the
 * old generation, which cost a third of the parsing (docs/architecture.md, "Import").
 */
const DEFAULT_BATCH = 2_000
function rejection(punch: CanonicalPunch, reason: string): RejectedRecord {
  return {line: punch.line ?? 0, reason, raw: punch.raw ?? undefined}
}
