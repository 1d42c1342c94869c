import {and, asc, desc, eq, gte, notInArray, sql} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {devices, refusedDevices} from '../db/schema.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {MAX_ID_LENGTH, nameTooLong, quote} from '../formats/input-policy.js'
import {describeStateMap, parseStateMapFlag} from '../formats/state-map.js'
import {assertTimeZone} from '../time/zone.js'
import {queueEvents} from '../webhooks/outbox.js'
import {deviceStatusChanged} from '../webhooks/payloads.js'
import {describeAllowFrom, parseAllowFrom} from './allow-list.js'
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

function prepareLookups(store: Store) {
  return {
    bySerial: store.db.select().from(devices).where(eq(devices.serial, sql.placeholder('key'))).prepare(),
    byStgid: store.db.select().from(devices).where(eq(devices.camsStgid, sql.placeholder('key'))).prepare(),
  }
}

// Prepared once per connection: every device request looks its device up, and building the query
// costs more than running it.
const lookups = new WeakMap<Store['sqlite'], ReturnType<typeof prepareLookups>>()

function deviceLookups(store: Store): ReturnType<typeof prepareLookups> {
  let prepared = lookups.get(store.sqlite)
  if (!prepared) {
    prepared = prepareLookups(store)
    lookups.set(store.sqlite, prepared)
  }
  return prepared
}

export function findDeviceBySerial(store: Store, serial: string): Device | undefined {
  return deviceLookups(store).bySerial.get({key: serial.trim()})
}

/** The device a CAMS gateway names by its service tag id (`?stgid=`). */
export function findDeviceByStgid(store: Store, stgid: string): Device | undefined {
  return deviceLookups(store).byStgid.get({key: stgid.trim()})
}

/** A service tag id names one device: refuses one another device already has. */
function assertStgidFree(store: Store, stgid: string | null | undefined, deviceId: number | null): void {
  if (!stgid) return
  const holder = findDeviceByStgid(store, stgid)
  if (holder && holder.id !== deviceId) throw new ConflictError(`CAMS service tag id ${quote(stgid)} already belongs to device ${holder.serial} (${holder.name}).`)
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
    assertStgidFree(store, values.camsStgid, null)
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
      'Nothing to update: pass at least one of --name, --location, --type, --direction, --mode, --status, --timezone, --state-map, --cams-stgid, --allow-from, --ip, --port, --protocol, --comm-key.',
    )
  }
  const agent = parseAgentSettings(patch)
  const store = openStore()
  return store.transaction(() => {
    const device = requireDevice(store, serial)
    assertStgidFree(store, changes.camsStgid, device.id)
    if (changes.mode !== undefined || Object.keys(agent).length > 0) {
      checkAgentSettings(device.serial, changes.mode ?? device.mode, agent, changes.ip !== undefined ? changes.ip : device.ip)
    }
    const updated = store.db.update(devices).set({...changes, updatedAt: now}).where(eq(devices.id, device.id)).returning().get()
    if (updated.status !== device.status) {
      queueEvents(store, [deviceStatusChanged(updated, {status: updated.status, presence: updated.presence}, {status: device.status}, now)], now)
    }
    return updated
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
 * a token when unknown. A known device is returned as it is: what a request claims never renames
 * or moves a device an admin registered (that is `attend devices update`).
 */
export function registerDevice(store: Store, input: {serial: string; name?: string; location?: string}, now: number): Device {
  const serial = validateSerial(input.serial)
  const text = (value: string | undefined, what: string) => {
    const trimmed = value?.trim() ?? ''
    return trimmed && !nameTooLong(trimmed, what) ? trimmed : undefined
  }
  const name = text(input.name, 'device_name')
  const location = text(input.location, 'location')
  return store.transaction(() => {
    const existing = findDeviceBySerial(store, serial)
    if (existing) return existing
    const device = store.db
      .insert(devices)
      .values({
        serial, name: name ?? serial, location: location ?? null, status: 'active', mode: 'push', direction: 'auto',
        lastSeenAt: now, presence: 'online', presenceChangedAt: now, createdAt: now, updatedAt: now,
      })
      .returning()
      .get()
    // It announced itself, so it is online: from never seen to online, like any first sighting.
    queueEvents(store, [deviceStatusChanged(device, {status: device.status, presence: 'online'}, {presence: null}, now)], now)
    return device
  })
}

/**
 * Remembers the `Stamp` a ZKTeco device sent with an upload that was stored and acknowledged: the
 * next handshake hands it back, so a restarted terminal uploads only what came after.
 */
export function recordDeviceStamp(store: Store, deviceId: number, table: 'attlog' | 'operlog', stamp: string): void {
  const column = table === 'attlog' ? {attlogStamp: stamp} : {operlogStamp: stamp}
  store.db.update(devices).set(column).where(eq(devices.id, deviceId)).run()
}

export function listDevices(store: Store): Device[] {
  return store.db.select().from(devices).orderBy(asc(devices.serial)).all()
}

/**
 * Refused serials kept at most, the most recently seen: a scanner trying serial after serial
 * cannot grow the store (or the status page's list) without end.
 */
export const REFUSED_KEPT = 500

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
  store.db.run(
    sql`DELETE FROM refused_devices WHERE serial IN (SELECT serial FROM refused_devices ORDER BY last_seen_at DESC, serial LIMIT -1 OFFSET ${REFUSED_KEPT})`,
  )
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
