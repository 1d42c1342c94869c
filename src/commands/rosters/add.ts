import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {addRoster, type RosterView} from '../../rosters/service.js'

export default class RostersAdd extends AttendCommand {
  static override summary = 'Define a rotating roster: a cycle of N days, each a shift or a day off.'
  static override description = `Assign it with attend rosters assign: the assignment's --from date is day 1 of the cycle, which
then repeats. On a roster, the cycle alone decides the rest days (the site's week off does not apply);
holidays still do.`

  static override examples = ['<%= config.bin %> <%= command.id %> Rotation --cycle Day,Day,Night,Night,off,off']
  static override args = {name: Args.string({required: true, description: 'roster name, e.g. Rotation'})}
  static override flags = {
    cycle: Flags.string({required: true, description: 'Shift names or off, one per day, separated by commas.'}),
  }

  async run(): Promise<RosterView> {
    const {args, flags} = await this.parse(RostersAdd)
    const roster = await addRoster(this.attendStore(flags.db), args.name, flags, this.now())
    this.log(`Added roster ${roster.name}: ${roster.days}-day cycle ${roster.cycle.join(', ')}.`)
    return roster
  }
}
