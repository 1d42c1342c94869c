import type {LocalClock} from '../../time/local-clock.js'

/** A punch joined with its device and employee, as the loader streams it. */
export interface PunchSource {
  id: number
  instant: number
  localTime: string | null
  deviceKey: string
  deviceName: string | null
  deviceUserId: string
  employeeCode: string | null
  employeeName: string | null
  department: string | null
  direction: 'in' | 'out' | null
  source: string
  manual: number | boolean
  rawStatus: string | null
}

export interface PunchReportRow {
  id: number
  /** Site-local ISO 8601 with offset. */
  time: string
  date: string
  device: string
  device_name: string | null
  device_user_id: string
  /** Employee code; null for an unmapped punch. */
  employee: string | null
  name: string | null
  department: string | null
  direction: 'in' | 'out' | null
  source: string
  manual: boolean
  raw_status: string | null
  /** The timestamp as the source sent it. */
  sent_as: string | null
}

export const punchColumns = [
  'id', 'time', 'date', 'device', 'device_name', 'device_user_id', 'employee', 'name', 'department',
  'direction', 'source', 'manual', 'raw_status', 'sent_as',
] as const

export function punchRow(source: PunchSource, clock: LocalClock): PunchReportRow {
  return {
    id: source.id,
    time: clock.iso(source.instant),
    date: clock.dateOf(source.instant),
    device: source.deviceKey,
    device_name: source.deviceName,
    device_user_id: source.deviceUserId,
    employee: source.employeeCode,
    name: source.employeeName,
    department: source.department,
    direction: source.direction,
    source: source.source,
    manual: Boolean(source.manual),
    raw_status: source.rawStatus,
    sent_as: source.localTime,
  }
}

/** Maps a stream of joined punches lazily, so a million-row export never holds more than one row. */
export function* punchRows(sources: Iterable<PunchSource>, clock: LocalClock): Generator<PunchReportRow> {
  for (const source of sources) yield punchRow(source, clock)
}
