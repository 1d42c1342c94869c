import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listPunches, type PunchView} from '../../punches/service.js'
import {renderTable} from '../../render/table.js'
import {dateFlag, pageFlags} from '../../cli/flags.js'
import {listed, type Page} from '../../listing/page.js'

export default class PunchesList extends AttendCommand {
  static override summary = 'List punches with their local time in the site zone.'
  static override description = 'Dates are local dates in the site time zone. Shows the newest --limit punches of the range (--offset N skips the N newest), oldest first.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --employee EMP001',
    '<%= config.bin %> <%= command.id %> --unmapped --device ZK-HQ-01',
  ]

  static override flags = {
    from: dateFlag({description: 'First local date (YYYY-MM-DD).'}),
    to: dateFlag({description: 'Last local date (YYYY-MM-DD), inclusive.'}),
    employee: Flags.string({description: 'Employee code.'}),
    device: Flags.string({description: 'Device serial (or source key such as manual).'}),
    unmapped: Flags.boolean({description: 'Only punches of device users mapped to nobody.', default: false}),
    ...pageFlags(100),
  }

  async run(): Promise<Page & {timezone: string; punches: PunchView[]}> {
    const {flags} = await this.parse(PunchesList)
    const page = await listPunches(this.attendStore(flags.db), flags)
    const {rows, timezone} = page
    const result = {...listed('punches', page), timezone}
    if (this.jsonEnabled()) return result
    if (rows.length === 0) {
      this.log(page.total === 0 ? 'No punches match.' : `Nothing after offset ${page.offset} (${page.total} match).`)
      return result
    }
    this.log(
      renderTable(rows, [
        {header: 'ID', get: (r) => r.id, align: 'right'},
        {header: `Time (${timezone})`, get: (r) => r.localTime},
        {header: 'Employee', get: (r) => (r.employeeCode ? `${r.employeeCode} ${r.employeeName ?? ''}`.trim() : 'unmapped')},
        {header: 'User', get: (r) => r.deviceUserId},
        {header: 'Dir', get: (r) => r.direction},
        {header: 'Device', get: (r) => r.device},
        {header: 'Source', get: (r) => (r.manual ? `${r.source}${r.note ? `: ${r.note}` : ''}` : r.source)},
      ]),
    )
    this.logPage(page)
    return result
  }
}
