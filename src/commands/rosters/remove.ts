import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {removeRoster, type RosterRemoval} from '../../rosters/service.js'

export default class RostersRemove extends AttendCommand {
  static override summary = 'Remove a roster and its assignments; the days it planned are recomputed.'
  static override examples = ['<%= config.bin %> <%= command.id %> Rotation']
  static override args = {name: Args.string({required: true, description: 'roster name'})}

  async run(): Promise<RosterRemoval> {
    const {args, flags} = await this.parse(RostersRemove)
    const removal = await removeRoster(this.attendStore(flags.db), args.name, this.now())
    this.log(`Removed roster ${removal.removed} and ${removal.assignmentsRemoved === 1 ? '1 assignment' : `${removal.assignmentsRemoved} assignments`}.`)
    this.log(describeRecompute(removal.recomputed))
    return removal
  }
}
