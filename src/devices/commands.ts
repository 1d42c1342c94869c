import type {deviceCommands} from '../db/schema.js'
import {AttendError, UsageError} from '../errors.js'
import type {CommandResult} from '../server/zkteco/commands.js'
import type {AttendStore} from '../store/port.js'
import {parseDate} from '../time/date-input.js'
import type {Device} from './service.js'

/**
 * Commands for ZKTeco push-protocol terminals: queued here by an admin, handed out by `attend serve`
 * on the device's next `GET /iclock/getrequest` and closed by its `POST /iclock/devicecmd`
 * (src/server/zkteco/commands.ts).
 */
export type DeviceCommand = typeof deviceCommands.$inferSelect
export const deviceCommandStatuses = ['queued', 'sent', 'done', 'failed'] as const
export type DeviceCommandStatus = (typeof deviceCommandStatuses)[number]

/** What an admin can ask a device for; `attlog` dates are the device's own local dates. */
export type DeviceCommandRequest =
  | {kind: 'attlog'; from: string; to?: string}
  | {kind: 'users'}
  | {kind: 'info'}
  | {kind: 'reboot'}
  | {kind: 'check'}
  | {kind: 'raw'; command: string}

/** The `attend devices queue` flags, one of which names the request. */
export interface DeviceCommandChoices {
  attlogFrom?: string
  attlogTo?: string
  users?: boolean
  info?: boolean
  reboot?: boolean
  check?: boolean
  raw?: string
}

/** A queued command as admins see it (and as `--json` prints it): instants as ISO 8601 UTC. */
export interface DeviceCommandView {
  id: number
  command: string
  status: DeviceCommandStatus
  queuedAt: string
  sentAt: string | null
  doneAt: string | null
  /** The device's `Return=` value: 0 or a record count is success, negative is an error code. */
  returnCode: string | null
  /** What the device sent with its result (a Shell command's output), shortened; null when nothing. */
  result: string | null
}

/** The device a command list or a queued command belongs to. */
export interface DeviceCommandTarget {
  serial: string
  name: string
  /** The device's zone, else the site zone: the zone its local dates (and `attend` tables) use. */
  zone: string
  zoneIsSite: boolean
}

const CHOICE_FLAGS = ['--attlog-from', '--users', '--info', '--reboot', '--check', '--raw'] as const

/**
 * One line of text, as the wire format needs (one command per line). `what` names the source in
 * the error sentence.
 */
export function validateCommandText(command: string, what = 'The device command'): string {
  const text = command.trim()
  if (!text) throw new UsageError(`${what} cannot be empty.`, 'invalid_command')
  if (/[\r\n]/.test(text)) throw new UsageError(`${what} must be one line: it contains a line break.`, 'invalid_command')
  return text
}


/** Picks the one request the flags name; none or several is a usage error naming the choices. */
export function requestFromChoices(choices: DeviceCommandChoices): DeviceCommandRequest {
  const given = [
    choices.attlogFrom === undefined ? null : '--attlog-from',
    choices.users ? '--users' : null,
    choices.info ? '--info' : null,
    choices.reboot ? '--reboot' : null,
    choices.check ? '--check' : null,
    choices.raw === undefined ? null : '--raw',
  ].filter((flag): flag is (typeof CHOICE_FLAGS)[number] => flag !== null)
  const list = CHOICE_FLAGS.join(', ')
  if (choices.attlogTo !== undefined && choices.attlogFrom === undefined) {
    throw new UsageError(`--attlog-to needs --attlog-from: pass the first date of the range too.`, 'invalid_choice')
  }
  if (given.length === 0) throw new UsageError(`Nothing to queue: pass exactly one of ${list}.`, 'invalid_choice')
  if (given.length > 1) throw new UsageError(`Queue one command at a time: ${given.join(' and ')} were given together; pass exactly one of ${list}.`, 'invalid_choice')
  switch (given[0]) {
    case '--attlog-from':
      return {kind: 'attlog', from: choices.attlogFrom as string, to: choices.attlogTo}
    case '--users':
      return {kind: 'users'}
    case '--info':
      return {kind: 'info'}
    case '--reboot':
      return {kind: 'reboot'}
    case '--check':
      return {kind: 'check'}
    case '--raw':
      return {kind: 'raw', command: choices.raw as string}
  }
}

/**
 * The command line a ZKTeco terminal understands. `DATA QUERY ATTLOG` makes it upload again the
 * punches between two wall-clock times (its own clock, hence the device's local dates), with a TAB
 * between the two fields as in every other iclock record.
 */
export function commandText(request: DeviceCommandRequest): string {
  switch (request.kind) {
    case 'attlog': {
      const from = parseDate(request.from, '--attlog-from')
      const to = request.to === undefined ? from : parseDate(request.to, '--attlog-to')
      if (to < from) throw new UsageError(`Invalid --attlog-to "${to}": it is before --attlog-from ${from}.`, 'invalid_date')
      return `DATA QUERY ATTLOG StartTime=${from} 00:00:00\tEndTime=${to} 23:59:59`
    }
    case 'users':
      return 'DATA QUERY USERINFO'
    case 'info':
      return 'INFO'
    case 'reboot':
      return 'REBOOT'
    case 'check':
      return 'CHECK'
    case 'raw':
      return validateCommandText(request.command, 'The --raw command')
  }
}

/**
 * Why a command cannot be queued for the device: an inactive one is refused, since `attend serve`
 * refuses its polls and the command would wait silently until someone reactivated it.
 */
export function refusedCommandTarget(device: Device): AttendError | null {
  if (device.status === 'active') return null
  return new AttendError(
    `Device ${device.serial} (${device.name}) is inactive and attend serve refuses its polls: reactivate it with attend devices update ${device.serial} --status active first.`,
    {code: 'device_inactive'},
  )
}

/** A negative return code is a failure; zero or a count (DATA QUERY returns how many records it sent) is success. */
export function commandResultStatus(result: CommandResult): 'done' | 'failed' {
  const code = Number(result.returnCode)
  return result.returnCode !== '' && Number.isFinite(code) && code < 0 ? 'failed' : 'done'
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

export function toDeviceCommandView(command: DeviceCommand): DeviceCommandView {
  return {
    id: command.id,
    command: command.command,
    status: command.status,
    queuedAt: new Date(command.createdAt).toISOString(),
    sentAt: iso(command.sentAt),
    doneAt: iso(command.doneAt),
    returnCode: command.returnCode,
    result: command.result,
  }
}

async function targetOf(store: AttendStore, device: Device): Promise<DeviceCommandTarget> {
  const zone = device.timezone ?? (await store.siteSettings.read()).timezone
  return {serial: device.serial, name: device.name, zone, zoneIsSite: device.timezone === null}
}

/**
 * `attend devices queue`: the request is checked before the store is opened, so a typo never
 * creates a file. An inactive device is refused (`refusedCommandTarget`). The wire format is one
 * command per line, so a command cannot contain a line break.
 */
export async function queueCommandForDevice(
  store: AttendStore,
  serial: string,
  request: DeviceCommandRequest,
  now: number,
): Promise<{device: DeviceCommandTarget; command: DeviceCommandView}> {
  const text = validateCommandText(commandText(request))
  const {device, command} = await store.devices.queueCommand(serial, text, now)
  return {device: await targetOf(store, device), command: toDeviceCommandView(command)}
}

export function assertCommandStatus(value: string): DeviceCommandStatus {
  const status = value.trim().toLowerCase()
  if (!(deviceCommandStatuses as readonly string[]).includes(status)) {
    throw new UsageError(`Invalid --status "${value}": expected ${deviceCommandStatuses.join(', ')}.`, 'invalid_status')
  }
  return status as DeviceCommandStatus
}

/** `attend devices commands`: the device's commands, oldest first, optionally of one status. */
export async function listCommandsForDevice(
  store: AttendStore,
  serial: string,
  filter: {status?: string} = {},
): Promise<{device: DeviceCommandTarget; commands: DeviceCommandView[]}> {
  const status = filter.status === undefined ? undefined : assertCommandStatus(filter.status)
  const {device, commands} = await store.devices.commands(serial, status)
  return {device: await targetOf(store, device), commands: commands.map(toDeviceCommandView)}
}
