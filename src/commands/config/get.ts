import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {configKeysOf, getConfig, type ConfigEntry} from '../../settings/config.js'

export default class ConfigGet extends AttendCommand {
  static override summary = 'Show one site setting, or all of them.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> timezone']
  static override args = {
    key: Args.string({description: 'timezone, week-off, default-shift, report-title or synchronous'}),
  }

  async run(): Promise<ConfigEntry[]> {
    const {args, flags} = await this.parse(ConfigGet)
    // A mistyped key is refused before any store is opened (or created).
    const keys = configKeysOf(args.key)
    const entries = await getConfig(await this.attendStore(flags.db), keys)
    for (const entry of entries) this.log(args.key ? entry.value : `${entry.key}=${entry.value}`)
    return entries
  }
}
