import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {deactivateEmployee, type EmployeeChange} from '../../employees/service.js'

export default class EmployeesDeactivate extends AttendCommand {
  static override summary = 'Mark an employee as having left.'
  static override description = `The employee stays in the directory with their punches and attendance history, but is no longer
listed as active. left_on defaults to today in the site time zone; attendance days after it are removed.`

  static override examples = ['<%= config.bin %> <%= command.id %> EMP014', '<%= config.bin %> <%= command.id %> EMP014 --left-on 2026-02-28']
  static override args = {
    code: Args.string({description: 'Employee code (case-insensitive).', required: true}),
  }

  static override flags = {
    'left-on': Flags.string({description: 'Last working day, YYYY-MM-DD (default: today).'}),
  }

  async run(): Promise<EmployeeChange> {
    const {args, flags} = await this.parse(EmployeesDeactivate)
    const employee = await deactivateEmployee(this.attendStore(flags.db), args.code, {leftOn: flags['left-on']}, this.now())
    this.log(`Deactivated ${employee.code} ${employee.name} (left on ${employee.leftOn}).`)
    if (employee.recomputed) this.log(describeRecompute(employee.recomputed))
    return employee
  }
}
