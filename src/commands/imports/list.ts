import {AttendCommand} from '../../base-command.js'
import type {ImportRun} from '../../store/imports.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, type Page} from '../../listing/page.js'

export default class ImportsList extends AttendCommand {
  static override summary = 'List past import runs, newest first.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --limit 5 --json']

  static override flags = pageFlags(20)

  async run(): Promise<Page & {imports: ImportRun[]}> {
    const {flags} = await this.parse(ImportsList)
    const page = await this.attendStore(flags.db).imports.list(flags)
    const result = listed('imports', page)
    const runs = page.rows
    if (this.jsonEnabled()) return result
    if (page.total === 0) {
      this.log('No imports yet.')
      return result
    }
    if (page.rows.length === 0) {
      this.logPage(page)
      return result
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
    this.logPage(page)
    return result
  }
}
