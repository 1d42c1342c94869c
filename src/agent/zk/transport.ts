import dgram from 'node:dgram'
import dns from 'node:dns/promises'
import net from 'node:net'

import {ZkError} from './errors.js'
import {checksumMatches, decodePacket, frameTcp, TcpDeframer, type DecodedPacket} from './packet.js'

export type ZkProtocol = 'tcp' | 'udp'

/**
 * A socket that carries whole protocol packets both ways. The client above it matches replies to
 * requests; transports only frame, deframe and report the end of the conversation.
 */
export interface ZkTransport {
  readonly protocol: ZkProtocol
  /** `host:port` as given, for messages. */
  readonly address: string
  send(packet: Buffer): void
  /** Every packet received, in order. */
  onPacket: (packet: DecodedPacket) => void
  /** The conversation ended: the peer closed, the socket failed, or the stream lost its framing. */
  onClose: (error: ZkError) => void
  close(): void
}

export interface TransportTarget {
  host: string
  port: number
  /** How long connecting may take (TCP). */
  timeoutMs: number
}

export async function openTransport(protocol: ZkProtocol, target: TransportTarget): Promise<ZkTransport> {
  return protocol === 'tcp' ? TcpTransport.open(target) : UdpTransport.open(target)
}

const noop = (): void => {}

class TcpTransport implements ZkTransport {
  readonly protocol = 'tcp'
  onPacket: (packet: DecodedPacket) => void = noop
  onClose: (error: ZkError) => void = noop
  private readonly deframer = new TcpDeframer()
  private closed = false

  private constructor(
    private readonly socket: net.Socket,
    readonly address: string,
  ) {
    socket.on('data', (segment: Buffer) => this.receive(segment))
    socket.on('error', (error) => this.end(new ZkError('silent', `the connection to ${address} failed: ${describeSocketError(error)}`, {cause: error})))
    socket.on('close', () => this.end(new ZkError('silent', `${address} closed the connection`)))
  }

  static open(target: TransportTarget): Promise<TcpTransport> {
    const address = formatAddress(target.host, target.port)
    return new Promise((resolve, reject) => {
      const socket = net.connect({host: target.host, port: target.port})
      socket.setNoDelay(true)
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new ZkError('unreachable', `no TCP connection to ${address} within ${seconds(target.timeoutMs)}`))
      }, target.timeoutMs)
      socket.once('error', (error) => {
        clearTimeout(timer)
        socket.destroy()
        reject(new ZkError('unreachable', `no TCP connection to ${address}: ${describeSocketError(error)}`, {cause: error}))
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new TcpTransport(socket, address))
      })
    })
  }

  send(packet: Buffer): void {
    if (!this.closed) this.socket.write(frameTcp(packet))
  }

  close(): void {
    this.closed = true
    this.socket.destroy()
  }

  private receive(segment: Buffer): void {
    let packets: Buffer[]
    try {
      packets = this.deframer.push(segment)
    } catch (error) {
      this.end(error instanceof ZkError ? error : new ZkError('protocol', String(error)))
      this.socket.destroy()
      return
    }
    // TCP already guarantees the bytes: the checksum is not checked here (see decodePacket).
    for (const packet of packets) this.onPacket(decodePacket(packet))
  }

  private end(error: ZkError): void {
    if (this.closed) return
    this.closed = true
    this.onClose(error)
  }
}

class UdpTransport implements ZkTransport {
  readonly protocol = 'udp'
  onPacket: (packet: DecodedPacket) => void = noop
  onClose: (error: ZkError) => void = noop
  private closed = false
  private socketClosed = false

  private constructor(
    private readonly socket: dgram.Socket,
    readonly address: string,
  ) {
    socket.on('message', (message: Buffer) => this.receive(message))
    socket.on('error', (error) => {
      if (this.closed) return
      this.closed = true
      // Port unreachable (ICMP) comes back as ECONNREFUSED on a connected socket: nothing listens.
      const failure = (error as {code?: string}).code === 'ECONNREFUSED' ? 'unreachable' : 'silent'
      this.onClose(new ZkError(failure, `UDP to ${address} failed: ${describeSocketError(error)}`, {cause: error}))
    })
  }

  static async open(target: TransportTarget): Promise<UdpTransport> {
    const address = formatAddress(target.host, target.port)
    let family: number
    let host: string
    try {
      const found = await dns.lookup(target.host)
      family = found.family
      host = found.address
    } catch (error) {
      throw new ZkError('unreachable', `cannot resolve ${target.host}: ${describeSocketError(error as Error)}`, {cause: error})
    }
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4')
    // Connected: only the device's datagrams reach us, and sends need no address.
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(target.port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    }).catch((error: Error) => {
      socket.close()
      throw new ZkError('unreachable', `no UDP route to ${address}: ${describeSocketError(error)}`, {cause: error})
    })
    return new UdpTransport(socket, address)
  }

  send(packet: Buffer): void {
    if (!this.closed) this.socket.send(packet)
  }

  close(): void {
    this.closed = true
    // Also after an error: a dgram socket left open keeps the process alive.
    if (this.socketClosed) return
    this.socketClosed = true
    this.socket.close()
  }

  private receive(message: Buffer): void {
    // A datagram that does not add up was damaged on the way: dropping it makes the request time
    // out and go again, which is what the retransmits are for.
    if (!checksumMatches(message)) return
    this.onPacket(decodePacket(message))
  }
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

export {seconds as formatSeconds}

function describeSocketError(error: Error): string {
  const code = (error as {code?: string}).code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host (check the address and the network)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host name'
    case 'ECONNRESET':
      return 'the device reset the connection'
    case 'ETIMEDOUT':
      return 'timed out'
    default:
      return error.message
  }
}
