import {Flags} from '@oclif/core'

import {ReportCommand, reportFlags} from '../../reports/command.js'

export default class ReportDaily extends ReportCommand {
  static override summary = 'One day: shift, check-in, check-out, worked, late/early minutes, status and every punch.'
  static override description = `Times are local to the site. A star marks a manual punch. Without --date, today in the site
time zone.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --date 2026-03-12',
    '<%= config.bin %> <%= command.id %> --date 2026-03-12 --department IT --format csv',
  ]

  static override flags = {
    ...reportFlags,
    date: Flags.string({description: 'The day (YYYY-MM-DD); default today in the site time zone.'}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ReportDaily)
    return this.report('daily', flags)
  }
}
