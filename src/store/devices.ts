import type {DeviceCommand, DeviceCommandStatus} from '../devices/commands.js'
import type {Device, DeviceChange, NewDevice, RefusedDevice} from '../devices/service.js'
import type {UnregisteredSerial} from '../devices/unregistered.js'
import type {CommandResult} from '../server/zkteco/commands.js'

/** A fresh token as stored: its hash and the prefix a Bearer token finds its device by. */
export interface StoredToken {
  hash: string
  prefix: string
}

/** What a device announcing itself (worker attendance `device_info`) may say about itself. */
export interface DeviceAnnouncement {
  serial: string
  name?: string
  location?: string
}

/** A request from a serial nobody registered, as `attend devices list` shows it. */
export interface RefusedSighting {
  serial: string
  remoteAddress?: string | null
  route?: string | null
}

/**
 * The device registry, what devices are seen doing, and the commands queued for them: a section of
 * the store port (docs/architecture.md, "The store port"). Every operation is a whole unit of work,
 * committed when its promise resolves; a refusal (unknown serial, taken serial or service tag id,
 * inactive device) is thrown as attend's own error before anything is written.
 */
export interface DevicesSection {
  bySerial(serial: string): Promise<Device | undefined>
  /** The device a CAMS gateway names by its service tag id. */
  byStgid(stgid: string): Promise<Device | undefined>
  byId(id: number): Promise<Device | undefined>
  /** The device whose current token this is (found by its prefix, then compared in constant time). */
  byToken(token: string): Promise<Device | undefined>
  /** Every registered device, by serial. */
  list(): Promise<Device[]>

  /** Registers a device (refusing a taken serial or service tag id); it leaves the refused serials. */
  create(values: NewDevice, token: StoredToken, now: number): Promise<Device>
  /**
   * Applies `change` to the device with this serial (checked against the stored device by
   * `checkDeviceChange`); a status change queues its `device.status_changed` in the same unit.
   */
  update(serial: string, change: DeviceChange, now: number): Promise<Device>
  /** Replaces the device's token: the old one stops working at once. */
  replaceToken(serial: string, token: StoredToken, now: number): Promise<Device>
  /** A device announcing itself: registered as an online push device when unknown, else returned as stored. */
  announce(input: DeviceAnnouncement, now: number): Promise<Device>
  /** Keeps the `Stamp` of an acknowledged ZKTeco upload, handed back on the next handshake. */
  recordStamp(deviceId: number, table: 'attlog' | 'operlog', stamp: string): Promise<void>
  /** Replaces the options the device reported last with `reported` (its current options, not the union of all it ever sent). */
  saveOptions(deviceId: number, reported: Record<string, string>, now: number): Promise<void>

  /**
   * The device was seen at `now`: its last-seen time moves, and when it was offline or never seen
   * it comes online with its `device.status_changed` queued, once however many servers see it.
   */
  markSeen(deviceId: number, now: number): Promise<void>
  /** Counts a request from an unregistered serial (the most recent `REFUSED_KEPT` are kept). */
  recordRefused(sighting: RefusedSighting, now: number): Promise<void>
  /** Unregistered serials refused since `since`, most recent first. */
  refusedSince(since: number): Promise<RefusedDevice[]>
  /** Serials stored punches name that no registered device has, latest punch first. */
  unregisteredSerials(): Promise<UnregisteredSerial[]>

  /** Queues a command for the active device with this serial (an inactive one is refused). */
  queueCommand(serial: string, command: string, now: number): Promise<{device: Device; command: DeviceCommand}>
  /** The device's commands, oldest first, optionally of one status. */
  commands(serial: string, status?: DeviceCommandStatus): Promise<{device: Device; commands: DeviceCommand[]}>
  /**
   * Hands out the device's oldest queued commands (at most `limit`) and marks them sent. However
   * many servers the device polls at once, each command is handed out once.
   */
  takeCommands(deviceId: number, now: number, limit: number): Promise<DeviceCommand[]>
  /** Closes the device's own commands with the results it sent; returns how many matched. */
  recordResults(deviceId: number, results: readonly CommandResult[], now: number): Promise<{updated: number}>
}
