import {Args, Flags} from '@oclif/core'

import {describeRecompute} from '../../attendance/summary.js'
import {AttendCommand} from '../../base-command.js'
import {updateEmployee, type EmployeeChange} from '../../employees/service.js'

export default class EmployeesUpdate extends AttendCommand {
  static override summary = 'Change an employee\'s details.'
  static override description = `Only the flags you pass change. An empty value ("") clears email, phone, department or a date.
A new --joined-on or --left-on recomputes the employee's attendance: no day stays outside employment.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> EMP001 --department Administration --phone "+254 712 345678"',
    '<%= config.bin %> <%= command.id %> EMP001 --email ""',
    '<%= config.bin %> <%= command.id %> EMP014 --active --left-on ""',
  ]

  static override args = {
    code: Args.string({description: 'Employee code (case-insensitive).', required: true}),
  }

  static override flags = {
    code: Flags.string({description: 'New employee code.'}),
    name: Flags.string({description: 'Full name.'}),
    email: Flags.string({description: 'Email address ("" to clear).'}),
    phone: Flags.string({description: 'Phone number ("" to clear).'}),
    department: Flags.string({description: 'Department ("" to clear).'}),
    'joined-on': Flags.string({description: 'First working day, YYYY-MM-DD ("" to clear).'}),
    'left-on': Flags.string({description: 'Last working day, YYYY-MM-DD ("" to clear).'}),
    active: Flags.boolean({description: 'Mark active (--no-active: inactive).', allowNo: true}),
  }

  async run(): Promise<EmployeeChange> {
    const {args, flags} = await this.parse(EmployeesUpdate)
    const employee = await updateEmployee(this.attendStore(flags.db),
      args.code,
      {
        code: flags.code,
        name: flags.name,
        email: flags.email,
        phone: flags.phone,
        department: flags.department,
        joinedOn: flags['joined-on'],
        leftOn: flags['left-on'],
        active: flags.active,
      },
      this.now(),
    )
    this.log(`Updated ${employee.code} ${employee.name}.`)
    // A new joining or leaving date recomputes their days: say what it did.
    if (employee.recomputed) this.log(describeRecompute(employee.recomputed))
    return employee
  }
}
