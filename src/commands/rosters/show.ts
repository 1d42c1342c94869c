import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {showRoster, type RosterView} from '../../rosters/service.js'
import type {AssignmentView} from '../../shifts/service.js'
import {describeAssignee} from '../../shifts/render.js'

export default class RostersShow extends AttendCommand {
  static override summary = 'Show one roster: its cycle day by day and its assignments.'
  static override examples = ['<%= config.bin %> <%= command.id %> Rotation']
  static override args = {name: Args.string({required: true, description: 'roster name'})}

  async run(): Promise<RosterView & {assignments: AssignmentView[]}> {
    const {args, flags} = await this.parse(RostersShow)
    const roster = await showRoster(this.attendStore(flags.db), args.name)
    this.log(`${roster.name}: ${roster.days}-day cycle`)
    this.log(renderTable(roster.cycle.map((entry, i) => ({day: i + 1, entry})), [
      {header: 'Day', get: (d) => d.day, align: 'right'},
      {header: 'Shift', get: (d) => d.entry},
    ]))
    if (roster.assignments.length === 0) {
      this.log('Not assigned to anyone: attend rosters assign NAME --employee CODE --from DATE.')
    } else {
      this.log('')
      this.log(
        renderTable(roster.assignments, [
          {header: 'Id', get: (a) => a.id, align: 'right'},
          {header: 'Assigned to', get: (a) => describeAssignee(a)},
          {header: 'From (day 1)', get: (a) => a.from},
          {header: 'To', get: (a) => a.to},
        ]),
      )
    }
    return roster
  }
}
