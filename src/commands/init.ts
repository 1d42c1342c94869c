import {Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {describeLocation} from '../db/location.js'
import {initSite, type InitResult} from '../settings/init.js'

export default class Init extends AttendCommand {
  static override summary = 'Create (or migrate) the store and set the site time zone and week off days.'
  static override description = `Safe to run twice: an existing store is migrated to the current schema and only the
settings you pass are changed. Prints the store path it uses.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --timezone Africa/Nairobi --week-off sat,sun',
    '<%= config.bin %> <%= command.id %> --db /var/lib/attend/attend.db',
  ]

  static override createsStore = 'with-folders' as const

  static override flags = {
    timezone: Flags.string({description: 'Site time zone (IANA name). Default: the machine\'s zone on first run.'}),
    'week-off': Flags.string({description: 'Weekly off days, comma-separated (e.g. sat,sun; none for a 7-day week).'}),
  }

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(Init)
    const result = await initSite(this.attendStore(flags.db), describeLocation(this.storeLocation(flags.db)), {timezone: flags.timezone, weekOff: flags['week-off']}, this.now())
    this.log(`${result.created ? 'Created' : 'Using'} store ${result.path}`)
    this.log(`Time zone: ${result.settings.timezone}`)
    this.log(`Week off:  ${result.settings.weekOff.join(',') || 'none'}`)
    return result
  }
}
