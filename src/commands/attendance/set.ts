import {Args, Flags} from '@oclif/core'

import {describeStatus, formatMinutes} from '../../attendance/list.js'
import {manualStatuses, setManualDay, type ManualChange} from '../../attendance/manual.js'
import {AttendCommand} from '../../base-command.js'

export default class AttendanceSet extends AttendCommand {
  static override summary = 'Set one day by hand: an admin\'s decision that recompute never overwrites.'
  static override description = `The day shows the given status (and times, for present or half_day) whatever the punches say,
flagged manual in lists and reports, until attend attendance unset returns it to the engine. Late,
early and overtime are measured from the given times by the shift's rules. A check-out at or
before the check-in is on the next day (night shifts).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> EMP007 2026-03-03 --status present --in 08:00 --out 17:00 --note "Reader was down"',
    '<%= config.bin %> <%= command.id %> EMP007 2026-03-04 --status leave --note "Approved by HR"',
  ]

  static override args = {
    code: Args.string({required: true, description: 'employee code'}),
    date: Args.string({required: true, description: 'YYYY-MM-DD'}),
  }

  static override flags = {
    status: Flags.string({required: true, description: `The day's status: ${manualStatuses.join(', ')}.`}),
    in: Flags.string({description: 'Check-in HH:MM (with --out; present or half_day only).'}),
    out: Flags.string({description: 'Check-out HH:MM (with --in).'}),
    note: Flags.string({description: 'Why, for whoever reads the register later.'}),
  }

  async run(): Promise<ManualChange> {
    const {args, flags} = await this.parse(AttendanceSet)
    const change = await setManualDay(this.attendStore(flags.db), args.code, args.date, flags, this.now())
    const {manual, day} = change
    const times = manual.checkIn ? ` ${manual.checkIn}–${manual.checkOut}` : ''
    this.log(`Set ${manual.employeeCode} on ${manual.date} to ${manual.status}${times} by hand${manual.note ? ` (${manual.note})` : ''}.`)
    if (day) {
      const figures = [`worked ${formatMinutes(day.workedMinutes)}`]
      if (day.lateMinutes) figures.push(`late ${day.lateMinutes} min`)
      if (day.earlyMinutes) figures.push(`early ${day.earlyMinutes} min`)
      if (day.overtimeMinutes) figures.push(`overtime ${formatMinutes(day.overtimeMinutes)}`)
      this.log(`${day.date}: ${describeStatus(day)}, ${figures.join(', ')}${day.shift ? ` (shift ${day.shift})` : ''}.`)
    } else {
      this.log(`${manual.date} is after today: the day takes this status once it comes.`)
    }
    return change
  }
}
