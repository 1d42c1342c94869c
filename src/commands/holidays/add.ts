import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {addHoliday, type HolidayChange} from '../../holidays/service.js'

export default class HolidaysAdd extends AttendCommand {
  static override summary = 'Add a holiday: that date is a holiday for everyone.'
  static override description = `With --half, only that half of the day is off: the other half is worked, with the shift's
half-day and absent thresholds and its expected hours halved.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 2026-12-25 "Christmas Day"',
    '<%= config.bin %> <%= command.id %> 2026-12-24 "Christmas Eve" --half second',
  ]

  static override flags = {
    half: Flags.string({description: 'Only this half of the day is off: first or second.', options: ['first', 'second']}),
  }

  static override args = {
    date: Args.string({required: true, description: 'YYYY-MM-DD'}),
    name: Args.string({required: true, description: 'holiday name'}),
  }

  async run(): Promise<HolidayChange> {
    const {args, flags} = await this.parse(HolidaysAdd)
    const change = await addHoliday(this.attendStore(flags.db), args.date, args.name, this.now(), {half: flags.half})
    const [holiday] = change.holidays
    this.log(`Added ${holiday.half ? `half-day holiday (${holiday.half} half off)` : 'holiday'} ${holiday.date} ${holiday.name}.`)
    if (change.recomputed?.employees) this.log(describeRecompute(change.recomputed))
    return change
  }
}
