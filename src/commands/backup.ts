import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {backupStore, type BackupResult} from '../db/backup.js'
import {describeLocation} from '../db/location.js'
import {AttendError} from '../errors.js'

export default class Backup extends AttendCommand {
  static override summary = 'Copy the store to FILE, safely while attend serve is running.'
  static override description = `Uses SQLite's online backup API: the copy is one consistent snapshot taken while the server keeps
storing punches, written under a temporary name, checked, then renamed to FILE. To restore, stop
attend serve, put the copy in place of the store (removing the store's -wal and -shm files), and
start it again; see "Backup and restore" in the README.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /var/backups/attend/attend-$(date +%F).db',
    '<%= config.bin %> <%= command.id %> nightly.db --force --json',
  ]

  static override args = {
    file: Args.string({required: true, description: 'Where to write the copy (its directory must exist).'}),
  }

  static override flags = {
    force: Flags.boolean({description: 'Replace FILE if it exists.', default: false}),
  }

  async run(): Promise<BackupResult> {
    const {args, flags} = await this.parse(Backup)
    const location = this.storeLocation(flags.db)
    if (location.engine !== 'sqlite') {
      throw new AttendError(`attend backup copies a SQLite store file; this store is PostgreSQL (${describeLocation(location)}). Back it up with pg_dump.`, {code: 'engine_unsupported'})
    }
    const result = await backupStore(this.store(flags.db), args.file, {force: flags.force})
    this.log(
      `Backed up ${result.store} to ${result.file}: ${megabytes(result.bytes)}, ${result.employees} employees, ${result.punches} punches; the copy passed SQLite's check.`,
    )
    return result
  }
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
