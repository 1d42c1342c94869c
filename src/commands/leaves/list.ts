import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listLeaves, type LeaveView} from '../../leaves/service.js'
import {renderTable} from '../../render/table.js'
import {dateFlag, pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class LeavesList extends AttendCommand {
  static override summary = 'List recorded leave.'
  static override examples = ['<%= config.bin %> <%= command.id %> --employee EMP007', '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31']
  static override flags = {
    employee: Flags.string({description: 'Employee code.'}),
    from: dateFlag({description: 'Leave overlapping this date or later (YYYY-MM-DD).'}),
    to: dateFlag({description: 'Leave overlapping this date or earlier (YYYY-MM-DD).'}),
    ...pageFlags(),
  }

  async run(): Promise<Page & {leaves: LeaveView[]}> {
    const {flags} = await this.parse(LeavesList)
    const page = pageOf(await listLeaves(this.attendStore(flags.db), flags), flags)
    const result = listed('leaves', page)
    const leaves = page.rows
    if (page.total === 0) this.log('No leave recorded.')
    else if (page.rows.length > 0) {
      this.log(
        renderTable(leaves, [
          {header: 'Id', get: (l) => l.id, align: 'right'},
          {header: 'Employee', get: (l) => `${l.employeeCode} ${l.employeeName}`},
          {header: 'From', get: (l) => l.from},
          {header: 'To', get: (l) => l.to},
          {header: 'Half', get: (l) => l.half},
          {header: 'Type', get: (l) => l.type},
          {header: 'Note', get: (l) => l.note},
        ]),
      )
    }
    this.logPage(page)
    return result
  }
}
