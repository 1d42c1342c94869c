import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {relativeTime} from '../../devices/presence.js'
import {listDevicesWithPresence, type DevicePresenceView} from '../../devices/presence-store.js'
import {listRefusedDevices, REFUSED_RECENT_DAYS, type RefusedDevice} from '../../devices/service.js'
import {renderTable} from '../../render/table.js'
import {readSettings} from '../../settings/settings.js'

export default class DevicesList extends AttendCommand {
  static override summary = 'List registered devices — online or offline, last seen — and unregistered serials attend serve refused recently.'
  static override description = 'A device is online while it has been seen (any request, heartbeat, ADMS poll or pull) within device-offline-after (attend config; default 5 minutes).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<{devices: DevicePresenceView[]; refused: RefusedDevice[]}> {
    const {flags} = await this.parse(DevicesList)
    const store = this.store(flags.db)
    const zone = readSettings(store).timezone
    const now = this.now()
    const devices = listDevicesWithPresence(store, now)
    const refused = listRefusedDevices(store, now)
    if (this.jsonEnabled()) return {devices, refused}
    if (devices.length === 0) this.log('No devices registered.')
    else {
      this.log(
        renderTable(devices, [
          {header: 'Serial', get: (d) => d.serial},
          {header: 'Name', get: (d) => d.name},
          {header: 'Location', get: (d) => d.location},
          {header: 'Mode', get: (d) => d.mode},
          {header: 'Direction', get: (d) => d.direction},
          {header: 'Status', get: (d) => d.status},
          {header: 'Zone', get: (d) => d.timezone},
          {header: 'Token', get: (d) => (d.hasToken ? `${d.tokenPrefix}…` : null)},
          {header: 'Presence', get: (d) => d.presence ?? 'never seen'},
          {header: 'Last seen', get: (d) => (d.lastSeenAt === null ? null : relativeTime(d.lastSeenAt, now))},
        ]),
      )
    }
    if (refused.length > 0) {
      this.log('')
      this.log(`Refused (unregistered) serials, last ${REFUSED_RECENT_DAYS} days — add them with attend devices add:`)
      this.log(
        renderTable(refused, [
          {header: 'Serial', get: (r) => r.serial},
          {header: 'Address', get: (r) => r.remoteAddress},
          {header: 'Route', get: (r) => r.route},
          {header: 'Attempts', get: (r) => r.attempts, align: 'right'},
          {header: `First seen (${zone})`, get: (r) => formatLocal(r.firstSeenAt, zone)},
          {header: `Last seen (${zone})`, get: (r) => formatLocal(r.lastSeenAt, zone)},
        ]),
      )
    }
    return {devices, refused}
  }
}
