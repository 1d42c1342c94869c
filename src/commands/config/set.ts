import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {setConfig, type ConfigEntry} from '../../settings/config.js'

export default class ConfigSet extends AttendCommand {
  static override summary = 'Change a site setting.'
  static override description = `Keys: timezone (IANA name), week-off (e.g. sat,sun or none), default-shift (a shift name or
none), report-title (printed on reports), synchronous (NORMAL or FULL: FULL survives power loss at
some cost in write speed), future-margin (how far ahead of the clock a punch may be, e.g. 1d, 12h,
30m or off; default 1d: later punches are rejected with a reason), device-offline-after (a device
not seen for this long is offline and device.status_changed is sent; default 5m), webhook-retention
(delivered webhook deliveries are deleted after this long; default 30d).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> timezone Asia/Kolkata',
    '<%= config.bin %> <%= command.id %> week-off fri',
    '<%= config.bin %> <%= command.id %> report-title "Greenfield School — Staff attendance"',
    '<%= config.bin %> <%= command.id %> future-margin 12h',
    '<%= config.bin %> <%= command.id %> device-offline-after 15m',
  ]

  static override args = {
    key: Args.string({required: true, description: 'timezone, week-off, default-shift, report-title, synchronous, future-margin, device-offline-after or webhook-retention'}),
    value: Args.string({required: true, description: 'the new value'}),
  }

  async run(): Promise<ConfigEntry> {
    const {args, flags} = await this.parse(ConfigSet)
    const entry = await setConfig(this.attendStore(flags.db), args.key, args.value, this.now())
    this.log(`${entry.key}=${entry.value}`)
    return entry
  }
}
