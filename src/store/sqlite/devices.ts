import {and, asc, desc, eq, gte, inArray, notInArray, sql} from 'drizzle-orm'

import {perConnection} from '../../db/prepared.js'
import type {Store} from '../../db/open.js'
import {deviceCommands, devices, refusedDevices} from '../../db/schema.js'
import {commandResultStatus, refusedCommandTarget, validateCommandText, type DeviceCommand} from '../../devices/commands.js'
import {saveDeviceOptions} from './devices/options.js'
import {markDeviceSeen} from './devices/presence-store.js'
import {
  announcedDevice,
  checkDeviceChange,
  newDeviceConflict,
  normalizeDeviceInput,
  REFUSED_KEPT,
  statusChangeEvents,
  stgidConflict,
  type Device,
  type DeviceInput,
  type NewDevice,
  type RefusedDevice,
} from '../../devices/service.js'
import {generateDeviceToken, tokenMatch, tokenPrefixOf} from '../../devices/token.js'
import {unknownDevice} from '../../errors.js'
import type {Writes} from './writes.js'
import {queueEvents} from './webhooks/outbox.js'
import type {DevicesSection, StoredToken} from '../devices.js'

/**
 * The device registry on SQLite: today's synchronous statements, prepared once per connection (every
 * device request looks its device up), every write sent through `writes` (the server's group commit,
 * or the command's own). The synchronous functions are also what the code not yet on the port calls.
 */
function prepareLookups(store: Store) {
  return {
    bySerial: store.db.select().from(devices).where(eq(devices.serial, sql.placeholder('key'))).prepare(),
    byStgid: store.db.select().from(devices).where(eq(devices.camsStgid, sql.placeholder('key'))).prepare(),
    byPrefix: store.db.select().from(devices).where(eq(devices.tokenPrefix, sql.placeholder('key'))).prepare(),
  }
}

// Prepared once per connection: every device request looks its device up, and building the query
// costs more than running it.
const prepared = new WeakMap<Store['sqlite'], ReturnType<typeof prepareLookups>>()

function lookups(store: Store): ReturnType<typeof prepareLookups> {
  let statements = prepared.get(store.sqlite)
  if (!statements) {
    statements = prepareLookups(store)
    prepared.set(store.sqlite, statements)
  }
  return statements
}

export function findDeviceBySerial(store: Store, serial: string): Device | undefined {
  return lookups(store).bySerial.get({key: serial.trim()})
}

/** The device a CAMS gateway names by its service tag id (`?stgid=`). */
export function findDeviceByStgid(store: Store, stgid: string): Device | undefined {
  return lookups(store).byStgid.get({key: stgid.trim()})
}

/** The device whose current token this is (push-log `Authorization: Bearer <device token>`). */
export function findDeviceByToken(store: Store, token: string): Device | undefined {
  const prefix = tokenPrefixOf(token)
  if (prefix === null) return undefined
  return tokenMatch(lookups(store).byPrefix.all({key: prefix}), token)
}

export function getDevice(store: Store, id: number): Device | undefined {
  return store.db.select().from(devices).where(eq(devices.id, id)).get()
}

export function requireDevice(store: Store, serial: string): Device {
  const device = findDeviceBySerial(store, serial)
  if (!device) throw unknownDevice(serial)
  return device
}

export function listDevices(store: Store): Device[] {
  return store.db.select().from(devices).orderBy(asc(devices.serial)).all()
}

function insertDevice(store: Store, values: NewDevice, token: StoredToken, now: number): Device {
  return store.transaction(() => {
    const conflict = newDeviceConflict(values, findDeviceBySerial(store, values.serial), values.camsStgid ? findDeviceByStgid(store, values.camsStgid) : undefined)
    if (conflict) throw conflict
    const device = store.db
      .insert(devices)
      .values({...values, status: 'active', tokenHash: token.hash, tokenPrefix: token.prefix, createdAt: now, updatedAt: now})
      .returning()
      .get()
    // Registered now: it no longer belongs in the list of refused serials.
    store.db.delete(refusedDevices).where(eq(refusedDevices.serial, values.serial)).run()
    return device
  })
}

/** Registers a device with a fresh token on a SQLite store (tests and benches seed devices with it). */
export function createDevice(store: Store, input: DeviceInput, now: number): {device: Device; token: string} {
  const secret = generateDeviceToken()
  return {device: insertDevice(store, normalizeDeviceInput(input), secret, now), token: secret.token}
}

/** A device announcing itself: registered as an online push device when unknown. */
export function registerDevice(store: Store, input: {serial: string; name?: string; location?: string}, now: number): Device {
  const values = announcedDevice(input, now)
  return store.transaction(() => {
    const existing = findDeviceBySerial(store, values.serial)
    if (existing) return existing
    const device = store.db.insert(devices).values(values).returning().get()
    queueEvents(store, statusChangeEvents(null, device, now), now)
    return device
  })
}

export function recordDeviceStamp(store: Store, deviceId: number, table: 'attlog' | 'operlog', stamp: string): void {
  const column = table === 'attlog' ? {attlogStamp: stamp} : {operlogStamp: stamp}
  store.db.update(devices).set(column).where(eq(devices.id, deviceId)).run()
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
  store.db.run(
    sql`DELETE FROM refused_devices WHERE serial IN (SELECT serial FROM refused_devices ORDER BY last_seen_at DESC, serial LIMIT -1 OFFSET ${REFUSED_KEPT})`,
  )
}

/** Unregistered serials refused since `since`, most recent first. */
export function listRefusedDevices(store: Store, since: number): RefusedDevice[] {
  const registered = store.db.select({serial: devices.serial}).from(devices)
  return store.db
    .select()
    .from(refusedDevices)
    .where(and(gte(refusedDevices.lastSeenAt, since), notInArray(refusedDevices.serial, registered)))
    .orderBy(desc(refusedDevices.lastSeenAt))
    .all()
}

/** Hands out the oldest queued commands and marks them sent, in one transaction (no double sends). */
export function takeQueuedCommands(store: Store, deviceId: number, now: number, limit: number): DeviceCommand[] {
  return store.transaction(() => {
    const queued = store.db
      .select()
      .from(deviceCommands)
      .where(and(eq(deviceCommands.deviceId, deviceId), eq(deviceCommands.status, 'queued')))
      .orderBy(asc(deviceCommands.id))
      .limit(limit)
      .all()
    if (queued.length === 0) return []
    store.db.update(deviceCommands).set({status: 'sent', sentAt: now}).where(inArray(deviceCommands.id, queued.map((command) => command.id))).run()
    return queued.map((command) => ({...command, status: 'sent' as const, sentAt: now}))
  })
}

/** Queues a command for the device (tests queue directly; admins through the port's `queueCommand`): one line, as the wire format needs. */
export function queueDeviceCommand(store: Store, deviceId: number, command: string, now: number): DeviceCommand {
  return store.db.insert(deviceCommands).values({deviceId, command: validateCommandText(command), status: 'queued', createdAt: now}).returning().get()
}

const unregistered = perConnection((sqlite) =>
  sqlite.prepare(
    `SELECT device_key AS serial, min(source) AS source, count(*) AS punches, min(instant) AS firstPunchAt, max(instant) AS lastPunchAt
     FROM punches WHERE device_id IS NULL AND device_key <> source AND device_key NOT IN (SELECT serial FROM devices)
     GROUP BY device_key ORDER BY lastPunchAt DESC, serial`,
  ),
)

export function sqliteDevices(store: Store, writes: Writes): DevicesSection {
  const requireActive = (serial: string) => {
    const device = requireDevice(store, serial)
    const refusal = refusedCommandTarget(device)
    if (refusal) throw refusal
    return device
  }
  return {
    bySerial: async (serial) => findDeviceBySerial(store, serial),
    byStgid: async (stgid) => findDeviceByStgid(store, stgid),
    byId: async (id) => getDevice(store, id),
    byToken: async (token) => findDeviceByToken(store, token),
    list: async () => listDevices(store),

    create: (values, token, now) => writes.run(() => insertDevice(store, values, token, now)),
    update: (serial, change, now) =>
      writes.run(() => {
        const device = requireDevice(store, serial)
        const stgidHolder = change.changes.camsStgid ? findDeviceByStgid(store, change.changes.camsStgid) : undefined
        const conflict = stgidConflict(change.changes.camsStgid, stgidHolder, device.id)
        if (conflict) throw conflict
        checkDeviceChange(device, change)
        const updated = store.db.update(devices).set({...change.changes, updatedAt: now}).where(eq(devices.id, device.id)).returning().get()
        queueEvents(store, statusChangeEvents(device, updated, now), now)
        return updated
      }),
    replaceToken: (serial, token, now) =>
      writes.run(() => {
        const device = requireDevice(store, serial)
        return store.db.update(devices).set({tokenHash: token.hash, tokenPrefix: token.prefix, updatedAt: now}).where(eq(devices.id, device.id)).returning().get()
      }),
    announce: (input, now) => writes.run(() => registerDevice(store, input, now)),
    recordStamp: (deviceId, table, stamp) => writes.run(() => recordDeviceStamp(store, deviceId, table, stamp)),

    saveOptions: (deviceId, reported, now) => writes.run(() => saveDeviceOptions(store, deviceId, reported, now)),
    markSeen: (deviceId, now) => writes.run(() => markDeviceSeen(store, deviceId, now)),
    recordRefused: (sighting, now) => writes.run(() => recordRefusedDevice(store, sighting, now)),
    refusedSince: async (since) => listRefusedDevices(store, since),
    unregisteredSerials: async () => unregistered(store).all() as Awaited<ReturnType<DevicesSection['unregisteredSerials']>>,

    queueCommand: (serial, command, now) =>
      writes.run(() => {
        const device = requireActive(serial)
        return {device, command: queueDeviceCommand(store, device.id, command, now)}
      }),
    commands: async (serial, status) => {
      const device = requireDevice(store, serial)
      const where = status === undefined ? eq(deviceCommands.deviceId, device.id) : and(eq(deviceCommands.deviceId, device.id), eq(deviceCommands.status, status))
      return {device, commands: store.db.select().from(deviceCommands).where(where).orderBy(asc(deviceCommands.id)).all()}
    },
    takeCommands: (deviceId, now, limit) => writes.run(() => takeQueuedCommands(store, deviceId, now, limit)),
    recordResults: (deviceId, results, now) =>
      writes.run(() => {
        let updated = 0
        for (const result of results) {
          updated += store.db
            .update(deviceCommands)
            .set({status: commandResultStatus(result), returnCode: result.returnCode, result: result.content ?? null, doneAt: now})
            .where(and(eq(deviceCommands.id, result.id), eq(deviceCommands.deviceId, deviceId)))
            .run().changes
        }
        return {updated}
      }),
  }
}
