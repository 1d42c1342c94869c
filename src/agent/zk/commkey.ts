/**
 * The comm key ("Comm Key" / communication password on the device's Comm menu) as CMD_AUTH sends
 * it, scrambled the way the ZKTeco SDK's MakeKey does (pyzk's `make_commkey` reproduces it): the
 * key's 32 bits are mirrored (bit 0 becomes bit 31), the session id is added, the four bytes are
 * XORed with "ZKSO", the two 16-bit halves are swapped, and the result is XORed with a tick byte
 * that is also sent in clear as the third byte. Arithmetic wraps at 32 bits as the C original does.
 */
export function makeCommKey(key: number, session: number, ticks = 50): Buffer {
  let mirrored = 0
  for (let bit = 0; bit < 32; bit++) {
    mirrored = ((mirrored << 1) | ((key >>> bit) & 1)) >>> 0
  }
  const k = Buffer.allocUnsafe(4)
  k.writeUInt32LE((mirrored + session) >>> 0, 0)
  const xored = [k[0] ^ 0x5a, k[1] ^ 0x4b, k[2] ^ 0x53, k[3] ^ 0x4f] // "ZKSO"
  const swapped = [xored[2], xored[3], xored[0], xored[1]]
  const tick = ticks & 0xff
  return Buffer.from([swapped[0] ^ tick, swapped[1] ^ tick, tick, swapped[3] ^ tick])
}

/** What a device checks: the scrambled key for its session, whatever tick byte the client chose. */
export function commKeyMatches(received: Buffer, key: number, session: number): boolean {
  if (received.length < 4) return false
  return makeCommKey(key, session, received[2]).equals(received.subarray(0, 4))
}

/** Comm keys are set on the device as a number from 0 (none) to 999999. */
export const MAX_COMM_KEY = 999_999
