import {ZkError} from './errors.js'

/** A protocol packet: an 8-byte little-endian header, then the command's data. */
export interface ZkPacket {
  command: number
  /** Chosen by the device on CONNECT; for realtime events, the event code. */
  session: number
  /** The request counter a reply echoes; 0 on realtime events. */
  reply: number
  data: Buffer
}

export interface DecodedPacket extends ZkPacket {
  checksum: number
}

export const HEADER_SIZE = 8
/** `50 50 82 7d`: the start of every packet on TCP, followed by the u32 LE length of the packet. */
export const TCP_MAGIC = Buffer.from([0x50, 0x50, 0x82, 0x7d])
export const TCP_PREFIX_SIZE = 8
/** No reply of the protocol comes near this; a larger length means the stream lost its framing. */
const MAX_TCP_PACKET = 16 * 1024 * 1024

/**
 * The protocol checksum: 16-bit little-endian words summed (an odd last byte is the low byte of a
 * word), carries folded back in, one's complement. Computed over the header with its checksum
 * field zeroed, then the data.
 */
export function checksum(header: Uint8Array, data: Uint8Array = new Uint8Array(0)): number {
  let sum = 0
  sum += wordSum(header, true)
  sum += wordSum(data, false)
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return ~sum & 0xffff
}

/** The header's checksum field (bytes 2–3) counts as zero. */
function wordSum(bytes: Uint8Array, isHeader: boolean): number {
  let sum = 0
  const even = bytes.length - (bytes.length % 2)
  for (let i = 0; i < even; i += 2) {
    if (isHeader && i === 2) continue
    sum += bytes[i] | (bytes[i + 1] << 8)
  }
  if (even < bytes.length) sum += bytes[even]
  return sum
}

export function encodePacket(packet: ZkPacket): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + packet.data.length)
  out.writeUInt16LE(packet.command, 0)
  out.writeUInt16LE(0, 2)
  out.writeUInt16LE(packet.session & 0xffff, 4)
  out.writeUInt16LE(packet.reply & 0xffff, 6)
  packet.data.copy(out, HEADER_SIZE)
  out.writeUInt16LE(checksum(out.subarray(0, HEADER_SIZE), packet.data), 2)
  return out
}

/**
 * Reads one packet (without the TCP prefix). The checksum is not checked here: devices never check
 * the checksums clients send (pyzk's are computed over a different reply number than it sends, and
 * every device accepts them), so whether a mismatch matters is the transport's call (checksumMatches;
 * docs/architecture.md, "Agent mode").
 */
export function decodePacket(bytes: Buffer): DecodedPacket {
  if (bytes.length < HEADER_SIZE) {
    throw new ZkError('protocol', `a packet of ${bytes.length} bytes is shorter than the 8-byte header`)
  }
  return {
    command: bytes.readUInt16LE(0),
    checksum: bytes.readUInt16LE(2),
    session: bytes.readUInt16LE(4),
    reply: bytes.readUInt16LE(6),
    data: bytes.subarray(HEADER_SIZE),
  }
}

/** Whether a packet's stated checksum matches its header and data. */
export function checksumMatches(bytes: Buffer): boolean {
  return bytes.length >= HEADER_SIZE && checksum(bytes.subarray(0, HEADER_SIZE), bytes.subarray(HEADER_SIZE)) === bytes.readUInt16LE(2)
}

/** Prefixes a packet for TCP: magic, then its length as u32 LE. */
export function frameTcp(packet: Buffer): Buffer {
  const prefix = Buffer.allocUnsafe(TCP_PREFIX_SIZE)
  TCP_MAGIC.copy(prefix, 0)
  prefix.writeUInt32LE(packet.length, 4)
  return Buffer.concat([prefix, packet])
}

/**
 * Cuts a TCP byte stream into packets. A reply may arrive in many segments (a 64 KiB chunk always
 * does) and several replies may share one segment (PREPARE_DATA, DATA and ACK_OK usually do): the
 * deframer keeps what it has been given and hands back each packet once whole. Segments are joined
 * once per packet, so a large chunk costs one copy, not one per segment.
 */
export class TcpDeframer {
  private chunks: Buffer[] = []
  private length = 0

  /** Adds received bytes; returns the packets (without prefix) completed by them, in order. */
  push(segment: Buffer): Buffer[] {
    if (segment.length > 0) {
      this.chunks.push(segment)
      this.length += segment.length
    }
    const packets: Buffer[] = []
    for (;;) {
      if (this.length < TCP_PREFIX_SIZE) break
      const head = this.peek(TCP_PREFIX_SIZE)
      if (!head.subarray(0, 4).equals(TCP_MAGIC)) {
        throw new ZkError('protocol', `the TCP stream lost its framing: expected 50 50 82 7d, got ${head.subarray(0, 4).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`)
      }
      const size = head.readUInt32LE(4)
      if (size < HEADER_SIZE || size > MAX_TCP_PACKET) {
        throw new ZkError('protocol', `the TCP stream announced a packet of ${size} bytes`)
      }
      if (this.length < TCP_PREFIX_SIZE + size) break
      const all = this.take(TCP_PREFIX_SIZE + size)
      packets.push(all.subarray(TCP_PREFIX_SIZE))
    }
    return packets
  }

  /** Bytes received but not yet part of a whole packet. */
  get buffered(): number {
    return this.length
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)]
    return this.chunks[0].subarray(0, n)
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length)
    const taken = joined.subarray(0, n)
    const rest = joined.subarray(n)
    this.chunks = rest.length > 0 ? [rest] : []
    this.length = rest.length
    return taken
  }
}
