import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {removeHoliday, type HolidayChange} from '../../holidays/service.js'

export default class HolidaysRemove extends AttendCommand {
  static override summary = 'Remove a holiday; that date becomes a working day again.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2026-12-25']
  static override args = {date: Args.string({required: true, description: 'YYYY-MM-DD'})}

  async run(): Promise<HolidayChange> {
    const {args, flags} = await this.parse(HolidaysRemove)
    const change = await removeHoliday(this.attendStore(flags.db), args.date, this.now())
    this.log(`Removed holiday ${change.holidays[0].date} ${change.holidays[0].name}.`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
