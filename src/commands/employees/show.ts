import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {requireEmployee, type Employee} from '../../employees/service.js'
import {listMappings, type MappingView} from '../../mappings/service.js'

export type EmployeeDetails = Employee & {mappings: Pick<MappingView, 'deviceUserId' | 'device'>[]}

export default class EmployeesShow extends AttendCommand {
  static override summary = 'Show one employee and the device user ids mapped to them.'
  static override examples = ['<%= config.bin %> <%= command.id %> EMP001']
  static override args = {
    code: Args.string({description: 'Employee code (case-insensitive).', required: true}),
  }

  async run(): Promise<EmployeeDetails> {
    const {args, flags} = await this.parse(EmployeesShow)
    const store = this.attendStore(flags.db)
    const employee = await requireEmployee(store, args.code)
    const mappings = (await listMappings(store, {employeeCode: employee.code})).map((m) => ({deviceUserId: m.deviceUserId, device: m.device}))
    const lines: [string, string | null][] = [
      ['Code', employee.code],
      ['Name', employee.name],
      ['Department', employee.department],
      ['Email', employee.email],
      ['Phone', employee.phone],
      ['Joined on', employee.joinedOn],
      ['Left on', employee.leftOn],
      ['Status', employee.active ? 'active' : 'inactive'],
      ['Device users', mappings.map((m) => (m.device ? `${m.deviceUserId} on ${m.device}` : `${m.deviceUserId} (all devices)`)).join(', ') || null],
    ]
    for (const [label, value] of lines) this.log(`${(label + ':').padEnd(14)}${value ?? '-'}`)
    return {...employee, mappings}
  }
}
