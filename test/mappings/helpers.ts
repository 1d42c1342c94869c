import type {Store} from '../../src/db/open.js'
import type {EngineStore} from '../helpers/engines.js'

/** A stored punch as the pipeline would leave it before any mapping: employee unresolved. */
export function insertPunch(store: Store, punch: {deviceKey: string; deviceId?: number | null; deviceUserId: string; instant: number; employeeId?: number | null}): number {
  const result = store.sqlite
    .prepare(
      `INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, source, received_at)
       VALUES (?, ?, ?, ?, ?, 'test', ?)`,
    )
    .run(punch.deviceKey, punch.deviceId ?? null, punch.deviceUserId, punch.employeeId ?? null, punch.instant, punch.instant)
  return Number(result.lastInsertRowid)
}

export function punchEmployees(store: Store): Record<string, (number | null)[]> {
  return byDeviceUser(store.sqlite.prepare('SELECT device_key AS k, device_user_id AS u, employee_id AS e FROM punches ORDER BY id').all() as {k: string; u: string; e: number | null}[])
}

function byDeviceUser(rows: {k: string; u: string; e: number | null}[]): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {}
  for (const r of rows) (out[`${r.k}/${r.u}`] ??= []).push(r.e)
  return out
}

function sqlValue(value: string | number | null): string {
  return value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`
}

/** `insertPunch` on either engine of a service test, in plain SQL both accept. */
export async function insertEnginePunch(
  store: EngineStore,
  punch: {deviceKey: string; deviceId?: number | null; deviceUserId: string; instant: number; employeeId?: number | null},
): Promise<void> {
  const values = [punch.deviceKey, punch.deviceId ?? null, punch.deviceUserId, punch.employeeId ?? null, punch.instant, 'test', punch.instant]
  await store.exec(`INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, source, received_at) VALUES (${values.map(sqlValue).join(', ')})`)
}

/** `punchEmployees` on either engine of a service test. */
export async function enginePunchEmployees(store: EngineStore): Promise<Record<string, (number | null)[]>> {
  return byDeviceUser(await store.all<{k: string; u: string; e: number | null}>('SELECT device_key AS k, device_user_id AS u, employee_id AS e FROM punches ORDER BY id'))
}
