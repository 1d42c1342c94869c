import {describe, expect, it} from 'vitest'

import {checksum, checksumMatches, decodePacket, encodePacket, frameTcp, TcpDeframer} from '../../../src/agent/zk/packet.js'
import {ZkError} from '../../../src/agent/zk/errors.js'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

describe('checksum', () => {
  // Vectors captured from a real terminal and the Windows SDK (16-bit LE words, carries folded, one's complement).
  it.each([
    ['OPTIONS_RRQ "ZKFaceVersion" from the SDK', '0b00 0000 f38d 0300', '5a4b4661636556657273696f6e00', 0x175a],
    ['ACK_OK with one odd data byte from a device', 'd007 0000 f38d 0a00', '09', 0x6a29],
    ['CONNECT with session 0 and reply 0', 'e803 0000 0000 0000', '', 0xfc17],
  ])('%s', (_name, header, data, expected) => {
    expect(checksum(hex(header), hex(data))).toBe(expected)
  })

  it('ignores whatever the header holds in the checksum field', () => {
    expect(checksum(hex('e803 ffff 0000 0000'))).toBe(0xfc17)
  })

  it('folds carries back in when the word sum passes 16 bits', () => {
    // 0xffff + 0xffff = 0x1fffe → 0xfffe + 1 = 0xffff → complement 0.
    expect(checksum(hex('ffff 0000 ffff 0000'))).toBe(0x0000)
    expect(checksum(hex('ffff 0000 0100 0000'))).toBe(0xfffe)
  })
})

describe('packets', () => {
  it('encodes the header little-endian with its checksum', () => {
    const packet = encodePacket({command: 11, session: 0x8df3, reply: 3, data: Buffer.from('ZKFaceVersion\0')})
    expect(packet.toString('hex')).toBe('0b005a17f38d0300' + Buffer.from('ZKFaceVersion\0').toString('hex'))
  })

  it('decodes what it encodes and checks the checksum', () => {
    const packet = encodePacket({command: 2000, session: 4660, reply: 65534, data: Buffer.from([1, 2, 3])})
    const decoded = decodePacket(packet)
    expect(decoded).toMatchObject({command: 2000, session: 4660, reply: 65534})
    expect([...decoded.data]).toEqual([1, 2, 3])
    expect(checksumMatches(packet)).toBe(true)
    packet[9] ^= 0xff
    expect(checksumMatches(packet)).toBe(false)
    expect(checksumMatches(packet.subarray(0, 4))).toBe(false)
  })

  it('refuses a packet shorter than its header', () => {
    expect(() => decodePacket(Buffer.alloc(5))).toThrow(new ZkError('protocol', 'a packet of 5 bytes is shorter than the 8-byte header'))
  })

  it('prefixes TCP packets with 50 50 82 7d and the length', () => {
    expect(frameTcp(hex('e803 17fc 0000 0000')).toString('hex')).toBe('5050827d08000000e80317fc00000000')
  })
})

describe('TCP reassembly', () => {
  const a = encodePacket({command: 1500, session: 7, reply: 4, data: Buffer.from([0x10, 0, 0, 0])})
  const b = encodePacket({command: 1501, session: 7, reply: 4, data: Buffer.alloc(70_000, 0xab)})
  const c = encodePacket({command: 2000, session: 7, reply: 4, data: Buffer.alloc(0)})
  const stream = Buffer.concat([frameTcp(a), frameTcp(b), frameTcp(c)])

  it.each([
    ['all in one segment', [stream.length]],
    ['byte by byte through the prefix', [1, 1, 1, 1, 1, 1, 1, 1, stream.length]],
    ['split inside the length field', [6, stream.length]],
    ['a large packet over many 1460-byte segments', Array.from({length: 60}, () => 1460)],
    ['split right after each prefix', [8, a.length, 8, b.length, 8, c.length]],
  ])('%s', (_name, sizes) => {
    const deframer = new TcpDeframer()
    const out: Buffer[] = []
    let offset = 0
    for (const size of sizes) {
      out.push(...deframer.push(stream.subarray(offset, offset + size)))
      offset += size
    }
    out.push(...deframer.push(stream.subarray(offset)))
    expect(out.map((p) => decodePacket(p).command)).toEqual([1500, 1501, 2000])
    expect(out[1].length).toBe(b.length)
    expect(deframer.buffered).toBe(0)
  })

  it('holds a partial packet until the rest arrives', () => {
    const deframer = new TcpDeframer()
    expect(deframer.push(stream.subarray(0, 20))).toHaveLength(1)
    expect(deframer.buffered).toBe(20 - frameTcp(a).length)
  })

  it('refuses a stream that lost its framing', () => {
    expect(() => new TcpDeframer().push(hex('0102030408000000e80317fc00000000'))).toThrow(
      'the TCP stream lost its framing: expected 50 50 82 7d, got 01 02 03 04',
    )
    expect(() => new TcpDeframer().push(hex('5050827d02000000'))).toThrow('the TCP stream announced a packet of 2 bytes')
  })
})
