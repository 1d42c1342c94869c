import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {listAssignments, type AssignmentListing} from '../../shifts/assignments.js'
import {describeAssignee, describeSchedule} from '../../shifts/render.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

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
    ...pageFlags(),
  }

  async run(): Promise<Page & {assignments: AssignmentListing[]}> {
    const {flags} = await this.parse(ShiftsAssignments)
    const page = pageOf(await listAssignments(this.attendStore(flags.db), flags), flags)
    const result = listed('assignments', page)
    const assignments = page.rows
    if (page.total === 0) {
      this.log('No assignments: the default shift applies (attend config get default-shift).')
      return result
    }
    if (page.rows.length === 0) {
      this.logPage(page)
      return result
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
    this.logPage(page)
    return result
  }
}
