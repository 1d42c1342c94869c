import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listPunches, type PunchView} from '../../punches/service.js'
import {renderTable} from '../../render/table.js'
import {dateFlag} from '../../cli/flags.js'

export default class PunchesList extends AttendCommand {
  static override summary = 'List punches with their local time in the site zone.'
  static override description = 'Dates are local dates in the site time zone. Shows the newest --limit punches of the range, oldest first.'
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
    limit: Flags.integer({description: 'At most this many punches.', default: 100}),
  }

  async run(): Promise<PunchView[]> {
    const {flags} = await this.parse(PunchesList)
    const {rows, timezone} = listPunches(() => this.store(flags.db), {
      from: flags.from, to: flags.to, employee: flags.employee, device: flags.device, unmapped: flags.unmapped, limit: flags.limit,
    })
    if (rows.length === 0) {
      this.log('No punches match.')
      return rows
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
    return rows
  }
}
