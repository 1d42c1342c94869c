import {ReportCommand, type ReportResult} from '../../reports/command.js'
import {summary} from '../../reports/kinds/summary.js'

export default class ReportSummary extends ReportCommand {
  static override summary = summary.command.summary
  static override description = summary.command.description
  static override examples = summary.command.examples
  static override flags = summary.command.flags

  async run(): Promise<ReportResult<'summary'>> {
    const {flags} = await this.parse(ReportSummary)
    return this.report('summary', flags)
  }
}
