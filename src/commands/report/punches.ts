import {ReportCommand, type ReportResult} from '../../reports/command.js'
import {punches} from '../../reports/kinds/punches.js'

export default class ReportPunches extends ReportCommand {
  static override summary = punches.command.summary
  static override description = punches.command.description
  static override examples = punches.command.examples
  static override flags = punches.command.flags

  async run(): Promise<ReportResult<'punches'>> {
    const {flags} = await this.parse(ReportPunches)
    return this.report('punches', flags)
  }
}
