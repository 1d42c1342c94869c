import {and, asc, desc, eq, gte, notInArray, sql} from 'drizzle-orm'
import {describeStateMap, parseStateMapFlag} from '../formats/state-map.js'

import type {Store} from '../db/open.js'
import {devices, refusedDevices} from '../db/schema.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {assertTimeZone} from '../time/zone.js'
import {checkAgentSettings, parseAgentSettings, type AgentSettingsInput} from './agent-settings.js'
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
    throw new UsageError(`Invalid device serial "${value}": use up to 64 letters, digits, ".", "_", ":" or "-", such as CDQ9192960002.`, 'invalid_serial')
  }
  return serial
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim().toLowerCase()
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`Invalid ${what} "${value}": expected ${allowed.join(', ')}.`, `invalid_${what}`)
  return v as T
}

function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim() ?? ''
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
  return name
}

export function normalizeDeviceInput(input: DeviceInput) {
  return {
    serial: validateSerial(input.serial),
    name: requiredName(input.name),
    location: optionalText(input.location),
    type: optionalText(input.type),
    direction: oneOf(input.direction ?? 'auto', deviceDirections, 'direction'),
    mode: oneOf(input.mode ?? 'push', deviceModes, 'mode'),
    timezone: optionalZone(input.timezone),
    stateMap: input.stateMap === undefined || input.stateMap === null ? null : parseStateMapFlag(input.stateMap),
    ...parseAgentSettings({ip: input.ip, port: input.port, protocol: input.protocol, commKey: input.commKey}),
  }
}

export function normalizeDevicePatch(patch: DevicePatch): Partial<Device> {
  const out: Partial<Device> = {}
  if (patch.name !== undefined) out.name = requiredName(patch.name)
  if (patch.location !== undefined) out.location = optionalText(patch.location)
  if (patch.type !== undefined) out.type = optionalText(patch.type)
  if (patch.direction !== undefined) out.direction = oneOf(patch.direction, deviceDirections, 'direction')
  if (patch.mode !== undefined) out.mode = oneOf(patch.mode, deviceModes, 'mode')
  if (patch.status !== undefined) out.status = oneOf(patch.status, deviceStatuses, 'status')
  if (patch.timezone !== undefined) out.timezone = optionalZone(patch.timezone)
  if (patch.stateMap !== undefined) out.stateMap = patch.stateMap === null ? null : parseStateMapFlag(patch.stateMap)
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

export function findDeviceBySerial(store: Store, serial: string): Device | undefined {
  return store.db.select().from(devices).where(eq(devices.serial, serial.trim())).get()
}

export function getDevice(store: Store, id: number): Device | undefined {
  return store.db.select().from(devices).where(eq(devices.id, id)).get()
}

export function requireDevice(store: Store, serial: string): Device {
  const device = findDeviceBySerial(store, serial)
  if (!device) throw new NotFoundError(`Unknown device serial "${serial}": see attend devices list.`)
  return device
}

/** Registers a device with a fresh token; the token is returned once and only its hash is kept. */
export function createDevice(store: Store, input: DeviceInput, now: number): {device: Device; token: string} {
  const values = normalizeDeviceInput(input)
  const secret = generateDeviceToken()
  return store.transaction(() => {
    const existing = findDeviceBySerial(store, values.serial)
    if (existing) throw new ConflictError(`Device serial "${values.serial}" is already registered as ${existing.name}.`)
    const device = store.db
      .insert(devices)
      .values({...values, status: 'active', tokenHash: secret.hash, tokenPrefix: secret.prefix, createdAt: now, updatedAt: now})
      .returning()
      .get()
    // Registered now: it no longer belongs in the list of refused serials.
    store.db.delete(refusedDevices).where(eq(refusedDevices.serial, values.serial)).run()
    return {device, token: secret.token}
  })
}

/** `devices add`: validates first, so a typo never opens (or creates) the store. */
export function addDevice(openStore: () => Store, input: DeviceInput, now: number): {device: Device; token: string} {
  const values = normalizeDeviceInput(input)
  checkAgentSettings(values.serial, values.mode, parseAgentSettings(input), values.ip ?? null)
  return createDevice(openStore(), input, now)
}

export function updateDevice(openStore: () => Store, serial: string, patch: DevicePatch, now: number): Device {
  const changes = normalizeDevicePatch(patch)
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      'Nothing to update: pass at least one of --name, --location, --type, --direction, --mode, --status, --timezone, --state-map, --ip, --port, --protocol, --comm-key.',
    )
  }
  const agent = parseAgentSettings(patch)
  const store = openStore()
  return store.transaction(() => {
    const device = requireDevice(store, serial)
    if (changes.mode !== undefined || Object.keys(agent).length > 0) {
      checkAgentSettings(device.serial, changes.mode ?? device.mode, agent, changes.ip !== undefined ? changes.ip : device.ip)
    }
    return store.db.update(devices).set({...changes, updatedAt: now}).where(eq(devices.id, device.id)).returning().get()
  })
}

/** Replaces the device's token: the old one stops working at once. */
export function rotateDeviceToken(openStore: () => Store, serial: string, now: number): {device: Device; token: string} {
  const store = openStore()
  const secret = generateDeviceToken()
  return store.transaction(() => {
    const device = requireDevice(store, serial)
    const updated = store.db
      .update(devices)
      .set({tokenHash: secret.hash, tokenPrefix: secret.prefix, updatedAt: now})
      .where(eq(devices.id, device.id))
      .returning()
      .get()
    return {device: updated, token: secret.token}
  })
}

/** An inactive device is refused by `attend serve`; its punches and history stay. */
export function deactivateDevice(openStore: () => Store, serial: string, now: number): Device {
  return updateDevice(openStore, serial, {status: 'inactive'}, now)
}

/**
 * A device announcing itself (seed 000 `device_info`): registered as an active push device without
 * a token when unknown, else its name and location are refreshed.
 */
export function registerOrUpdateDevice(store: Store, input: {serial: string; name?: string; location?: string}, now: number): Device {
  const serial = validateSerial(input.serial)
  const name = input.name?.trim() || undefined
  const location = input.location?.trim() || undefined
  return store.transaction(() => {
    const existing = findDeviceBySerial(store, serial)
    if (!existing) {
      return store.db
        .insert(devices)
        .values({serial, name: name ?? serial, location: location ?? null, status: 'active', mode: 'push', direction: 'auto', createdAt: now, updatedAt: now})
        .returning()
        .get()
    }
    const changes: Partial<Device> = {}
    if (name !== undefined && name !== existing.name) changes.name = name
    if (location !== undefined && location !== existing.location) changes.location = location
    if (Object.keys(changes).length === 0) return existing
    return store.db.update(devices).set({...changes, updatedAt: now}).where(eq(devices.id, existing.id)).returning().get()
  })
}

export function listDevices(store: Store): Device[] {
  return store.db.select().from(devices).orderBy(asc(devices.serial)).all()
}

export function touchDevice(store: Store, id: number, now: number): void {
  store.db.update(devices).set({lastSeenAt: now}).where(eq(devices.id, id)).run()
}

/** Counts a request from an unregistered serial, so admins can see (and add) devices knocking. */
export function recordRefusedDevice(store: Store, input: {serial: string; remoteAddress?: string | null; route?: string | null}, now: number): void {
  const serial = input.serial.trim().slice(0, 128)
  if (!serial) return
  store.db
    .insert(refusedDevices)
    .values({serial, remoteAddress: input.remoteAddress ?? null, route: input.route ?? null, attempts: 1, firstSeenAt: now, lastSeenAt: now})
    .onConflictDoUpdate({
      target: refusedDevices.serial,
      set: {
        attempts: sql`${refusedDevices.attempts} + 1`,
        lastSeenAt: now,
        remoteAddress: input.remoteAddress ?? sql`${refusedDevices.remoteAddress}`,
        route: input.route ?? sql`${refusedDevices.route}`,
      },
    })
    .run()
}

export const REFUSED_RECENT_DAYS = 30

/** Unregistered serials refused in the last `days` days, most recent first. */
export function listRefusedDevices(store: Store, now: number, days = REFUSED_RECENT_DAYS): RefusedDevice[] {
  const registered = store.db.select({serial: devices.serial}).from(devices)
  return store.db
    .select()
    .from(refusedDevices)
    .where(and(gte(refusedDevices.lastSeenAt, now - days * 86_400_000), notInArray(refusedDevices.serial, registered)))
    .orderBy(desc(refusedDevices.lastSeenAt))
    .all()
}
