import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {shiftInputFromFlags, shiftRuleFlags} from '../../shifts/flags.js'
import {addShift, type ShiftView} from '../../shifts/service.js'
import {describeShift} from '../../shifts/render.js'

export default class ShiftsAdd extends AttendCommand {
  static override summary = 'Define a shift: its hours and the rules that turn punches into attendance.'
  static override description = `An end at or before the start makes a night shift; its attendance date is the date it starts.
A punch belongs to the shift when it falls between start − --before and end + --after; that window
must stay under 24 hours. --pattern gives some weekdays other hours, or makes them days off.
Overtime is work after the end (--overtime also-before-start counts early starts too), then
--overtime-min, --overtime-round and --overtime-cap apply in that order.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> Day --start 08:00 --end 17:00 --late-grace 10 --half-day-hours 4',
    '<%= config.bin %> <%= command.id %> Night --start 22:00 --end 06:00 --hours pairs',
    '<%= config.bin %> <%= command.id %> School --start 07:30 --end 14:00 --check-in-window 06:30-08:30 --check-out-window 13:30-16:00',
    '<%= config.bin %> <%= command.id %> Office --start 08:00 --end 17:00 --pattern fri=08:00-12:30,sat=09:00-13:00',
    '<%= config.bin %> <%= command.id %> Warehouse --start 07:00 --end 16:00 --overtime-min 30 --overtime-round 15 --overtime-cap 180',
  ]

  static override args = {name: Args.string({required: true, description: 'shift name, e.g. Day'})}
  static override flags = shiftRuleFlags

  async run(): Promise<ShiftView> {
    const {args, flags} = await this.parse(ShiftsAdd)
    const shift = await addShift(this.attendStore(flags.db), args.name, shiftInputFromFlags(flags), this.now())
    this.log(`Added shift ${shift.name}: ${describeShift(shift)}`)
    return shift
  }
}
