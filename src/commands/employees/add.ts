import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {createEmployee, type Employee} from '../../employees/service.js'

export default class EmployeesAdd extends AttendCommand {
  static override summary = 'Add an employee to the directory.'
  static override description = `The code is what device user ids are mapped to and what reports show; it is unique
(case-insensitive). Without --code the next free EMP0001-style code is used.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --code EMP001 --name "Asha Kamau" --department Teaching --email asha@greenfield.ac.ke',
    '<%= config.bin %> <%= command.id %> --name "Brian Otieno" --joined-on 2024-01-08',
  ]

  static override flags = {
    code: Flags.string({description: 'Unique employee code (default: next free EMP0001-style code).'}),
    name: Flags.string({description: 'Full name.', required: true}),
    email: Flags.string({description: 'Email address.'}),
    phone: Flags.string({description: 'Phone number.'}),
    department: Flags.string({description: 'Department (used by filters, shift assignments and reports).'}),
    'joined-on': Flags.string({description: 'First working day, YYYY-MM-DD.'}),
  }

  async run(): Promise<Employee> {
    const {flags} = await this.parse(EmployeesAdd)
    const employee = await createEmployee(this.attendStore(flags.db),
      {code: flags.code, name: flags.name, email: flags.email, phone: flags.phone, department: flags.department, joinedOn: flags['joined-on']},
      this.now(),
    )
    this.log(`Added ${employee.code} ${employee.name}${employee.department ? ` (${employee.department})` : ''}.`)
    return employee
  }
}
