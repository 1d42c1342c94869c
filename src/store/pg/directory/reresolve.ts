import type pg from 'pg'

import type {MappingScope} from '../../../mappings/service.js'
import type {ReassignedPunch} from '../../../punches/events.js'
import type {PublishReassigned} from '../attendance.js'

/**
 * Runs employee resolution again for the stored punches of the device users in `scope` after a
 * mapping or code change, as the punch pipeline resolves them: the device's own mapping, else the
 * global one, else the employee whose code equals the device user id (any case). A scope with a
 * device covers that device's punches only (a punch stored before its device was registered is
 * matched by its serial, and gains the device id); manual punches name their employee and never
 * move. Returns how many punches changed employee.
 *
 * The moved punches are published as `reassigned` in the same transaction, as on SQLite: the days
 * they leave and join are recomputed (publishChanges).
 */
export async function reresolvePunches(client: pg.ClientBase, scope: readonly MappingScope[], publish: PublishReassigned, now: number): Promise<number> {
  if (scope.length === 0) return 0
  const result = await client.query<ReassignedPunch>(
    `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS w(device_user_id, device_id)),
     candidate AS (
       SELECT p.id, p.employee_id AS before, coalesce(p.device_id, d.id) AS device, p.device_user_id
         FROM punches p LEFT JOIN devices d ON p.device_id IS NULL AND d.serial = p.device_key
        WHERE p.device_user_id = ANY($1::text[]) AND NOT p.manual),
     resolved AS (
       SELECT c.id, c.before, c.device, coalesce(
           (SELECT m.employee_id FROM device_user_mappings m WHERE m.device_id = c.device AND m.device_user_id = c.device_user_id),
           (SELECT m.employee_id FROM device_user_mappings m WHERE m.device_id IS NULL AND m.device_user_id = c.device_user_id),
           (SELECT e.id FROM employees e WHERE lower(e.code) = lower(c.device_user_id))) AS after
         FROM candidate c
        WHERE EXISTS (SELECT 1 FROM wanted w WHERE w.device_user_id = c.device_user_id AND (w.device_id IS NULL OR w.device_id = c.device)))
     UPDATE punches p SET employee_id = r.after, device_id = coalesce(p.device_id, r.device)
       FROM resolved r
      WHERE p.id = r.id AND r.after IS DISTINCT FROM r.before
  RETURNING p.id, p.device_key AS "deviceKey", p.device_id AS "deviceId", p.device_user_id AS "deviceUserId", p.employee_id AS "employeeId",
            p.instant, p.direction, p.source, r.before AS "previousEmployeeId"`,
    [scope.map((s) => s.deviceUserId), scope.map((s) => s.deviceId)],
  )
  if (result.rows.length > 0) await publish(client, result.rows.sort((a, b) => a.id - b.id), now)
  return result.rows.length
}
