import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {relativeTime} from '../../devices/presence.js'
import {listDevicesWithPresence} from '../../devices/listing.js'
import type {DevicePresenceView} from '../../devices/presence-view.js'
import {REFUSED_RECENT_DAYS, type RefusedDevice} from '../../devices/service.js'
import type {UnregisteredSerial} from '../../devices/unregistered.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class DevicesList extends AttendCommand {
  static override summary = 'List registered devices — online or offline, last seen — and unregistered serials: refused by attend serve recently, or named by stored punches.'
  static override description = 'A device is online while it has been seen (any request, heartbeat, ADMS poll or pull) within device-offline-after (attend config; default 5 minutes).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = pageFlags()

  async run(): Promise<Page & {devices: DevicePresenceView[]; refused: RefusedDevice[]; unregistered: UnregisteredSerial[]}> {
    const {flags} = await this.parse(DevicesList)
    const now = this.now()
    const {devices: all, refused, unregistered, zone} = await listDevicesWithPresence(this.attendStore(flags.db), now)
    const page = pageOf(all, flags)
    const devices = page.rows
    const result = {...listed('devices', page), refused, unregistered}
    if (this.jsonEnabled()) return result
    if (page.total === 0) this.log('No devices registered.')
    else if (page.rows.length > 0) {
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
    this.logPage(page)
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
    if (unregistered.length > 0) {
      this.log('')
      this.log('Unregistered serials with stored punches (imported, or sent before registration) — add them with attend devices add:')
      this.log(
        renderTable(unregistered, [
          {header: 'Serial', get: (u) => u.serial},
          {header: 'Source', get: (u) => u.source},
          {header: 'Punches', get: (u) => u.punches, align: 'right'},
          {header: `First punch (${zone})`, get: (u) => formatLocal(u.firstPunchAt, zone)},
          {header: `Last punch (${zone})`, get: (u) => formatLocal(u.lastPunchAt, zone)},
        ]),
      )
    }
    return result
  }
}
