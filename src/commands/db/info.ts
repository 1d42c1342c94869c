import {AttendCommand} from '../../base-command.js'
import {describeSchemaVersion, engineName, formatSize} from '../../db/admin/describe.js'
import {storeInfo, type StoreInfo} from '../../db/admin/info.js'
import {renderTable} from '../../render/table.js'

export default class DbInfo extends AttendCommand {
  static override summary = 'Show the store: its engine (SQLite or PostgreSQL), schema version and rows per table.'
  static override description = `Works on both engines: --db (or ATTEND_DB) is a SQLite file path or a postgres:// URL.
Only reads: nothing is created or migrated, so it also describes a store an older or newer attend made.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --db postgres://attend@db.example/attend',
    '<%= config.bin %> <%= command.id %> --db /var/lib/attend/attend.db --json',
  ]

  async run(): Promise<StoreInfo> {
    const {flags} = await this.parse(DbInfo)
    const info = await storeInfo(this.storeLocation(flags.db))
    if (this.jsonEnabled()) return info
    this.log(`Engine:  ${engineName(info.engine)} ${info.engineVersion}`)
    this.log(`Store:   ${info.location} (${formatSize(info.sizeBytes)})`)
    this.log(`Schema:  ${describeSchemaVersion(info.schema)}`)
    this.log('')
    this.log(
      renderTable([...info.tables, {table: 'Total', rows: info.rows}], [
        {header: 'Table', get: (t) => t.table},
        {header: 'Rows', get: (t) => (t.rows === null ? 'missing' : t.rows), align: 'right'},
      ]),
    )
    return info
  }
}
