import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {listRosters, type RosterView} from '../../rosters/service.js'

export default class RostersList extends AttendCommand {
  static override summary = 'List the rotating rosters.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<RosterView[]> {
    const {flags} = await this.parse(RostersList)
    const rosters = listRosters(() => this.store(flags.db))
    if (rosters.length === 0) {
      this.log('No rosters yet: add one with attend rosters add NAME --cycle Day,Day,Night,Night,off,off.')
      return rosters
    }
    this.log(
      renderTable(rosters, [
        {header: 'Name', get: (r) => r.name},
        {header: 'Days', get: (r) => r.days, align: 'right'},
        {header: 'Cycle', get: (r) => r.cycle.join(', ')},
      ]),
    )
    return rosters
  }
}
