import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {removeLeave, type LeaveChange} from '../../leaves/service.js'

export default class LeavesRemove extends AttendCommand {
  static override summary = 'Cancel recorded leave by its id (see leaves list); its days are recomputed.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3']
  static override args = {id: Args.string({required: true, description: 'leave id'})}

  async run(): Promise<LeaveChange> {
    const {args, flags} = await this.parse(LeavesRemove)
    const change = await removeLeave(this.attendStore(flags.db), args.id, this.now())
    const {leave} = change
    this.log(`Removed leave ${leave.id} of ${leave.employeeCode} (${leave.from} to ${leave.to}).`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
