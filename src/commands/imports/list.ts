import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listImports, type ImportRun} from '../../imports/list.js'
import {renderTable} from '../../render/table.js'

export default class ImportsList extends AttendCommand {
  static override summary = 'List past import runs, newest first.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --limit 5 --json']

  static override flags = {
    limit: Flags.integer({description: 'How many runs to show.', default: 20, min: 1}),
  }

  async run(): Promise<ImportRun[]> {
    const {flags} = await this.parse(ImportsList)
    const runs = listImports(this.store(flags.db), {limit: flags.limit})
    if (runs.length === 0) {
      this.log('No imports yet.')
      return runs
    }
    this.log(
      renderTable(runs, [
        {header: 'ID', get: (r) => r.id, align: 'right'},
        {header: 'Started (UTC)', get: (r) => new Date(r.startedAt).toISOString().slice(0, 16).replace('T', ' ')},
        {header: 'File', get: (r) => r.file},
        {header: 'Format', get: (r) => r.format},
        {header: 'Status', get: (r) => (r.dryRun ? `${r.status} (dry run)` : r.status)},
        {header: 'Read', get: (r) => r.read, align: 'right'},
        {header: 'Stored', get: (r) => r.stored, align: 'right'},
        {header: 'Dup', get: (r) => r.duplicates, align: 'right'},
        {header: 'Unmapped', get: (r) => r.unmapped, align: 'right'},
        {header: 'Rejected', get: (r) => r.rejected, align: 'right'},
      ]),
    )
    return runs
  }
}
