import {ReportCommand, reportFlags} from '../../reports/command.js'

export default class ReportSummary extends ReportCommand {
  static override summary = 'Attendance summary per employee: present, absent, late, early and attendance %.'
  static override description = `The shape of GET /v1/reports/attendance. Working days exclude weekly offs and holidays; a half
day counts 0.5 present and 0.5 absent; leave, pending days (not computed yet) and days before joining are
not working days for the person. Percentages have two decimals.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --department IT --format csv > march-it.csv',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --output march.pdf',
  ]

  static override flags = reportFlags

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ReportSummary)
    return this.report('summary', flags)
  }
}
