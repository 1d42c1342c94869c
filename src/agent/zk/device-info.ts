import {ZkError} from './errors.js'

/**
 * GET_FREE_SIZES: a block of little-endian i32 counters (92 bytes on most firmware, 80 on older).
 * attend reads the counts (users, fingerprints, records) and capacities.
 */
export interface ZkSizes {
  users: number
  fingers: number
  records: number
  opLogs: number
  admins: number
  passwords: number
  fingerCapacity: number
  userCapacity: number
  recordCapacity: number
  fingersAvailable: number
  usersAvailable: number
  recordsAvailable: number
  /** Face counters come after the first 80 bytes; null on firmware without them. */
  faces: number | null
  faceCapacity: number | null
}

export const SIZES_MIN_BYTES = 80

export function decodeSizes(data: Buffer): ZkSizes {
  if (data.length < SIZES_MIN_BYTES) {
    throw new ZkError('protocol', `the device's counters (GET_FREE_SIZES) are ${data.length} bytes, expected at least ${SIZES_MIN_BYTES}`)
  }
  const at = (offset: number): number => data.readInt32LE(offset)
  return {
    users: at(16),
    fingers: at(24),
    records: at(32),
    opLogs: at(40),
    admins: at(48),
    passwords: at(52),
    fingerCapacity: at(56),
    userCapacity: at(60),
    recordCapacity: at(64),
    fingersAvailable: at(68),
    usersAvailable: at(72),
    recordsAvailable: at(76),
    faces: data.length >= 84 ? at(80) : null,
    faceCapacity: data.length >= 92 ? at(88) : null,
  }
}

/** OPTIONS_RRQ asks for one option by name, NUL-terminated (`~SerialNumber\0`). */
export function encodeOptionRequest(name: string): Buffer {
  return Buffer.from(`${name}\0`, 'latin1')
}

/**
 * The reply is `name=value\0`; some firmware omits the name or pads with NULs. Null when the device
 * knows no such option (an empty value).
 */
export function decodeOptionReply(data: Buffer): string | null {
  const end = data.indexOf(0)
  const textValue = data.toString('utf8', 0, end === -1 ? data.length : end)
  const eq = textValue.indexOf('=')
  const value = (eq === -1 ? textValue : textValue.slice(eq + 1)).replace(/=/g, '').trim()
  return value === '' ? null : value
}

/** GET_VERSION answers the firmware version as NUL-terminated text (`Ver 6.60 Apr 28 2017`). */
export function decodeText(data: Buffer): string | null {
  const end = data.indexOf(0)
  const value = data.toString('utf8', 0, end === -1 ? data.length : end).trim()
  return value === '' ? null : value
}
