import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {createApiKey, describeLimits, parseRateLimit, parseScopes, type ApiKeyRecord} from '../../keys/service.js'

export default class KeysCreate extends AttendCommand {
  static override summary = 'Create an API key for attend serve and print it once.'
  static override description = `Scopes: ingest (send punches), read (users, devices, reports), admin (manage users).
Default scopes: ingest,read. Default limits: 1000/hour and 10000/day; each --limit replaces the
defaults (windows: second, minute, hour, day). Only the key's hash is stored.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name "HR portal" --scopes read',
    '<%= config.bin %> <%= command.id %> --name gate-bridge --scopes ingest --limit 100/minute --limit 1000/hour',
  ]

  static override flags = {
    name: Flags.string({description: 'Who uses the key (shown in listings).', required: true}),
    scopes: Flags.string({description: 'Comma-separated: ingest, read, admin.', default: 'ingest,read'}),
    limit: Flags.string({description: 'Rate limit COUNT/WINDOW, e.g. 100/minute (repeatable).', multiple: true}),
  }

  async run(): Promise<{key: string; record: ApiKeyRecord}> {
    const {flags} = await this.parse(KeysCreate)
    const input = {name: flags.name, scopes: parseScopes(flags.scopes), limits: flags.limit?.map(parseRateLimit)}
    const result = await createApiKey(this.attendStore(flags.db), input, this.now())
    const {record} = result
    this.log(`Created API key "${record.name}" (prefix ${record.prefix}): scopes ${record.scopes.join(',')}; limits ${describeLimits(record)}.`)
    this.log('Key (shown once; only its hash is stored):')
    this.log(`  ${result.key}`)
    return result
  }
}
