import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {addManualPunch, type PunchView} from '../../punches/service.js'

export default class PunchesAdd extends AttendCommand {
  static override summary = 'Record a manual punch (e.g. a forgotten check-out).'
  static override description = `The time is site-local. The punch goes through the same pipeline as device punches (so the
employee's day is recomputed) and is flagged manual; only manual punches can be removed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> EMP001 --at "2026-03-12 17:30" --direction out --note "forgot to punch out"',
  ]

  static override args = {
    employee: Args.string({required: true, description: 'Employee code'}),
  }

  static override flags = {
    at: Flags.string({required: true, description: 'Local time "YYYY-MM-DD HH:MM" in the site zone.'}),
    direction: Flags.string({description: 'in or out (default: decided by the day\'s rules).', options: ['in', 'out']}),
    note: Flags.string({description: 'Why the punch was added.'}),
  }

  async run(): Promise<PunchView> {
    const {args, flags} = await this.parse(PunchesAdd)
    const punch = await addManualPunch(this.attendStore(flags.db), {employeeCode: args.employee, at: flags.at, direction: flags.direction, note: flags.note}, this.now())
    this.log(`Added manual punch ${punch.id}: ${punch.employeeCode} at ${punch.localTime}${punch.direction ? ` (${punch.direction})` : ''}`)
    return punch
  }
}
