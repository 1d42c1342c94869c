import {Args} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {addHoliday, type HolidayChange} from '../../holidays/service.js'

export default class HolidaysAdd extends AttendCommand {
  static override summary = 'Add a holiday: that date is a holiday for everyone.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2026-12-25 "Christmas Day"']
  static override args = {
    date: Args.string({required: true, description: 'YYYY-MM-DD'}),
    name: Args.string({required: true, description: 'holiday name'}),
  }

  async run(): Promise<HolidayChange> {
    const {args, flags} = await this.parse(HolidaysAdd)
    const change = addHoliday(() => this.store(flags.db), args.date, args.name, this.now())
    this.log(`Added holiday ${change.holidays[0].date} ${change.holidays[0].name}.`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
