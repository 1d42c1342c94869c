import type {devices, refusedDevices} from '../db/schema.js'
import {ConflictError, unknownDevice, UsageError} from '../errors.js'
import {MAX_ID_LENGTH, nameTooLong, quote} from '../formats/input-policy.js'
import {describeStateMap, parseStateMapFlag} from '../formats/state-map.js'
import type {AttendStore} from '../store/port.js'
import {assertTimeZone} from '../time/zone.js'
import type {OutgoingEvent} from '../webhooks/events.js'
import {deviceStatusChanged} from '../webhooks/payloads.js'
import {describeAllowFrom, parseAllowFrom} from './allow-list.js'
import {checkAgentSettings, parseAgentSettings, type AgentSettings, type AgentSettingsInput} from './agent-settings.js'
import {generateDeviceToken} from './token.js'

export type Device = typeof devices.$inferSelect
export type RefusedDevice = typeof refusedDevices.$inferSelect

export const deviceDirections = ['auto', 'in', 'out'] as const
export const deviceModes = ['push', 'agent'] as const
export const deviceStatuses = ['active', 'inactive'] as const
export type DeviceDirection = (typeof deviceDirections)[number]
export type DeviceMode = (typeof deviceModes)[number]
export type DeviceStatus = (typeof deviceStatuses)[number]

export interface DeviceInput extends AgentSettingsInput {
  serial: string
  name: string
  location?: string | null
  type?: string | null
  direction?: string
  mode?: string
  timezone?: string | null
  /** `0=in,1=out`: raw status/state code → direction, for devices whose codes are known. */
  stateMap?: string | null
  /** The CAMS gateway's service tag id (`ST-…`), for batches that name the device only by it. */
  camsStgid?: string | null
  /** `192.168.1.0/24,10.0.0.7`: the only addresses the device may connect from. */
  allowFrom?: string | null
}

/** undefined = leave as is; null or '' clears location, type and time zone. */
export interface DevicePatch extends AgentSettingsInput {
  name?: string
  location?: string | null
  type?: string | null
  direction?: string
  mode?: string
  status?: string
  timezone?: string | null
  stateMap?: string | null
  camsStgid?: string | null
  allowFrom?: string | null
}

/** A device as shown to admins: never the token hash. */
export interface DeviceView {
  id: number
  serial: string
  name: string
  location: string | null
  type: string | null
  direction: DeviceDirection
  mode: DeviceMode
  status: DeviceStatus
  timezone: string | null
  /** Raw code → direction, e.g. `0=in,1=out`; null when the device's codes give no direction. */
  stateMap: string | null
  /** CAMS service tag id; null when the device is not behind a CAMS gateway. */
  camsStgid: string | null
  /** Addresses and ranges it may connect from, `192.168.1.0/24, 10.0.0.7`; null = anywhere. */
  allowFrom: string | null
  /** Agent mode: where attend pull reaches it (null port = 4370, null protocol = auto). */
  ip: string | null
  port: number | null
  protocol: 'tcp' | 'udp' | 'auto' | null
  /** Whether a comm key is stored; the key itself is never shown. */
  commKeySet: boolean
  hasToken: boolean
  tokenPrefix: string | null
  lastSeenAt: number | null
  createdAt: number
  updatedAt: number
}

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

export function validateSerial(value: string): string {
  const serial = value.trim()
  if (!SERIAL.test(serial)) {
    throw new UsageError(`Invalid device serial ${quote(value)}: use up to ${MAX_ID_LENGTH} letters, digits, ".", "_", ":" or "-", such as CDQ9192960002.`, 'invalid_serial')
  }
  return serial
}

/** A CAMS service tag id: the same alphabet as a serial (`ST-4FJ2K9`); '' or none clears it. */
function optionalStgid(value: string | null | undefined): string | null {
  const text = value?.trim() ?? ''
  if (!text || text.toLowerCase() === 'none') return null
  if (!SERIAL.test(text)) {
    throw new UsageError(`Invalid CAMS service tag id ${quote(value ?? '')}: use up to ${MAX_ID_LENGTH} letters, digits, ".", "_", ":" or "-", such as ST-4FJ2K9.`, 'invalid_stgid')
  }
  return text
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim().toLowerCase()
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`Invalid ${what} "${value}": expected ${allowed.join(', ')}.`, `invalid_${what}`)
  return v as T
}

function optionalText(value: string | null | undefined, what: string): string | null {
  const text = value?.trim() ?? ''
  const tooLong = nameTooLong(text, what)
  if (tooLong) throw new UsageError(tooLong, 'invalid_text')
  return text || null
}

function optionalZone(value: string | null | undefined): string | null {
  const zone = value?.trim() ?? ''
  if (!zone || zone.toLowerCase() === 'none') return null
  return assertTimeZone(zone, 'device time zone')
}

function requiredName(value: string): string {
  const name = value.trim()
  if (!name) throw new UsageError('The device name cannot be empty.', 'invalid_name')
  const tooLong = nameTooLong(name, 'The device name')
  if (tooLong) throw new UsageError(tooLong, 'invalid_name')
  return name
}

export function normalizeDeviceInput(input: DeviceInput) {
  return {
    serial: validateSerial(input.serial),
    name: requiredName(input.name),
    location: optionalText(input.location, 'The location'),
    type: optionalText(input.type, 'The device type'),
    direction: oneOf(input.direction ?? 'auto', deviceDirections, 'direction'),
    mode: oneOf(input.mode ?? 'push', deviceModes, 'mode'),
    timezone: optionalZone(input.timezone),
    stateMap: input.stateMap === undefined || input.stateMap === null ? null : parseStateMapFlag(input.stateMap),
    camsStgid: optionalStgid(input.camsStgid),
    allowFrom: input.allowFrom === undefined || input.allowFrom === null ? null : parseAllowFrom(input.allowFrom),
    ...parseAgentSettings({ip: input.ip, port: input.port, protocol: input.protocol, commKey: input.commKey}),
  }
}

export function normalizeDevicePatch(patch: DevicePatch): Partial<Device> {
  const out: Partial<Device> = {}
  if (patch.name !== undefined) out.name = requiredName(patch.name)
  if (patch.location !== undefined) out.location = optionalText(patch.location, 'The location')
  if (patch.type !== undefined) out.type = optionalText(patch.type, 'The device type')
  if (patch.direction !== undefined) out.direction = oneOf(patch.direction, deviceDirections, 'direction')
  if (patch.mode !== undefined) out.mode = oneOf(patch.mode, deviceModes, 'mode')
  if (patch.status !== undefined) out.status = oneOf(patch.status, deviceStatuses, 'status')
  if (patch.timezone !== undefined) out.timezone = optionalZone(patch.timezone)
  if (patch.stateMap !== undefined) out.stateMap = patch.stateMap === null ? null : parseStateMapFlag(patch.stateMap)
  if (patch.camsStgid !== undefined) out.camsStgid = optionalStgid(patch.camsStgid)
  if (patch.allowFrom !== undefined) out.allowFrom = patch.allowFrom === null ? null : parseAllowFrom(patch.allowFrom)
  Object.assign(out, parseAgentSettings({ip: patch.ip, port: patch.port, protocol: patch.protocol, commKey: patch.commKey}))
  return out
}

export function toDeviceView(device: Device): DeviceView {
  return {
    id: device.id,
    serial: device.serial,
    name: device.name,
    location: device.location,
    type: device.type,
    direction: device.direction,
    mode: device.mode,
    status: device.status,
    timezone: device.timezone,
    stateMap: describeStateMap(device.stateMap),
    camsStgid: device.camsStgid,
    allowFrom: describeAllowFrom(device.allowFrom),
    ip: device.ip,
    port: device.port,
    protocol: device.protocol,
    commKeySet: device.commKey !== null && device.commKey !== 0,
    hasToken: device.tokenHash !== null,
    tokenPrefix: device.tokenPrefix,
    lastSeenAt: device.lastSeenAt,
    createdAt: device.createdAt,
    updatedAt: device.updatedAt,
  }
}


/** A device's values as registered (normalized input). */
export type NewDevice = ReturnType<typeof normalizeDeviceInput>

/** What an update changes, checked, with the agent settings it was given (checked against the stored device). */
export interface DeviceChange {
  changes: Partial<Device>
  agent: Partial<AgentSettings>
}

/** Why a new device cannot be registered: its serial, or its service tag id, is taken. */
export function newDeviceConflict(values: Pick<NewDevice, 'serial' | 'camsStgid'>, bySerial: Device | undefined, byStgid: Device | undefined): ConflictError | null {
  if (bySerial) return new ConflictError(`Device serial "${values.serial}" is already registered as ${bySerial.name}.`)
  return stgidConflict(values.camsStgid, byStgid, null)
}

/** A service tag id names one device: a conflict when another device already has it. */
export function stgidConflict(stgid: string | null | undefined, holder: Device | undefined, deviceId: number | null): ConflictError | null {
  if (!stgid || !holder || holder.id === deviceId) return null
  return new ConflictError(`CAMS service tag id ${quote(stgid)} already belongs to device ${holder.serial} (${holder.name}).`)
}

/** Agent settings must fit the mode the device will be in (throws the usage error naming the flag). */
export function checkDeviceChange(device: Device, change: DeviceChange): void {
  const {changes, agent} = change
  if (changes.mode !== undefined || Object.keys(agent).length > 0) {
    checkAgentSettings(device.serial, changes.mode ?? device.mode, agent, changes.ip !== undefined ? changes.ip : device.ip)
  }
}

/**
 * The `device.status_changed` events of a change of status (an admin's update), or of a device
 * first seen (`before` null: it announced itself, so it goes from never seen to online).
 */
export function statusChangeEvents(before: Device | null, after: Device, now: number): OutgoingEvent[] {
  if (before === null) return [deviceStatusChanged(after, {status: after.status, presence: 'online'}, {presence: null}, now)]
  if (after.status === before.status) return []
  return [deviceStatusChanged(after, {status: after.status, presence: after.presence}, {status: before.status}, now)]
}

/**
 * The row of a device announcing itself (the worker attendance API's `device_info`): an active push
 * device without a token, online from now. What a request claims never renames or moves a device an
 * admin registered: a known device is kept as it is (that is `attend devices update`).
 */
export function announcedDevice(input: {serial: string; name?: string; location?: string}, now: number) {
  const serial = validateSerial(input.serial)
  const text = (value: string | undefined, what: string) => {
    const trimmed = value?.trim() ?? ''
    return trimmed && !nameTooLong(trimmed, what) ? trimmed : undefined
  }
  const name = text(input.name, 'device_name')
  const location = text(input.location, 'location')
  return {
    serial, name: name ?? serial, location: location ?? null, status: 'active' as const, mode: 'push' as const, direction: 'auto' as const,
    lastSeenAt: now, presence: 'online' as const, presenceChangedAt: now, createdAt: now, updatedAt: now,
  }
}

export async function requireDevice(store: AttendStore, serial: string): Promise<Device> {
  const device = await store.devices.bySerial(serial)
  if (!device) throw unknownDevice(serial)
  return device
}

/** `devices add`: validates first, so a typo never opens (or creates) the store. Returns the token once. */
export async function addDevice(store: AttendStore, input: DeviceInput, now: number): Promise<{device: Device; token: string}> {
  const values = normalizeDeviceInput(input)
  checkAgentSettings(values.serial, values.mode, parseAgentSettings(input), values.ip ?? null)
  const secret = generateDeviceToken()
  return {device: await store.devices.create(values, secret, now), token: secret.token}
}

export async function updateDevice(store: AttendStore, serial: string, patch: DevicePatch, now: number): Promise<Device> {
  const changes = normalizeDevicePatch(patch)
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      'Nothing to update: pass at least one of --name, --location, --type, --direction, --mode, --status, --timezone, --state-map, --cams-stgid, --allow-from, --ip, --port, --protocol, --comm-key.',
    )
  }
  return store.devices.update(serial, {changes, agent: parseAgentSettings(patch)}, now)
}

/** Replaces the device's token: the old one stops working at once. The new one is returned once. */
export async function rotateDeviceToken(store: AttendStore, serial: string, now: number): Promise<{device: Device; token: string}> {
  const secret = generateDeviceToken()
  return {device: await store.devices.replaceToken(serial, secret, now), token: secret.token}
}

/** An inactive device is refused by `attend serve`; its punches and history stay. */
export function deactivateDevice(store: AttendStore, serial: string, now: number): Promise<Device> {
  return updateDevice(store, serial, {status: 'inactive'}, now)
}

/**
 * Refused serials kept at most, the most recently seen: a scanner trying serial after serial
 * cannot grow the store (or the status page's list) without end.
 */
export const REFUSED_KEPT = 500

export const REFUSED_RECENT_DAYS = 30

/** Unregistered serials refused in the last `days` days, most recent first. */
export function listRefusedDevices(store: AttendStore, now: number, days = REFUSED_RECENT_DAYS): Promise<RefusedDevice[]> {
  return store.devices.refusedSince(now - days * 86_400_000)
}
