import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {progressBar} from '../render/progress.js'
import {ImportAbortedError, importPunchFiles, type ImportProgress, type ImportSummary} from '../imports/service.js'

export default class Import extends AttendCommand {
  static override summary = 'Import historical punch logs: ZKTeco attlog.dat/ATTLOG, CSV exports, CAMS batches, JSON events.'
  static override description = `Each FILE is read as a stream (- reads stdin) and its format is chosen by content unless --format says. Every punch goes through the same pipeline as punches received by attend serve, so re-importing a file (or importing what a device already pushed) stores nothing twice. Wall-clock times are read in --timezone, else the device's zone, else the site zone. --device must name a registered device.

Prints read/stored/duplicates/unmapped/rejected per file on stdout and the rejected lines (the first 20) on stderr. Exit 3 when any line was rejected; with --strict every file is checked first and nothing is stored then, nor when any file fails. Each file is recorded (attend imports list); --dry-run writes nothing, not even that record.

Writes are committed every ~100 ms of work, so attend serve can run at the same time. Ctrl-C stops the import after the slice being written: the run is recorded as interrupted with what it stored, and the command exits 130; running it again stores the rest.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 1_attlog.dat --device ZK-HQ-01',
    '<%= config.bin %> <%= command.id %> march.csv --date-format dmy --columns "user=Emp Code,time=Punch Time"',
    {description: 'Read JSON Lines from stdin', command: 'cat punches.jsonl | <%= config.bin %> <%= command.id %> - --format json'},
    {description: 'Check a batch of files without storing anything', command: '<%= config.bin %> <%= command.id %> *.dat --dry-run'},
  ]

  static override strict = false
  static override args = {
    file: Args.string({required: true, description: 'Punch log files (- for stdin); more may follow.'}),
  }

  static override flags = {
    format: Flags.string({description: 'File format.', options: ['auto', 'attlog', 'csv', 'cams', 'json'], default: 'auto'}),
    device: Flags.string({description: 'Serial of the device the file came from (for files that do not name one).'}),
    timezone: Flags.string({description: 'IANA zone of the wall-clock times in the file (default: the device\'s zone, else the site zone).'}),
    'date-format': Flags.string({description: 'Order of ambiguous numeric dates such as 03/04/2026: dmy, mdy or ymd.'}),
    columns: Flags.string({description: 'CSV columns by header name, e.g. "user=EmpCode,time=Punch Time" (roles: user, time, date, status, verify, device, workcode).'}),
    strict: Flags.boolean({description: 'Store nothing if any line is rejected.', default: false}),
    'dry-run': Flags.boolean({description: 'Parse and report without storing anything.', default: false}),
    webhooks: Flags.boolean({description: 'Queue webhook events for the punches (--no-webhooks: a historical back-fill sends none).', default: true, allowNo: true}),
  }

  async run(): Promise<ImportSummary> {
    const {argv, flags} = await this.parse(Import)
    const progress = this.progress()
    // Ctrl-C (or a service manager's SIGTERM) stops the run between two write slices, so the
    // terminal is restored and the run recorded with what it stored (docs/architecture.md, "Import").
    const interrupt = new AbortController()
    const onSignal = () => {
      progress?.stop()
      if (!interrupt.signal.aborted) this.logToStderr('Stopping the import after the punches being written…')
      interrupt.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    let summary: ImportSummary
    try {
      summary = await importPunchFiles(
        this.attendStore(flags.db),
        {
          files: argv as string[],
          format: flags.format,
          device: flags.device,
          timezone: flags.timezone,
          dateFormat: flags['date-format'],
          columns: flags.columns,
          strict: flags.strict,
          dryRun: flags['dry-run'],
        },
        {now: this.now(), onProgress: progress?.update, storePath: this.sqliteFile(flags.db), signal: interrupt.signal, webhooks: flags.webhooks},
      )
    } catch (error) {
      progress?.stop()
      // The files read before the failure are on record: say what happened to them, then the error.
      if (error instanceof ImportAbortedError && !this.jsonEnabled()) this.report(error.summary)
      throw error
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    progress?.stop()

    if (!this.jsonEnabled()) this.report(summary)
    if (summary.interrupted) {
      this.logToStderr(
        summary.committed
          ? `Interrupted: ${counts(summary, false)}. The run is recorded as interrupted (attend imports list); run the same command again to import the rest (punches already stored are skipped as duplicates).`
          : 'Interrupted while --strict checked the files: nothing was stored.',
      )
      process.exitCode = INTERRUPTED_EXIT
    } else if (summary.rejected > 0) this.partial()
    return summary
  }

  private report(summary: ImportSummary): void {
    const dry = summary.dryRun
    for (const file of summary.files) {
      const marker = file.status === 'interrupted' ? ' (interrupted)' : file.status === 'failed' && summary.committed ? ' (failed)' : ''
      this.log(`${file.file} (${file.format}): ${counts(file, dry)}${marker}`)
    }
    if (summary.files.length > 1) this.log(`Total: ${counts(summary, dry)}`)
    if (summary.rejected > 0) {
      this.logToStderr('Rejected lines:')
      for (const r of summary.rejectedLines) this.logToStderr(`  ${summary.files.length > 1 ? `${r.file} ` : ''}line ${r.line}: ${r.reason}`)
      const more = summary.rejected - summary.rejectedLines.length
      if (more > 0) this.logToStderr(`  … and ${more} more rejected line${more === 1 ? '' : 's'}`)
    }
    if (dry) this.log(`Dry run: ${counts(summary, dry)}; nothing was written.`)
    else if (!summary.committed && !summary.interrupted) {
      this.log(summary.rejected > 0
        ? `Nothing stored: --strict and ${summary.rejected} rejected line${summary.rejected === 1 ? '' : 's'}.`
        : 'Nothing stored: --strict and a file failed.')
    }
  }

  /**
   * A bar per file by bytes read, with punches a second and the time left, on a terminal only:
   * never when piped or with --json. Ctrl-C stops it first (see run), so the cursor comes back.
   */
  private progress(): {update: (p: ImportProgress) => void; stop: () => void} | undefined {
    if (!process.stderr.isTTY || this.jsonEnabled()) return undefined
    const bar = progressBar({unit: 'punches', hideCursor: true})
    return {
      update: (p) => bar.update({label: p.file, value: p.bytesRead, total: p.totalBytes ?? p.bytesRead, count: p.read}),
      stop: () => bar.stop(),
    }
  }
}

/** What a shell reports for a command stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED_EXIT = 130

function counts(c: {read: number; stored: number; duplicates: number; unmapped: number; rejected: number}, dryRun: boolean): string {
  return `${c.read} read, ${c.stored} ${dryRun ? 'would be stored' : 'stored'}, ${c.duplicates} duplicates, ${c.unmapped} unmapped, ${c.rejected} rejected`
}
