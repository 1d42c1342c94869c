import {ReportCommand, type ReportResult} from '../../reports/command.js'
import {late} from '../../reports/kinds/late.js'

export default class ReportLate extends ReportCommand {
  static override summary = late.command.summary
  static override description = late.command.description
  static override examples = late.command.examples
  static override flags = late.command.flags

  async run(): Promise<ReportResult<'late'>> {
    const {flags} = await this.parse(ReportLate)
    return this.report('late', flags)
  }
}
