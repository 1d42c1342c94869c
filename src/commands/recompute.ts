import {Flags} from '@oclif/core'

import type {RecomputeResult} from '../attendance/recompute-result.js'
import {DEFAULT_RECOMPUTE_DAYS, runRecompute} from '../attendance/run.js'
import {describeRecompute} from '../attendance/summary.js'
import {AttendCommand} from '../base-command.js'
import {dateFlag} from '../cli/flags.js'
import {progressBar} from '../render/progress.js'

export default class Recompute extends AttendCommand {
  static override summary = `Recompute daily attendance from punches, shifts and the calendar (default: the last ${DEFAULT_RECOMPUTE_DAYS} days).`
  static override description = `Safe to run any time: the same punches give the same records, and a second run changes
nothing. Days after today are never created.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --from 2026-01-01 --to 2026-03-31',
    '<%= config.bin %> <%= command.id %> --employee EMP007 --from 2026-03-01',
  ]

  static override flags = {
    from: dateFlag({description: 'First date YYYY-MM-DD (default: 30 days before --to).'}),
    to: dateFlag({description: 'Last date YYYY-MM-DD (default: today).'}),
    employee: Flags.string({description: 'Only this employee (code).', exclusive: ['department']}),
    department: Flags.string({description: 'Only this department.', exclusive: ['employee']}),
  }

  async run(): Promise<RecomputeResult> {
    const {flags} = await this.parse(Recompute)
    // A progress bar only on a terminal: cron mail and pipes get the summary line alone. The work
    // is synchronous, so Ctrl-C ends the process at once: the cursor is never hidden.
    const bar = process.stderr.isTTY && !this.jsonEnabled() ? progressBar({unit: 'employees'}) : null
    try {
      const result = await runRecompute(this.attendStore(flags.db), flags, this.now(), (done, total) => bar?.update({label: 'Recomputing', value: done, total}))
      bar?.stop()
      this.log(describeRecompute(result))
      return result
    } catch (error) {
      bar?.stop()
      throw error
    }
  }
}
