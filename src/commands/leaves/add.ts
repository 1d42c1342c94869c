import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {addLeave, type LeaveChange} from '../../leaves/service.js'

export default class LeavesAdd extends AttendCommand {
  static override summary = 'Record leave for an employee; those days show as leave.'
  static override description = 'Weekly off days and holidays inside the leave keep their own status.'
  static override examples = ['<%= config.bin %> <%= command.id %> EMP007 --from 2026-03-09 --to 2026-03-13 --type annual']
  static override args = {code: Args.string({required: true, description: 'employee code'})}
  static override flags = {
    from: Flags.string({required: true, description: 'First day YYYY-MM-DD.'}),
    to: Flags.string({required: true, description: 'Last day YYYY-MM-DD.'}),
    type: Flags.string({description: 'Kind of leave, e.g. annual, sick.'}),
    note: Flags.string({description: 'Free text.'}),
  }

  async run(): Promise<LeaveChange> {
    const {args, flags} = await this.parse(LeavesAdd)
    const change = addLeave(() => this.store(flags.db), args.code, flags, this.now())
    const {leave} = change
    this.log(`Added ${leave.type ? `${leave.type} ` : ''}leave for ${leave.employeeCode} (${leave.employeeName}) from ${leave.from} to ${leave.to}.`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
