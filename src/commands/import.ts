import {Args, Flags} from '@oclif/core'
import cliProgress from 'cli-progress'

import {AttendCommand} from '../base-command.js'
import {importPunchFiles, type ImportProgress, type ImportSummary} from '../imports/service.js'

export default class Import extends AttendCommand {
  static override summary = 'Import historical punch logs: ZKTeco attlog.dat/ATTLOG, CSV exports, CAMS batches, JSON events.'
  static override description = `Each FILE is read as a stream (- reads stdin), its format chosen by content unless --format says.
Every punch goes through the same pipeline as punches received by attend serve, so re-importing a file
(or importing what a device already pushed) stores nothing twice. Wall-clock times are read in
--timezone, else the device's zone, else the site zone.

Prints read/stored/duplicates/unmapped/rejected and the first rejected lines. Exit 3 when any line was
rejected; with --strict nothing is stored then. Each file is recorded (attend imports list).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 1_attlog.dat --device ZK-HQ-01',
    '<%= config.bin %> <%= command.id %> march.csv --date-format dmy --columns "user=Emp Code,time=Punch Time"',
    'cat punches.jsonl | <%= config.bin %> <%= command.id %> - --format json',
    '<%= config.bin %> <%= command.id %> *.dat --dry-run',
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
  }

  async run(): Promise<ImportSummary> {
    const {argv, flags} = await this.parse(Import)
    const progress = this.progress()
    let summary: ImportSummary
    try {
      summary = await importPunchFiles(
        () => this.store(flags.db),
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
        {now: this.now(), onProgress: progress?.update},
      )
    } finally {
      progress?.stop()
    }

    for (const file of summary.files) {
      this.log(`${file.file} (${file.format}): ${counts(file)}`)
    }
    if (summary.files.length > 1) this.log(`Total: ${counts(summary)}`)
    if (summary.rejected > 0) {
      this.log(`Rejected lines${summary.rejected > summary.rejectedLines.length ? ` (first ${summary.rejectedLines.length} of ${summary.rejected})` : ''}:`)
      for (const r of summary.rejectedLines) this.log(`  ${summary.files.length > 1 ? `${r.file} ` : ''}line ${r.line}: ${r.reason}`)
    }
    if (summary.dryRun) this.log('Dry run: nothing was stored.')
    else if (!summary.committed) this.log(`Nothing stored: --strict and ${summary.rejected} rejected line${summary.rejected === 1 ? '' : 's'}.`)
    if (summary.rejected > 0) this.partial()
    return summary
  }

  /** A progress bar by bytes on a terminal only: never when piped or with --json. */
  private progress(): {update: (p: ImportProgress) => void; stop: () => void} | undefined {
    if (!process.stderr.isTTY || this.jsonEnabled()) return undefined
    const bar = new cliProgress.SingleBar(
      {format: '{file} [{bar}] {percentage}% | {read} punches', stream: process.stderr, hideCursor: true, clearOnComplete: true},
      cliProgress.Presets.shades_classic,
    )
    let started = ''
    return {
      update: (p) => {
        const total = p.totalBytes ?? Math.max(p.bytesRead, 1)
        if (started !== p.file) {
          if (started) bar.stop()
          bar.start(total, 0, {file: p.file, read: 0})
          started = p.file
        }
        bar.setTotal(Math.max(total, p.bytesRead))
        bar.update(p.bytesRead, {file: p.file, read: p.read})
      },
      stop: () => {
        if (started) bar.stop()
      },
    }
  }
}

function counts(c: {read: number; stored: number; duplicates: number; unmapped: number; rejected: number}): string {
  return `${c.read} read, ${c.stored} stored, ${c.duplicates} duplicates, ${c.unmapped} unmapped, ${c.rejected} rejected`
}
