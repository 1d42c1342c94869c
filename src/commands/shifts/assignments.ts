import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {listAssignments, type AssignmentListing} from '../../shifts/assignments.js'
import {describeAssignee, describeSchedule} from '../../shifts/render.js'

export default class ShiftsAssignments extends AttendCommand {
  static override summary = 'List shift and roster assignments, for one employee, a department or a shift.'
  static override description = `For an employee, their own assignments and their department's are listed: their own win, then
a dated one over an open one, then the newest. End one with attend shifts unassign ID.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --employee EMP007',
    '<%= config.bin %> <%= command.id %> --department Kitchen',
    '<%= config.bin %> <%= command.id %> --shift Night --json',
  ]

  static override flags = {
    employee: Flags.string({description: 'Employee code: their own and their department\'s assignments.', exclusive: ['department']}),
    department: Flags.string({description: 'Department name.', exclusive: ['employee']}),
    shift: Flags.string({description: 'Only assignments of this shift.'}),
  }

  async run(): Promise<AssignmentListing[]> {
    const {flags} = await this.parse(ShiftsAssignments)
    const assignments = listAssignments(() => this.store(flags.db), flags)
    if (assignments.length === 0) {
      this.log('No assignments: the default shift applies (attend config get default-shift).')
      return assignments
    }
    this.log(
      renderTable(assignments, [
        {header: 'Id', get: (a) => a.id, align: 'right'},
        {header: 'Schedule', get: (a) => describeSchedule(a)},
        {header: 'Assigned to', get: (a) => describeAssignee(a)},
        {header: 'From', get: (a) => a.from},
        {header: 'To', get: (a) => a.to},
      ]),
    )
    return assignments
  }
}
