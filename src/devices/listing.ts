import type {LastPullView} from '../agent/lease.js'
import type {RefusedDevice} from './service.js'
import {listRefusedDevices, requireDevice, type DeviceView} from './service.js'
import type {AttendStore} from '../store/port.js'
import type {Presence} from './presence.js'
import {withPresence, type DevicePresenceView} from './presence-view.js'
import {listUnregisteredSerials, type UnregisteredSerial} from './unregistered.js'

/** `attend devices list`: the registered devices with their presence, and the serials knocking or named by punches. */
export interface DeviceListing {
  devices: DevicePresenceView[]
  refused: RefusedDevice[]
  unregistered: UnregisteredSerial[]
  /** The site zone the instants are shown in. */
  zone: string
}

export async function listDevicesWithPresence(store: AttendStore, now: number): Promise<DeviceListing> {
  const settings = await store.siteSettings.read()
  const windowMs = settings.deviceOfflineAfterMinutes * 60_000
  const devices = (await store.devices.list()).map((device) => withPresence(device, now, windowMs))
  return {devices, refused: await listRefusedDevices(store, now), unregistered: await listUnregisteredSerials(store), zone: settings.timezone}
}

/** `attend devices show`: the device, its presence and (agent mode) how its last pull went. */
export interface DeviceDetail {
  device: DeviceView
  presence: Presence | null
  lastPull: LastPullView | null
  /** The zone its instants are shown in: its own, else the site's. */
  zone: string
}

export async function showDevice(store: AttendStore, serial: string, now: number): Promise<DeviceDetail> {
  const row = await requireDevice(store, serial)
  const settings = await store.siteSettings.read()
  const view = withPresence(row, now, settings.deviceOfflineAfterMinutes * 60_000)
  const {presence, ...device} = view
  return {device, presence, lastPull: await store.agentPulls.lastPull(row.id), zone: row.timezone ?? settings.timezone}
}
