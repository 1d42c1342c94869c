import type {DeviceUserRecord} from '../formats/zkteco-operlog.js'
import type {CanonicalPunch} from '../punches/types.js'
import type {ZkRealtimePunch} from './zk/realtime.js'
import type {ZkAttendance, ZkUser} from './zk/records.js'
import {wallClockText} from './zk/time.js'

/**
 * A record read from a terminal as the canonical punch. The time is the device's wall clock with
 * no zone, exactly as ATTLOG lines over push are: the pipeline reads it in the device's zone, else
 * the site's. State and verify codes stay raw; the device's direction and state map apply in the
 * pipeline as for every source.
 */
export function agentPunch(record: ZkAttendance | ZkRealtimePunch, serial: string): CanonicalPunch {
  const text = wallClockText(record.time)
  const workCode = 'workCode' in record && record.workCode ? String(record.workCode) : null
  return {
    deviceUserId: record.userId,
    time: {kind: 'wall', local: `${text.slice(0, 10)}T${text.slice(11)}`},
    timeText: text,
    deviceSerial: serial,
    rawStatus: String(record.state),
    rawVerify: String(record.verify),
    workCode,
    raw: record.raw.toString('hex'),
    line: 'index' in record ? record.index : undefined,
  }
}

/** Users as device users: their names show in `attend map list --unmapped`. */
export function agentDeviceUsers(users: readonly ZkUser[]): DeviceUserRecord[] {
  return users.map((u) => ({
    deviceUserId: u.userId,
    name: u.name,
    privilege: String(u.privilege),
    card: u.card === null ? null : String(u.card),
  }))
}
