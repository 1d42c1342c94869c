import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {updateRoster, type RosterChange} from '../../rosters/service.js'

export default class RostersUpdate extends AttendCommand {
  static override summary = 'Change a roster\'s cycle or name; the days it plans are recomputed.'
  static override examples = ['<%= config.bin %> <%= command.id %> Rotation --cycle Day,Day,Day,Night,Night,Night,off,off']
  static override args = {name: Args.string({required: true, description: 'roster name'})}
  static override flags = {
    cycle: Flags.string({description: 'Shift names or off, one per day, separated by commas.'}),
    name: Flags.string({description: 'New name for the roster.'}),
  }

  async run(): Promise<RosterChange> {
    const {args, flags} = await this.parse(RostersUpdate)
    const change = await updateRoster(this.attendStore(flags.db), args.name, flags, this.now())
    this.log(`Updated roster ${change.roster.name}: ${change.roster.days}-day cycle ${change.roster.cycle.join(', ')}.`)
    if (flags.cycle !== undefined) this.log(describeRecompute(change.recomputed))
    return change
  }
}
