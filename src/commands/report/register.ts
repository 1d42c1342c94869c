import {ReportCommand, type ReportResult} from '../../reports/command.js'
import {register} from '../../reports/kinds/register.js'

export default class ReportRegister extends ReportCommand {
  static override summary = register.command.summary
  static override description = register.command.description
  static override examples = register.command.examples
  static override flags = register.command.flags

  async run(): Promise<ReportResult<'register'>> {
    const {flags} = await this.parse(ReportRegister)
    return this.report('register', flags)
  }
}
