import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {listRosters, type RosterView} from '../../rosters/service.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class RostersList extends AttendCommand {
  static override summary = 'List the rotating rosters.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = pageFlags()

  async run(): Promise<Page & {rosters: RosterView[]}> {
    const {flags} = await this.parse(RostersList)
    const page = pageOf(await listRosters(this.attendStore(flags.db)), flags)
    const result = listed('rosters', page)
    const rosters = page.rows
    if (page.total === 0) {
      this.log('No rosters yet: add one with attend rosters add NAME --cycle Day,Day,Night,Night,off,off.')
      return result
    }
    if (page.rows.length === 0) {
      this.logPage(page)
      return result
    }
    this.log(
      renderTable(rosters, [
        {header: 'Name', get: (r) => r.name},
        {header: 'Days', get: (r) => r.days, align: 'right'},
        {header: 'Cycle', get: (r) => r.cycle.join(', ')},
      ]),
    )
    this.logPage(page)
    return result
  }
}
