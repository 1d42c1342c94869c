import {Args} from '@oclif/core'
import path from 'node:path'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {readTextFile} from '../../employees/csv-table.js'
import {importEmployees, type EmployeeImportResult} from '../../employees/import.js'

export default class EmployeesImport extends AttendCommand {
  static override summary = 'Add or update employees from a CSV file.'
  static override description = `The first row names the columns: code and name are required; email, phone, department,
joined_on, left_on and active are optional (header case, spaces and a UTF-8 BOM are fine; the
delimiter may be "," or ";"). Rows are matched to existing employees by code: a column present in
the file overwrites the stored value (an empty cell clears it), a column absent from the file is left
alone. Bad rows are reported with their line number and skipped; the good rows are still imported
and the exit code is 3.`

  static override examples = ['<%= config.bin %> <%= command.id %> staff.csv', '<%= config.bin %> <%= command.id %> staff.csv --json']
  static override args = {
    file: Args.string({description: 'CSV file with a header row.', required: true}),
  }

  async run(): Promise<EmployeeImportResult> {
    const {args, flags} = await this.parse(EmployeesImport)
    const text = readTextFile(args.file)
    const result = await importEmployees(this.attendStore(flags.db), text, this.now(), {file: path.basename(args.file)})
    this.log(
      `${result.file}: ${result.read} rows read, ${result.created} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected.length} rejected.`,
    )
    if (result.ignoredColumns.length > 0) this.log(`Ignored columns: ${result.ignoredColumns.join(', ')}.`)
    if (result.recomputed) this.log(describeRecompute(result.recomputed))
    for (const row of result.rejected) this.logToStderr(`line ${row.line}: ${row.reason}`)
    if (result.rejected.length > 0) this.partial()
    return result
  }
}
