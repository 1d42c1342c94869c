import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {importHolidays, type HolidayImport} from '../../holidays/service.js'

export default class HolidaysImport extends AttendCommand {
  static override summary = 'Import holidays from a CSV file of date,name[,half] rows (header optional).'
  static override description = `half is first or second for a half-day holiday (that half is off), empty for a whole day.
Bad rows are reported by line and skipped (exit 3); good rows are kept. A date already in the calendar takes the new name and half.`
  static override examples = ['<%= config.bin %> <%= command.id %> holidays-2026.csv']
  static override args = {file: Args.string({required: true, description: 'CSV file: date,name[,half]'})}

  async run(): Promise<HolidayImport> {
    const {args, flags} = await this.parse(HolidaysImport)
    const result = await importHolidays(this.attendStore(flags.db), args.file, this.now())
    for (const reject of result.rejected) this.logToStderr(`Line ${reject.line}: ${reject.reason}`)
    this.log(`Imported holidays: ${result.added} added, ${result.updated} changed, ${result.unchanged} unchanged, ${result.rejected.length} rejected.`)
    if (result.recomputed?.employees) this.log(describeRecompute(result.recomputed))
    if (result.rejected.length > 0) this.partial()
    return result
  }
}
