import {ReportCommand, reportFlags} from '../../reports/command.js'

export default class ReportRegister extends ReportCommand {
  static override summary = 'The muster roll: employee × day codes with per-row totals, grouped by department.'
  static override description = `Codes: P present, L late, HD half day, A absent, H holiday, WO weekly off, LV leave, - pending
(not computed yet); blank = not on the roll. Totals: present, absent, late, half days, leave, worked and
overtime hours. At most 366 days; the PDF is A4 landscape with one section per month.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --output register-march.pdf',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --format csv --department Teaching',
  ]

  static override flags = reportFlags

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ReportRegister)
    return this.report('register', flags)
  }
}
