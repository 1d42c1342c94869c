import {and, asc, desc, eq, gte, inArray, notInArray, sql} from 'drizzle-orm'
import {drizzle} from 'drizzle-orm/node-postgres'
import type pg from 'pg'

import type {PgDatabase} from '../../db/pg/open.js'
import {deviceCommands, devices, refusedDevices} from '../../db/pg/schema.js'
import {commandResultStatus, refusedCommandTarget, validateCommandText, type DeviceCommand} from '../../devices/commands.js'
import {transitionsOnSeen} from '../../devices/presence.js'
import {presenceEvents} from '../../devices/presence-view.js'
import {
  announcedDevice,
  checkDeviceChange,
  newDeviceConflict,
  REFUSED_KEPT,
  statusChangeEvents,
  stgidConflict,
  type Device,
  type RefusedDevice,
} from '../../devices/service.js'
import {tokenMatch, tokenPrefixOf} from '../../devices/token.js'
import type {UnregisteredSerial} from '../../devices/unregistered.js'
import {unknownDevice} from '../../errors.js'
import type {SiteSettings} from '../../settings/settings.js'
import type {DevicesSection} from '../devices.js'
import {queueEvents} from './outbox.js'
import {inTransaction} from './transaction.js'

type Db = ReturnType<typeof drizzle>

// The pg schema's rows are the SQLite ones column for column (a test holds the schemas equal).
const asDevice = (row: typeof devices.$inferSelect | undefined) => row as Device | undefined
const asCommand = (row: typeof deviceCommands.$inferSelect) => row as DeviceCommand

async function bySerial(db: Db, serial: string, lock = false): Promise<Device | undefined> {
  const query = db.select().from(devices).where(eq(devices.serial, serial.trim()))
  return asDevice((await (lock ? query.for('update') : query))[0])
}

async function byStgid(db: Db, stgid: string): Promise<Device | undefined> {
  return asDevice((await db.select().from(devices).where(eq(devices.camsStgid, stgid.trim())))[0])
}

async function requireDevice(db: Db, serial: string, lock = false): Promise<Device> {
  const device = await bySerial(db, serial, lock)
  if (!device) throw unknownDevice(serial)
  return device
}

/** A unique index refused the row: another server registered the same serial or tag id first (Drizzle wraps the driver's error). */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && ((error as {code?: string}).code === '23505' || isUniqueViolation((error as {cause?: unknown}).cause))

/**
 * The device registry on PostgreSQL, where several servers see the same devices. An update takes
 * the device's row `FOR UPDATE`, so two admins' changes (and the status events they queue) follow
 * one another; a new device's serial and tag id are held by their unique indexes, and a server that
 * loses the race is answered the same conflict as when the device was already there. Queued
 * commands are handed out `FOR UPDATE SKIP LOCKED`: a device polling two servers at once gets each
 * command from one of them.
 */
export function pgDevices(database: PgDatabase, settings: () => Promise<SiteSettings>): DevicesSection {
  const {pool} = database
  const db = drizzle(pool)
  const write = <T>(work: (db: Db, client: pg.PoolClient) => Promise<T>) => inTransaction(pool, (client) => work(drizzle(client) as unknown as Db, client))

  const withConflicts = async <T>(values: {serial: string; camsStgid: string | null}, work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw newDeviceConflict(values, await bySerial(db, values.serial), values.camsStgid ? await byStgid(db, values.camsStgid) : undefined) ?? error
    }
  }

  return {
    bySerial: (serial) => bySerial(db, serial),
    byStgid: (stgid) => byStgid(db, stgid),
    byId: async (id) => asDevice((await db.select().from(devices).where(eq(devices.id, id)))[0]),
    byToken: async (token) => {
      const prefix = tokenPrefixOf(token)
      if (prefix === null) return undefined
      return tokenMatch((await db.select().from(devices).where(eq(devices.tokenPrefix, prefix))) as Device[], token)
    },
    list: async () => (await db.select().from(devices).orderBy(asc(devices.serial))) as Device[],

    create: (values, token, now) =>
      withConflicts(values, () =>
        write(async (tx) => {
          const conflict = newDeviceConflict(values, await bySerial(tx, values.serial), values.camsStgid ? await byStgid(tx, values.camsStgid) : undefined)
          if (conflict) throw conflict
          const [device] = await tx
            .insert(devices)
            .values({...values, status: 'active', tokenHash: token.hash, tokenPrefix: token.prefix, createdAt: now, updatedAt: now})
            .returning()
          await tx.delete(refusedDevices).where(eq(refusedDevices.serial, values.serial))
          return device as Device
        }),
      ),

    update: (serial, change, now) =>
      withConflicts({serial: '', camsStgid: change.changes.camsStgid ?? null}, () =>
        write(async (tx, client) => {
          const device = await requireDevice(tx, serial, true)
          const stgid = change.changes.camsStgid
          const conflict = stgidConflict(stgid, stgid ? await byStgid(tx, stgid) : undefined, device.id)
          if (conflict) throw conflict
          checkDeviceChange(device, change)
          const [updated] = (await tx.update(devices).set({...change.changes, updatedAt: now}).where(eq(devices.id, device.id)).returning()) as Device[]
          await queueEvents(client, statusChangeEvents(device, updated, now), now)
          return updated
        }),
      ),

    replaceToken: (serial, token, now) =>
      write(async (tx) => {
        const device = await requireDevice(tx, serial, true)
        const [updated] = await tx.update(devices).set({tokenHash: token.hash, tokenPrefix: token.prefix, updatedAt: now}).where(eq(devices.id, device.id)).returning()
        return updated as Device
      }),

    announce: async (input, now) => {
      const values = announcedDevice(input, now)
      const created = await write(async (tx, client) => {
        // Two servers announcing one new device: one inserts (and queues its event), the other finds it.
        const [device] = await tx.insert(devices).values(values).onConflictDoNothing({target: devices.serial}).returning()
        if (device) await queueEvents(client, statusChangeEvents(null, device as Device, now), now)
        return device as Device | undefined
      })
      return created ?? (await requireDevice(db, values.serial))
    },

    recordStamp: async (deviceId, table, stamp) => {
      await db.update(devices).set(table === 'attlog' ? {attlogStamp: stamp} : {operlogStamp: stamp}).where(eq(devices.id, deviceId))
    },

    saveOptions: async (deviceId, reported, now) => {
      await db.update(devices).set({options: JSON.stringify(reported), updatedAt: now}).where(eq(devices.id, deviceId))
    },

    markSeen: async (deviceId, now) => {
      const windowMs = (await settings()).deviceOfflineAfterMinutes * 60_000
      // The common case, one statement: an online device seen again within its window.
      const still = await db
        .update(devices)
        .set({lastSeenAt: sql`greatest(${devices.lastSeenAt}, ${now}::bigint)`})
        .where(and(eq(devices.id, deviceId), eq(devices.presence, 'online'), gte(devices.lastSeenAt, now - windowMs)))
        .returning({id: devices.id})
      if (still.length === 1) return
      await write(async (tx, client) => {
        // The row lock makes servers seeing the device at once take turns: the first brings it
        // online (and announces it), the next finds it online and only moves the time.
        const [state] = await tx.select().from(devices).where(eq(devices.id, deviceId)).for('update')
        if (!state) return
        const transitions = transitionsOnSeen(state, now, windowMs)
        const lastSeenAt = Math.max(state.lastSeenAt ?? now, now)
        if (transitions.length === 0) {
          await tx.update(devices).set({lastSeenAt}).where(eq(devices.id, deviceId))
          return
        }
        const [device] = await tx
          .update(devices)
          .set({presence: 'online', presenceChangedAt: transitions.at(-1)!.at, lastSeenAt})
          .where(eq(devices.id, deviceId))
          .returning()
        await queueEvents(client, presenceEvents(device as Device, transitions), now)
      })
    },

    recordRefused: async (sighting, now) => {
      const serial = sighting.serial.trim().slice(0, 128)
      if (!serial) return
      await write(async (tx) => {
        const remoteAddress = sighting.remoteAddress ?? null
        const route = sighting.route ?? null
        await tx
          .insert(refusedDevices)
          .values({serial, remoteAddress, route, attempts: 1, firstSeenAt: now, lastSeenAt: now})
          .onConflictDoUpdate({
            target: refusedDevices.serial,
            set: {
              attempts: sql`${refusedDevices.attempts} + 1`,
              lastSeenAt: now,
              remoteAddress: sql`coalesce(${remoteAddress}::text, ${refusedDevices.remoteAddress})`,
              route: sql`coalesce(${route}::text, ${refusedDevices.route})`,
            },
          })
        await tx.execute(sql`DELETE FROM refused_devices WHERE serial IN (SELECT serial FROM refused_devices ORDER BY last_seen_at DESC, serial OFFSET ${REFUSED_KEPT})`)
      })
    },

    refusedSince: async (since) =>
      (await db
        .select()
        .from(refusedDevices)
        .where(and(gte(refusedDevices.lastSeenAt, since), notInArray(refusedDevices.serial, db.select({serial: devices.serial}).from(devices))))
        .orderBy(desc(refusedDevices.lastSeenAt))) as RefusedDevice[],

    unregisteredSerials: async () =>
      (
        await pool.query<UnregisteredSerial>(
          `SELECT device_key AS serial, min(source) AS source, count(*) AS punches, min(instant) AS "firstPunchAt", max(instant) AS "lastPunchAt"
           FROM punches WHERE device_id IS NULL AND device_key <> source AND device_key NOT IN (SELECT serial FROM devices)
           GROUP BY device_key ORDER BY "lastPunchAt" DESC, serial`,
        )
      ).rows,

    queueCommand: async (serial, command, now) => {
      const text = validateCommandText(command)
      return write(async (tx) => {
        const device = await requireDevice(tx, serial)
        const refusal = refusedCommandTarget(device)
        if (refusal) throw refusal
        const [queued] = await tx.insert(deviceCommands).values({deviceId: device.id, command: text, status: 'queued', createdAt: now}).returning()
        return {device, command: asCommand(queued)}
      })
    },

    commands: async (serial, status) => {
      const device = await requireDevice(db, serial)
      const where = status === undefined ? eq(deviceCommands.deviceId, device.id) : and(eq(deviceCommands.deviceId, device.id), eq(deviceCommands.status, status))
      return {device, commands: (await db.select().from(deviceCommands).where(where).orderBy(asc(deviceCommands.id))).map(asCommand)}
    },

    takeCommands: (deviceId, now, limit) =>
      write(async (tx) => {
        const queued = await tx
          .select()
          .from(deviceCommands)
          .where(and(eq(deviceCommands.deviceId, deviceId), eq(deviceCommands.status, 'queued')))
          .orderBy(asc(deviceCommands.id))
          .limit(limit)
          .for('update', {skipLocked: true})
        if (queued.length === 0) return []
        await tx.update(deviceCommands).set({status: 'sent', sentAt: now}).where(inArray(deviceCommands.id, queued.map((command) => command.id)))
        return queued.map((command) => ({...asCommand(command), status: 'sent' as const, sentAt: now}))
      }),

    recordResults: (deviceId, results, now) =>
      write(async (tx) => {
        let updated = 0
        for (const result of results) {
          const rows = await tx
            .update(deviceCommands)
            .set({status: commandResultStatus(result), returnCode: result.returnCode, result: result.content ?? null, doneAt: now})
            .where(and(eq(deviceCommands.id, result.id), eq(deviceCommands.deviceId, deviceId)))
            .returning({id: deviceCommands.id})
          updated += rows.length
        }
        return {updated}
      }),
  }
}
