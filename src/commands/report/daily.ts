import {ReportCommand, type ReportResult} from '../../reports/command.js'
import {daily} from '../../reports/kinds/daily.js'

export default class ReportDaily extends ReportCommand {
  static override summary = daily.command.summary
  static override description = daily.command.description
  static override examples = daily.command.examples
  static override flags = daily.command.flags

  async run(): Promise<ReportResult<'daily'>> {
    const {flags} = await this.parse(ReportDaily)
    return this.report('daily', flags)
  }
}
