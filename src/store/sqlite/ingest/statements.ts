import type Database from 'better-sqlite3'

import type {DeviceRow, EmployeeRow} from '../../../punches/types.js'

/**
 * The pipeline's prepared statements, prepared once per connection: preparing costs more than
 * running, and an import calls the pipeline once per batch of a few thousand punches.
 */
export interface PunchStatements {
  deviceBySerial: Database.Statement<[string], DeviceRow>
  /** Device mapping (rank 1) → global mapping (rank 2) → employee code = device user id (rank 3). */
  resolveEmployee: Database.Statement<[{deviceId: number | null; deviceUserId: string}], EmployeeRow>
  insertPunch: Database.Statement<InsertParams>
  existsByKey: Database.Statement<[string, string, number], {id: number}>
}

export type {DeviceRow, EmployeeRow} from '../../../punches/types.js'

export type InsertParams = [
  deviceKey: string,
  deviceId: number | null,
  deviceUserId: string,
  employeeId: number | null,
  instant: number,
  localTime: string | null,
  utcOffset: number | null,
  direction: string | null,
  rawStatus: string | null,
  rawVerify: string | null,
  workCode: string | null,
  source: string,
  scanId: string | null,
  temperature: number | null,
  mask: number | null,
  confidence: number | null,
  manual: number,
  note: string | null,
  importId: number | null,
  receivedAt: number,
  raw: string | null,
]

const cache = new WeakMap<Database.Database, PunchStatements>()

export function punchStatements(sqlite: Database.Database): PunchStatements {
  let statements = cache.get(sqlite)
  if (!statements) {
    statements = {
      deviceBySerial: sqlite.prepare(
        `SELECT id, serial, direction, timezone, state_map AS stateMap FROM devices WHERE serial = ?`,
      ) as PunchStatements['deviceBySerial'],
      resolveEmployee: sqlite.prepare(
        `SELECT id, code, name FROM (
           SELECT e.id, e.code, e.name, 1 AS rank FROM device_user_mappings m JOIN employees e ON e.id = m.employee_id
            WHERE m.device_id = @deviceId AND m.device_user_id = @deviceUserId
           UNION ALL
           SELECT e.id, e.code, e.name, 2 AS rank FROM device_user_mappings m JOIN employees e ON e.id = m.employee_id
            WHERE m.device_id IS NULL AND m.device_user_id = @deviceUserId
           UNION ALL
           SELECT e.id, e.code, e.name, 3 AS rank FROM employees e WHERE e.code = @deviceUserId COLLATE NOCASE
         ) ORDER BY rank LIMIT 1`,
      ) as PunchStatements['resolveEmployee'],
      insertPunch: sqlite.prepare(
        `INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, local_time, utc_offset,
           direction, raw_status, raw_verify, work_code, source, scan_id, temperature, mask, confidence, manual, note,
           import_id, received_at, raw)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ) as PunchStatements['insertPunch'],
      existsByKey: sqlite.prepare(
        `SELECT id FROM punches WHERE device_key = ? AND device_user_id = ? AND instant = ?`,
      ) as PunchStatements['existsByKey'],
    }
    cache.set(sqlite, statements)
  }
  return statements
}
