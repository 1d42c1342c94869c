import {AttendCommand} from '../../base-command.js'
import {renderTable} from '../../render/table.js'
import {describePattern} from '../../shifts/render.js'
import {listShifts, type ShiftView} from '../../shifts/service.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class ShiftsList extends AttendCommand {
  static override summary = 'List the shifts.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = pageFlags()

  async run(): Promise<Page & {shifts: ShiftView[]}> {
    const {flags} = await this.parse(ShiftsList)
    const page = pageOf(await listShifts(this.attendStore(flags.db)), flags)
    const result = listed('shifts', page)
    const shifts = page.rows
    if (page.total === 0) {
      this.log('No shifts yet: add one with attend shifts add NAME --start HH:MM --end HH:MM.')
      return result
    }
    if (page.rows.length === 0) {
      this.logPage(page)
      return result
    }
    this.log(
      renderTable(shifts, [
        {header: 'Name', get: (s) => (s.isDefault ? `${s.name} (default)` : s.name)},
        {header: 'Hours', get: (s) => `${s.start}–${s.end}`},
        {header: 'Grace', get: (s) => `${s.lateGraceMinutes}/${s.earlyGraceMinutes}`},
        {header: 'Half/absent h', get: (s) => `${s.halfDayHours}/${s.absentHours}`},
        {header: 'Margins', get: (s) => `${s.beforeMinutes}/${s.afterMinutes}`},
        {header: 'Windows', get: (s) => [s.checkInWindow, s.checkOutWindow].map((w) => w ?? '-').join(' ')},
        {header: 'Hours mode', get: (s) => s.hoursMode},
        {header: 'Direction', get: (s) => s.directionMode},
        {header: 'Week off', get: (s) => (s.weekOff ? s.weekOff.join(',') || 'none' : 'site')},
        {header: 'Pattern', get: (s) => (s.pattern ? describePattern(s.pattern) : '')},
      ]),
    )
    this.logPage(page)
    return result
  }
}
