import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {revokeApiKey, type ApiKeyRecord} from '../../keys/service.js'

export default class KeysRevoke extends AttendCommand {
  static override summary = 'Revoke an API key by name or prefix.'
  static override description = 'The key stops working at once; it stays in attend keys list as revoked.'
  static override examples = ['<%= config.bin %> <%= command.id %> "HR portal"', '<%= config.bin %> <%= command.id %> 3f9a1c7e']
  static override args = {
    key: Args.string({description: 'The key\'s name or prefix (from attend keys list).', required: true}),
  }

  async run(): Promise<ApiKeyRecord> {
    const {args, flags} = await this.parse(KeysRevoke)
    const record = await revokeApiKey(this.attendStore(flags.db), args.key, this.now())
    this.log(`Revoked API key "${record.name}" (prefix ${record.prefix}).`)
    return record
  }
}

