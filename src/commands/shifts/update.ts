import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {shiftInputFromFlags, shiftRuleFlags} from '../../shifts/flags.js'
import {describeShift} from '../../shifts/render.js'
import {updateShift, type ShiftChange} from '../../shifts/service.js'

export default class ShiftsUpdate extends AttendCommand {
  static override summary = 'Change a shift\'s hours or rules; the days that used it are recomputed.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> Day --late-grace 15',
    '<%= config.bin %> <%= command.id %> Day --check-in-window none',
    '<%= config.bin %> <%= command.id %> Day --name Morning',
  ]

  static override args = {name: Args.string({required: true, description: 'shift name'})}
  static override flags = {...shiftRuleFlags, name: Flags.string({description: 'New name for the shift.'})}

  async run(): Promise<ShiftChange> {
    const {args, flags} = await this.parse(ShiftsUpdate)
    const change = await updateShift(this.attendStore(flags.db), args.name, {...shiftInputFromFlags(flags), name: flags.name}, this.now())
    this.log(`Updated shift ${change.shift.name}: ${describeShift(change.shift)}`)
    this.log(describeRecompute(change.recomputed))
    return change
  }
}
