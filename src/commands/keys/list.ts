import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {describeLimits, listApiKeys, type ApiKeyRecord} from '../../keys/service.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class KeysList extends AttendCommand {
  static override summary = 'List API keys: name, prefix, scopes, limits, last use, revoked.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = pageFlags()

  async run(): Promise<Page & {keys: ApiKeyRecord[]}> {
    const {flags} = await this.parse(KeysList)
    const store = this.attendStore(flags.db)
    const zone = (await store.siteSettings.read()).timezone
    const page = pageOf(await listApiKeys(store), flags)
    const result = listed('keys', page)
    const keys = page.rows
    if (this.jsonEnabled()) return result
    if (page.total === 0) this.log('No API keys. Create one with attend keys create --name NAME.')
    else if (page.rows.length > 0) {
      this.log(
        renderTable(keys, [
          {header: 'Name', get: (k) => k.name},
          {header: 'Prefix', get: (k) => k.prefix},
          {header: 'Scopes', get: (k) => k.scopes.join(',')},
          {header: 'Limits', get: (k) => describeLimits(k)},
          {header: 'Created', get: (k) => formatLocal(k.createdAt, zone)},
          {header: 'Last used', get: (k) => formatLocal(k.lastUsedAt, zone) ?? 'never'},
          {header: 'Revoked', get: (k) => formatLocal(k.revokedAt, zone)},
        ]),
      )
    }
    this.logPage(page)
    return result
  }
}
