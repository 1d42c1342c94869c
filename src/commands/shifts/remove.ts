import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {removeShift, type ShiftRemoval} from '../../shifts/service.js'

export default class ShiftsRemove extends AttendCommand {
  static override summary = 'Remove a shift and its assignments; the days that used it are recomputed.'
  static override examples = ['<%= config.bin %> <%= command.id %> Night']
  static override args = {name: Args.string({required: true, description: 'shift name'})}

  async run(): Promise<ShiftRemoval> {
    const {args, flags} = await this.parse(ShiftsRemove)
    const removal = await removeShift(this.attendStore(flags.db), args.name, this.now())
    const assignments = removal.assignmentsRemoved === 1 ? '1 assignment' : `${removal.assignmentsRemoved} assignments`
    this.log(`Removed shift ${removal.removed} and ${assignments}.`)
    this.log(describeRecompute(removal.recomputed))
    return removal
  }
}
