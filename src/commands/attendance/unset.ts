import {Args} from '@oclif/core'

import {describeStatus} from '../../attendance/list.js'
import {unsetManualDay, type ManualRemoval} from '../../attendance/manual.js'
import {AttendCommand} from '../../base-command.js'

export default class AttendanceUnset extends AttendCommand {
  static override summary = 'Return a manually set day to the engine: it is computed from the punches again.'
  static override examples = ['<%= config.bin %> <%= command.id %> EMP007 2026-03-03']
  static override args = {
    code: Args.string({required: true, description: 'employee code'}),
    date: Args.string({required: true, description: 'YYYY-MM-DD'}),
  }

  async run(): Promise<ManualRemoval> {
    const {args, flags} = await this.parse(AttendanceUnset)
    const removal = await unsetManualDay(this.attendStore(flags.db), args.code, args.date, this.now())
    this.log(`Unset the manual ${removal.removed.status} of ${removal.removed.employeeCode} on ${removal.removed.date}.`)
    if (removal.day) this.log(`${removal.day.date} is computed from the punches again: ${describeStatus(removal.day)}.`)
    return removal
  }
}
