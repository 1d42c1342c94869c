import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listHolidays, type Holiday} from '../../holidays/service.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class HolidaysList extends AttendCommand {
  static override summary = 'List holidays.'
  static override examples = ['<%= config.bin %> <%= command.id %> --year 2026']
  static override flags = {year: Flags.string({description: 'Only this year, e.g. 2026.'}), ...pageFlags()}

  async run(): Promise<Page & {holidays: Holiday[]}> {
    const {flags} = await this.parse(HolidaysList)
    const page = pageOf(await listHolidays(this.attendStore(flags.db), flags.year), flags)
    const result = listed('holidays', page)
    const holidays = page.rows
    if (page.total === 0) this.log(flags.year ? `No holidays in ${flags.year}.` : 'No holidays yet.')
    else if (page.rows.length > 0) {
      this.log(
        renderTable(holidays, [
          {header: 'Date', get: (h) => h.date},
          {header: 'Name', get: (h) => h.name},
          {header: 'Off', get: (h) => (h.half ? `${h.half} half` : 'whole day')},
        ]),
      )
    }
    this.logPage(page)
    return result
  }
}
