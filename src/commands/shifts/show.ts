import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {describeAssignee, describeShift} from '../../shifts/render.js'
import {showShift, type AssignmentView, type ShiftView} from '../../shifts/service.js'

export default class ShiftsShow extends AttendCommand {
  static override summary = 'Show one shift with its rules and assignments.'
  static override examples = ['<%= config.bin %> <%= command.id %> Day']
  static override args = {name: Args.string({required: true, description: 'shift name'})}

  async run(): Promise<ShiftView & {assignments: AssignmentView[]}> {
    const {args, flags} = await this.parse(ShiftsShow)
    const shift = await showShift(this.attendStore(flags.db), args.name)
    this.log(`${shift.name}${shift.isDefault ? ' (default shift)' : ''}: ${describeShift(shift)}`)
    if (shift.assignments.length === 0) {
      this.log(shift.isDefault ? 'Applies to everyone without an assignment.' : 'Not assigned to anyone.')
    } else {
      this.log(
        renderTable(shift.assignments, [
          {header: 'Id', get: (a) => a.id, align: 'right'},
          {header: 'Assigned to', get: (a) => describeAssignee(a)},
          {header: 'From', get: (a) => a.from},
          {header: 'To', get: (a) => a.to},
        ]),
      )
    }
    return shift
  }
}
