import type {Store} from '../../src/db/open.js'

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
