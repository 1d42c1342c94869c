import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {endAssignment, type AssignmentEnd} from '../../shifts/assignments.js'
import {describeAssignee, describeSchedule} from '../../shifts/render.js'
import {dateFlag} from '../../cli/flags.js'

export default class ShiftsUnassign extends AttendCommand {
  static override summary = 'End a shift or roster assignment on a date (default today), or delete it.'
  static override description = `From the day after --to, the employee's next schedule applies: an older assignment, their
department's, or the default shift. --to may also move an end later. --delete removes the
assignment as if it had never been made. The affected days are recomputed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 12 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> 12 --delete',
  ]

  static override args = {id: Args.string({required: true, description: 'assignment id (attend shifts assignments)'})}
  static override flags = {
    to: dateFlag({description: 'Last date the assignment applies, YYYY-MM-DD (default: today).', exclusive: ['delete']}),
    delete: Flags.boolean({description: 'Remove the assignment entirely.', exclusive: ['to']}),
  }

  async run(): Promise<AssignmentEnd> {
    const {args, flags} = await this.parse(ShiftsUnassign)
    const result = await endAssignment(this.attendStore(flags.db), args.id, {to: flags.to, remove: flags.delete}, this.now())
    const what = `${describeSchedule(result.assignment)} for ${describeAssignee(result.assignment)}`
    this.log(result.deleted ? `Deleted assignment ${result.assignment.id}: ${what}.` : `Assignment ${result.assignment.id} (${what}) now ends on ${result.assignment.to}.`)
    this.log(describeRecompute(result.recomputed))
    return result
  }
}
