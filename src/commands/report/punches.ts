import {ReportCommand, reportFlags} from '../../reports/command.js'

export default class ReportPunches extends ReportCommand {
  static override summary = 'Raw punches with device, direction, source and mapped employee (unmapped included).'
  static override description = `Without --employee or --department every punch is listed, unmapped ones too. CSV and JSON are
streamed, so a million punches export with flat memory.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-12 --to 2026-03-12',
    '<%= config.bin %> <%= command.id %> --from 2026-01-01 --to 2026-12-31 --format csv --output punches-2026.csv',
  ]

  static override flags = reportFlags

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ReportPunches)
    return this.report('punches', flags)
  }
}
