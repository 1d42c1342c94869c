import {Args} from '@oclif/core'
import path from 'node:path'

import {AttendCommand} from '../../base-command.js'
import {readTextFile} from '../../employees/csv-table.js'
import {importMappings, type MappingImportResult} from '../../mappings/import.js'

export default class MapImport extends AttendCommand {
  static override summary = 'Add or replace mappings from a CSV file (device_user_id,employee_code[,device]).'
  static override description = `An empty device cell maps the user on all devices. Rows naming an unknown employee or device
are reported with their line number and skipped (exit code 3); the others are imported and the
affected punches move to their employees.`

  static override examples = ['<%= config.bin %> <%= command.id %> mappings.csv']
  static override args = {
    file: Args.string({description: 'CSV file with a header row.', required: true}),
  }

  async run(): Promise<MappingImportResult> {
    const {args, flags} = await this.parse(MapImport)
    const text = readTextFile(args.file)
    const result = await importMappings(this.attendStore(flags.db), text, this.now(), {file: path.basename(args.file)})
    this.log(
      `${result.file}: ${result.read} rows read, ${result.created} added, ${result.updated} replaced, ${result.unchanged} unchanged, ${result.rejected.length} rejected; ${result.reresolved} stored punches updated.`,
    )
    if (result.ignoredColumns.length > 0) this.log(`Ignored columns: ${result.ignoredColumns.join(', ')}.`)
    for (const row of result.rejected) this.logToStderr(`line ${row.line}: ${row.reason}`)
    if (result.rejected.length > 0) this.partial()
    return result
  }
}
