import {ReportCommand, reportFlags} from '../../reports/command.js'

export default class ReportLate extends ReportCommand {
  static override summary = 'Late arrivals and early departures: date, employee, expected, actual, minutes.'
  static override description = 'Expected is the shift start (late arrival) or end (early departure); actual is the local check-in or check-out.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --employee EMP001 --format csv',
  ]

  static override flags = reportFlags

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ReportLate)
    return this.report('late', flags)
  }
}
