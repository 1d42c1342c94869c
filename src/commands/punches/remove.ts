import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {removeManualPunch, type PunchView} from '../../punches/service.js'

export default class PunchesRemove extends AttendCommand {
  static override summary = 'Delete a manual punch.'
  static override description = 'Only punches added with "punches add" can be removed; device punches are kept as evidence.'
  static override examples = ['<%= config.bin %> <%= command.id %> 42']

  static override args = {
    id: Args.integer({required: true, description: 'Punch id (see punches list)'}),
  }

  async run(): Promise<PunchView> {
    const {args, flags} = await this.parse(PunchesRemove)
    const punch = await removeManualPunch(this.attendStore(flags.db), args.id, this.now())
    this.log(`Removed manual punch ${punch.id}: ${punch.employeeCode ?? punch.deviceUserId} at ${punch.localTime}`)
    return punch
  }
}
