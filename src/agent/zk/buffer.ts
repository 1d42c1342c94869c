import {ZkError} from './errors.js'

/**
 * Bulk reads. PREPARE_BUFFER asks the device to lay out a table (the attendance log, the users) in
 * a buffer and answers its size; READ_BUFFER then asks for one slice of it at a time. A device
 * answers a small table at once with DATA instead.
 */

/** PREPARE_BUFFER's 11 bytes, `<bhii`: 1, the table's read command, its fct argument, 0. */
export function encodePrepareBuffer(command: number, fct = 0, ext = 0): Buffer {
  const out = Buffer.alloc(11)
  out.writeInt8(1, 0)
  out.writeInt16LE(command, 1)
  out.writeInt32LE(fct, 3)
  out.writeInt32LE(ext, 7)
  return out
}

/** The ACK_OK to PREPARE_BUFFER: a byte, then the buffer size as u32 LE (repeated on most firmware). */
export function decodePreparedSize(data: Buffer): number {
  if (data.length < 5) throw new ZkError('protocol', `the answer to PREPARE_BUFFER carries ${data.length} bytes, too few for the buffer size`)
  return data.readUInt32LE(1)
}

/** READ_BUFFER's 8 bytes, `<ii`: where the slice starts and how long it is. */
export function encodeReadBuffer(start: number, size: number): Buffer {
  const out = Buffer.alloc(8)
  out.writeInt32LE(start, 0)
  out.writeInt32LE(size, 4)
  return out
}

/** PREPARE_DATA, which opens the answer to a READ_BUFFER: the slice's size as u32 LE. */
export function decodePrepareData(data: Buffer): number {
  if (data.length < 4) throw new ZkError('protocol', `PREPARE_DATA carries ${data.length} bytes, too few for the chunk size`)
  return data.readUInt32LE(0)
}

export interface Chunk {
  start: number
  size: number
}

/** The READ_BUFFER requests that cover `total` bytes in slices of at most `max`. */
export function planChunks(total: number, max: number): Chunk[] {
  const chunks: Chunk[] = []
  for (let start = 0; start < total; start += max) chunks.push({start, size: Math.min(max, total - start)})
  return chunks
}

/** A u32 LE argument (REG_EVENT flags, SET_TIME's packed time). */
export function u32(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeUInt32LE(value >>> 0, 0)
  return out
}
