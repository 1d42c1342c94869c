import type {OutgoingEvent} from '../webhooks/events.js'
import {deviceStatusChanged} from '../webhooks/payloads.js'
import {presenceAt, type Presence, type PresenceTransition} from './presence.js'
import {toDeviceView, type Device, type DeviceView} from './service.js'

/** The `device.status_changed` events of a device's transitions (`device` as it is after them). */
export function presenceEvents(device: Device, transitions: readonly PresenceTransition[]): OutgoingEvent[] {
  return transitions.map((t) => deviceStatusChanged(device, {status: device.status, presence: t.to as Presence}, {presence: t.from}, t.at))
}

/** A device as listings show it, with its presence at the time of the listing. */
export interface DevicePresenceView extends DeviceView {
  /** online | offline by the last sighting and the offline delay; null when never seen. */
  presence: Presence | null
}

/** The device's view with its presence at `now`, by its last sighting and the offline delay. */
export function withPresence(device: Device, now: number, windowMs: number): DevicePresenceView {
  return {...toDeviceView(device), presence: presenceAt(device.lastSeenAt, now, windowMs)}
}
