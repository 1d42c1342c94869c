import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {assignRoster} from '../../rosters/service.js'
import type {AssignResult} from '../../shifts/assign.js'
import {describeAssignee} from '../../shifts/render.js'
import {dateFlag} from '../../cli/flags.js'

export default class RostersAssign extends AttendCommand {
  static override summary = 'Assign a roster to an employee or a department from a date (day 1 of its cycle).'
  static override description = `The cycle repeats from --from until --to (or for good). Precedence is that of shift assignments:
an employee's own wins over their department's, a dated one over an open one, the newest over an
older one. End it with attend shifts unassign ID.`

  static override examples = ['<%= config.bin %> <%= command.id %> Rotation --employee EMP007 --from 2026-03-02']
  static override args = {name: Args.string({required: true, description: 'roster name'})}
  static override flags = {
    employee: Flags.string({description: 'Employee code.', exactlyOne: ['employee', 'department']}),
    department: Flags.string({description: 'Department name (every member).', exactlyOne: ['employee', 'department']}),
    from: dateFlag({required: true, description: 'Day 1 of the cycle, YYYY-MM-DD.'}),
    to: dateFlag({description: 'Last date YYYY-MM-DD (default: open).'}),
  }

  async run(): Promise<AssignResult> {
    const {args, flags} = await this.parse(RostersAssign)
    const result = await assignRoster(this.attendStore(flags.db), args.name, flags, this.now())
    const {assignment} = result
    this.log(`Assigned roster ${assignment.roster} to ${describeAssignee(assignment)} from ${assignment.from}${assignment.to ? ` to ${assignment.to}` : ''} (assignment ${assignment.id}).`)
    this.log(describeRecompute(result.recomputed))
    return result
  }
}
