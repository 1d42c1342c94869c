import {Args} from '@oclif/core'

import type {LastPullView} from '../../agent/lease.js'
import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {showDevice} from '../../devices/listing.js'
import {relativeTime} from '../../devices/presence.js'
import type {DeviceView} from '../../devices/service.js'

export default class DevicesShow extends AttendCommand {
  static override summary = 'Show one device.'
  static override description = 'For agent-mode devices, also where attend pull reaches them and how their last pull went. The comm key itself is never shown: only whether one is set.'
  static override examples = ['<%= config.bin %> <%= command.id %> CDQ9192960002']
  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  async run(): Promise<DeviceView & {lastPull: LastPullView | null}> {
    const {args, flags} = await this.parse(DevicesShow)
    const now = this.now()
    const {device, presence, lastPull, zone} = await showDevice(this.attendStore(flags.db), args.serial, now)
    const lines: [string, string | null][] = [
      ['Serial', device.serial],
      ['Name', device.name],
      ['Location', device.location],
      ['Type', device.type],
      ['Mode', device.mode],
      ['Direction', device.direction],
      ['Status', device.status],
      ['Time zone', device.timezone ?? `site (${zone})`],
      ['State map', device.stateMap ?? 'none (status codes stored raw)'],
      ['CAMS stgid', device.camsStgid ?? 'none'],
      ['Allow from', device.allowFrom ?? 'anywhere'],
      ['Token', device.hasToken ? `${device.tokenPrefix}… (set)` : 'none'],
      ['Presence', presence ?? 'never seen'],
      ['Last seen', device.lastSeenAt === null ? 'never' : `${formatLocal(device.lastSeenAt, zone)} (${relativeTime(device.lastSeenAt, now)})`],
      ['Registered', formatLocal(device.createdAt, zone)],
    ]
    if (device.mode === 'agent' || device.ip) {
      lines.push(
        ['Address', device.ip ? `${device.ip.includes(':') ? `[${device.ip}]` : device.ip}:${device.port ?? 4370}` : 'none (set --ip)'],
        ['Protocol', device.protocol ?? 'auto (TCP, then UDP)'],
        ['Comm key', device.commKeySet ? 'set' : 'not set'],
        ['Last pull', describeLastPull(lastPull, zone)],
      )
    }
    for (const [label, value] of lines) this.log(`${(label + ':').padEnd(12)}${value ?? '-'}`)
    return {...device, lastPull}
  }
}

function describeLastPull(pull: LastPullView | null, zone: string): string {
  if (!pull || pull.at === null) return 'never'
  const when = formatLocal(pull.at, zone)
  if (pull.error) {
    const success = pull.lastSuccessAt ? `; last worked ${formatLocal(pull.lastSuccessAt, zone)}` : ''
    return `${when}, failed: ${pull.error}${success}`
  }
  return `${when}, ${pull.recordsRead} records read, ${pull.recordsNew} new, ${pull.users} users`
}
