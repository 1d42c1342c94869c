import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listLeaves, type LeaveView} from '../../leaves/service.js'
import {renderTable} from '../../render/table.js'
import {dateFlag} from '../../cli/flags.js'

export default class LeavesList extends AttendCommand {
  static override summary = 'List recorded leave.'
  static override examples = ['<%= config.bin %> <%= command.id %> --employee EMP007', '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31']
  static override flags = {
    employee: Flags.string({description: 'Employee code.'}),
    from: dateFlag({description: 'Leave overlapping this date or later (YYYY-MM-DD).'}),
    to: dateFlag({description: 'Leave overlapping this date or earlier (YYYY-MM-DD).'}),
  }

  async run(): Promise<LeaveView[]> {
    const {flags} = await this.parse(LeavesList)
    const leaves = listLeaves(() => this.store(flags.db), flags)
    if (leaves.length === 0) this.log('No leave recorded.')
    else {
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
    return leaves
  }
}
