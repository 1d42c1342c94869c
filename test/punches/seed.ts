import type {Store} from '../../src/db/open.js'
import type {EngineStore} from '../helpers/engines.js'

/** Directory rows for pipeline tests, written with plain SQL so these tests depend only on the schema. */
export function addEmployee(store: Store, code: string, name = code): number {
  const info = store.sqlite
    .prepare('INSERT INTO employees (code, name, active, created_at, updated_at) VALUES (?, ?, 1, 0, 0)')
    .run(code, name)
  return Number(info.lastInsertRowid)
}

export function addDevice(
  store: Store,
  serial: string,
  options: {direction?: 'auto' | 'in' | 'out'; timezone?: string | null; stateMap?: Record<string, 'in' | 'out'>} = {},
): number {
  const info = store.sqlite
    .prepare(
      `INSERT INTO devices (serial, name, direction, mode, status, timezone, state_map, created_at, updated_at)
       VALUES (?, ?, ?, 'push', 'active', ?, ?, 0, 0)`,
    )
    .run(serial, `Device ${serial}`, options.direction ?? 'auto', options.timezone ?? null, options.stateMap ? JSON.stringify(options.stateMap) : null)
  return Number(info.lastInsertRowid)
}

export function addMapping(store: Store, deviceUserId: string, employeeId: number, deviceId: number | null = null): void {
  store.sqlite
    .prepare('INSERT INTO device_user_mappings (device_id, device_user_id, employee_id, created_at) VALUES (?, ?, ?, 0)')
    .run(deviceId, deviceUserId, employeeId)
}

export function countPunches(store: Store): number {
  return (store.sqlite.prepare('SELECT count(*) AS n FROM punches').get() as {n: number}).n
}

/** `addEmployee` on either engine of a service test (plain SQL both accept). */
export async function addEngineEmployee(store: EngineStore, code: string, name = code): Promise<number> {
  const [row] = await store.all<{id: number}>(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('${code}', '${name}', TRUE, 0, 0) RETURNING id`)
  return Number(row.id)
}

/** `addDevice` (an active push device, default options) on either engine of a service test. */
export async function addEngineDevice(store: EngineStore, serial: string): Promise<number> {
  const [row] = await store.all<{id: number}>(
    `INSERT INTO devices (serial, name, direction, mode, status, created_at, updated_at) VALUES ('${serial}', 'Device ${serial}', 'auto', 'push', 'active', 0, 0) RETURNING id`,
  )
  return Number(row.id)
}

/** `countPunches` on either engine of a service test. */
export async function countEnginePunches(store: EngineStore): Promise<number> {
  const [row] = await store.all<{n: number | string}>('SELECT count(*) AS n FROM punches')
  return Number(row.n)
}
