import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {addLeave, type LeaveChange} from '../../leaves/service.js'
import {dateFlag} from '../../cli/flags.js'

export default class LeavesAdd extends AttendCommand {
  static override summary = 'Record leave for an employee; those days show as leave.'
  static override description = `Weekly off days and holidays inside the leave keep their own status. --half first|second takes
half a day (one date): the other half is worked, with the shift's thresholds and expected hours halved.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> EMP007 --from 2026-03-09 --to 2026-03-13 --type annual',
    '<%= config.bin %> <%= command.id %> EMP007 --from 2026-03-16 --to 2026-03-16 --half first --type personal',
  ]

  static override args = {code: Args.string({required: true, description: 'employee code'})}
  static override flags = {
    from: dateFlag({required: true, description: 'First day YYYY-MM-DD.'}),
    to: dateFlag({required: true, description: 'Last day YYYY-MM-DD.'}),
    type: Flags.string({description: 'Kind of leave, e.g. annual, sick.'}),
    note: Flags.string({description: 'Free text.'}),
    half: Flags.string({description: 'Half a day only (one date): first or second half off.', options: ['first', 'second']}),
  }

  async run(): Promise<LeaveChange> {
    const {args, flags} = await this.parse(LeavesAdd)
    const change = await addLeave(this.attendStore(flags.db), args.code, flags, this.now())
    const {leave} = change
    const when = leave.half ? `on ${leave.from} (${leave.half} half)` : `from ${leave.from} to ${leave.to}`
    this.log(`Added ${leave.half ? 'half-day ' : ''}${leave.type ? `${leave.type} ` : ''}leave for ${leave.employeeCode} (${leave.employeeName}) ${when}.`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
