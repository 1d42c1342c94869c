import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {assignShift, type AssignResult} from '../../shifts/assign.js'
import {dateFlag} from '../../cli/flags.js'

export default class ShiftsAssign extends AttendCommand {
  static override summary = 'Assign a shift to an employee or a department, optionally for a date range.'
  static override description = `An employee's own assignment wins over their department's, a dated assignment over an open one,
and a newer one over an older one of the same kind. Without any, the default shift applies
(attend config set default-shift NAME), else none. The affected days are recomputed.
List assignments with attend shifts assignments; end one with attend shifts unassign ID.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> Night --employee EMP007 --from 2026-03-01 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> Day --department Kitchen',
  ]

  static override args = {name: Args.string({required: true, description: 'shift name'})}
  static override flags = {
    employee: Flags.string({description: 'Employee code.', exactlyOne: ['employee', 'department']}),
    department: Flags.string({description: 'Department name (every member).', exactlyOne: ['employee', 'department']}),
    from: dateFlag({description: 'First date YYYY-MM-DD (default: open).'}),
    to: dateFlag({description: 'Last date YYYY-MM-DD (default: open).'}),
  }

  async run(): Promise<AssignResult> {
    const {args, flags} = await this.parse(ShiftsAssign)
    const result = await assignShift(this.attendStore(flags.db), args.name, flags, this.now())
    const {assignment} = result
    const who = assignment.employeeCode ? `${assignment.employeeCode} (${assignment.employeeName})` : `department ${assignment.department}`
    const when = assignment.from || assignment.to ? ` from ${assignment.from ?? 'the start'} to ${assignment.to ?? 'open end'}` : ''
    this.log(`Assigned ${assignment.shift} to ${who}${when} (assignment ${assignment.id}).`)
    this.log(describeRecompute(result.recomputed))
    return result
  }
}
