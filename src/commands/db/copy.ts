import {Flags} from '@oclif/core'
import cliProgress from 'cli-progress'

import {AttendCommand} from '../../base-command.js'
import {copyStore, type CopyProgress, type CopyResult} from '../../db/admin/copy.js'
import {engineName} from '../../db/admin/describe.js'
import {parseStoreLocation} from '../../db/location.js'

export default class DbCopy extends AttendCommand {
  static override summary = 'Copy a whole store between SQLite and PostgreSQL (or SQLite to SQLite), with its ids.'
  static override description = `Copies every table in dependency order and in batches, keeping ids, then checks that every
table has as many rows in the target as in the source before committing: a failed copy leaves the
target as it was. The source is read in one snapshot, so attend serve may keep running on it.
Both stores are migrated to this attend's schema first. A target that holds rows is refused unless
--force, which replaces everything it holds. A new SQLite file is created; a PostgreSQL database
must exist (createdb attend).`

  static override examples = [
    {description: 'Move a site to PostgreSQL', command: '<%= config.bin %> <%= command.id %> --from attend.db --to postgres://attend@db.example/attend'},
    {description: 'Take a SQLite copy of a PostgreSQL store', command: '<%= config.bin %> <%= command.id %> --from postgres://attend@db.example/attend --to backup.db'},
    {description: 'Replace what the target holds', command: '<%= config.bin %> <%= command.id %> --from attend.db --to postgres://attend@db.example/attend --force'},
  ]

  static override flags = {
    from: Flags.string({description: 'The store to copy: a SQLite file or a postgres:// URL (default: --db, $ATTEND_DB, else attend.db in the data directory).'}),
    to: Flags.string({description: 'The store to copy into: a SQLite file (created if missing) or a postgres:// URL.', required: true}),
    force: Flags.boolean({description: 'Replace everything the target holds.', default: false}),
  }

  async run(): Promise<CopyResult> {
    const {flags} = await this.parse(DbCopy)
    const from = flags.from === undefined ? this.storeLocation(flags.db) : parseStoreLocation(flags.from, '--from')
    const to = parseStoreLocation(flags.to, '--to')
    const progress = this.progress()
    let result: CopyResult
    try {
      result = await copyStore(from, to, {force: flags.force, onProgress: progress})
    } finally {
      progress.stop()
    }
    if (!this.jsonEnabled()) {
      const seconds = (result.durationMs / 1000).toFixed(1)
      this.log(
        `Copied ${result.rows} rows in ${result.tables.length} tables from ${result.from.location} (${engineName(result.from.engine)}) to ${result.to.location} (${engineName(result.to.engine)}) in ${seconds} s${result.replaced ? ', replacing what it held' : ''}; row counts verified.`,
      )
    }
    return result
  }

  /**
   * A line per table as it completes (not under --json), and on a terminal a bar while a large
   * table is copied.
   */
  private progress(): ((p: CopyProgress) => void) & {stop: () => void} {
    const width = 'device_user_mappings'.length
    const terminal = process.stderr.isTTY && !this.jsonEnabled()
    let bar: cliProgress.SingleBar | undefined
    const stopBar = () => {
      bar?.stop()
      bar = undefined
    }
    const update = (p: CopyProgress) => {
      if (this.jsonEnabled()) return
      if (p.done) {
        stopBar()
        this.log(`  ${p.table.padEnd(width)} ${String(p.copied).padStart(9)} row${p.copied === 1 ? '' : 's'}`)
        return
      }
      if (!terminal || p.total < 10_000) return
      if (!bar) {
        bar = new cliProgress.SingleBar({format: `  ${p.table.padEnd(width)} [{bar}] {value}/{total} rows`, stream: process.stderr, hideCursor: true, clearOnComplete: true}, cliProgress.Presets.shades_classic)
        bar.start(p.total, 0)
      }
      bar.update(p.copied)
    }
    return Object.assign(update, {stop: stopBar})
  }
}
