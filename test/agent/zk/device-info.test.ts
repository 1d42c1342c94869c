import {describe, expect, it} from 'vitest'

import {decodePrepareData, decodePreparedSize, encodePrepareBuffer, encodeReadBuffer, planChunks} from '../../../src/agent/zk/buffer.js'
import {decodeOptionReply, decodeSizes, decodeText, encodeOptionRequest} from '../../../src/agent/zk/device-info.js'

describe('counters (GET_FREE_SIZES)', () => {
  // The 92-byte block of a K40 with 35 users, 61 fingerprints, 1250 records: i32 LE at fixed offsets.
  const block = Buffer.alloc(92)
  for (const [offset, value] of [[16, 35], [24, 61], [32, 1250], [40, 12], [48, 2], [52, 3], [56, 3000], [60, 3000], [64, 100000], [68, 2939], [72, 2965], [76, 98750], [80, 4], [88, 400]]) {
    block.writeInt32LE(value, offset)
  }

  it('reads counts and capacities', () => {
    expect(decodeSizes(block)).toEqual({
      users: 35, fingers: 61, records: 1250, opLogs: 12, admins: 2, passwords: 3,
      fingerCapacity: 3000, userCapacity: 3000, recordCapacity: 100000,
      fingersAvailable: 2939, usersAvailable: 2965, recordsAvailable: 98750,
      faces: 4, faceCapacity: 400,
    })
  })

  it('has no face counters on 80-byte firmware', () => {
    expect(decodeSizes(block.subarray(0, 80))).toMatchObject({records: 1250, faces: null, faceCapacity: null})
  })

  it('refuses a short block', () => {
    expect(() => decodeSizes(Buffer.alloc(40))).toThrow("the device's counters (GET_FREE_SIZES) are 40 bytes, expected at least 80")
  })
})

describe('options and text answers', () => {
  it('asks for an option by name, NUL-terminated', () => {
    expect(encodeOptionRequest('~SerialNumber').toString('hex')).toBe(Buffer.from('~SerialNumber\0').toString('hex'))
  })

  it.each([
    ['~SerialNumber=CDQ9192960002\0', 'CDQ9192960002'],
    ['~SerialNumber=CDQ9192960002\0\0\0garbage', 'CDQ9192960002'],
    ['~Platform=ZMM220_TFT\0', 'ZMM220_TFT'],
    ['~SerialNumber=\0', null],
    ['CDQ9192960002', 'CDQ9192960002'],
  ])('%j → %j', (reply, value) => {
    expect(decodeOptionReply(Buffer.from(reply, 'latin1'))).toBe(value)
  })

  it('reads the firmware version text', () => {
    expect(decodeText(Buffer.from('Ver 6.60 Apr 28 2017\0\0'))).toBe('Ver 6.60 Apr 28 2017')
    expect(decodeText(Buffer.from('\0'))).toBeNull()
  })
})

describe('bulk read requests', () => {
  it('prepares the attendance log with the 11 bytes the SDK sends', () => {
    expect(encodePrepareBuffer(13).toString('hex')).toBe('010d000000000000000000')
    expect(encodePrepareBuffer(9, 5).toString('hex')).toBe('01090005000000' + '00000000')
  })

  it('reads the prepared size from byte 1', () => {
    expect(decodePreparedSize(Buffer.from('00a086010000a0860100', 'hex'))).toBe(100_000)
    expect(() => decodePreparedSize(Buffer.from('00a0', 'hex'))).toThrow('too few for the buffer size')
  })

  it('asks for a slice by start and size', () => {
    expect(encodeReadBuffer(65472, 1234).toString('hex')).toBe('c0ff0000d2040000')
    expect(decodePrepareData(Buffer.from('d204000000100000', 'hex'))).toBe(1234)
  })

  it.each([
    [0, 0xffc0, []],
    [100, 0xffc0, [[0, 100]]],
    [0xffc0, 0xffc0, [[0, 0xffc0]]],
    [0xffc0 + 1, 0xffc0, [[0, 0xffc0], [0xffc0, 1]]],
    [40_004, 16_384, [[0, 16_384], [16_384, 16_384], [32_768, 7_236]]],
  ])('%i bytes in slices of %i', (total, max, expected) => {
    expect(planChunks(total, max).map((c) => [c.start, c.size])).toEqual(expected)
  })
})
