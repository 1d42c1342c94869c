import {decodePrepareData, decodePreparedSize, encodePrepareBuffer, encodeReadBuffer, planChunks, u32} from './buffer.js'
import {makeCommKey} from './commkey.js'
import {Command, commandName, DEFAULT_PORT, EventFlag, FCT_USER, MAX_CHUNK, Reply, REPLY_WRAP} from './constants.js'
import {decodeOptionReply, decodeSizes, decodeText, encodeOptionRequest, type ZkSizes} from './device-info.js'
import {ZkError} from './errors.js'
import {encodePacket, type DecodedPacket} from './packet.js'
import {decodeAttendanceLog, decodeUserTable, type ZkUser} from './records.js'
import {decodePackedTime, encodePackedTime, type ZkDateTime} from './time.js'
import {formatAddress, formatSeconds, openTransport, type ZkProtocol, type ZkTransport} from './transport.js'

export type ZkProtocolChoice = ZkProtocol | 'auto'
export const protocolChoices = ['auto', 'tcp', 'udp'] as const

export interface ZkConnectOptions {
  host: string
  port?: number
  /** auto (default) tries TCP first, then UDP. */
  protocol?: ZkProtocolChoice
  /** The device's comm key; 0 or undefined = none. */
  commKey?: number
  /** How long one request, or one chunk of a bulk read, may wait for its whole answer. */
  timeoutMs?: number
  /** UDP only: how many more times a request goes out when its answer does not come. */
  retries?: number
}

export interface ReadProgress {
  /** Bytes of the table received so far. */
  bytes: number
  total: number
}

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_RETRIES = 3

/** What a collector says about each packet answering the request in flight. */
type Step<T> = {value: T} | 'more' | 'retry'
type Collector<T> = (packet: DecodedPacket) => Step<T>

interface InFlight {
  reply: number
  handle(packet: DecodedPacket): void
  fail(error: Error): void
}

/** A lost UDP datagram noticed before the timeout: go again at once. */
class RetryNow extends Error {}
class Timeout extends Error {}

/**
 * One session with a ZKTeco-protocol terminal over TCP or UDP. The protocol is strictly one request,
 * then its answer: requests are queued and only one is ever in flight, each with its own timeout
 * (a bulk read asks for one chunk at a time, so a slow or lossy link costs one chunk's retry, never
 * the "N packets remain" truncation of clients that stream requests ahead of answers). Replies are
 * matched by the reply counter; late answers to an earlier attempt are dropped. Realtime events
 * (REG_EVENT packets) are acknowledged and handed to `onEvent`.
 */
export class ZkClient {
  /** Chosen by the device on CONNECT; every later packet carries it. */
  session = 0
  onEvent: (packet: DecodedPacket) => void = () => {}
  /** The session ended without `disconnect()` (device restart, cable, …). */
  onClose: (error: ZkError) => void = () => {}

  private replyCounter = 0
  private inFlight: InFlight | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false
  private readonly timeoutMs: number
  private readonly retries: number

  private constructor(
    private readonly transport: ZkTransport,
    options: ZkConnectOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.retries = transport.protocol === 'udp' ? (options.retries ?? DEFAULT_RETRIES) : 0
    transport.onPacket = (packet) => this.receive(packet)
    transport.onClose = (error) => {
      this.closed = true
      this.inFlight?.fail(error)
      this.onClose(error)
    }
  }

  get protocol(): ZkProtocol {
    return this.transport.protocol
  }

  get address(): string {
    return this.transport.address
  }

  get isClosed(): boolean {
    return this.closed
  }

  /**
   * Opens a session: CONNECT, and AUTH with the scrambled comm key when the device answers
   * ACK_UNAUTH. With protocol auto, a device that refuses TCP or does not answer over it is tried
   * over UDP; one that answers but refuses the key is not (the key is the problem, not the transport).
   */
  static async connect(options: ZkConnectOptions): Promise<ZkClient> {
    const choice = options.protocol ?? 'auto'
    if (choice !== 'auto') return ZkClient.connectOver(choice, options)
    try {
      return await ZkClient.connectOver('tcp', options)
    } catch (tcpError) {
      if (!(tcpError instanceof ZkError) || (tcpError.failure !== 'unreachable' && tcpError.failure !== 'silent')) throw tcpError
      try {
        return await ZkClient.connectOver('udp', options)
      } catch (udpError) {
        if (!(udpError instanceof ZkError) || (udpError.failure !== 'unreachable' && udpError.failure !== 'silent')) throw udpError
        const address = formatAddress(options.host, options.port ?? DEFAULT_PORT)
        throw new ZkError('unreachable', `no answer on ${address} over TCP (${tcpError.message}) or UDP (${udpError.message})`, {cause: udpError})
      }
    }
  }

  private static async connectOver(protocol: ZkProtocol, options: ZkConnectOptions): Promise<ZkClient> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const transport = await openTransport(protocol, {host: options.host, port: options.port ?? DEFAULT_PORT, timeoutMs})
    const client = new ZkClient(transport, options)
    try {
      await client.handshake(options.commKey ?? 0)
      return client
    } catch (error) {
      client.close()
      throw error
    }
  }

  private async handshake(commKey: number): Promise<void> {
    const answer = await this.exchange(Command.CONNECT, Buffer.alloc(0), () => (packet) => ({value: packet}))
    this.session = answer.session
    if (answer.command === Reply.ACK_OK) return
    if (answer.command !== Reply.ACK_UNAUTH) throw refused(Command.CONNECT, answer.command)
    const auth = await this.exchange(Command.AUTH, makeCommKey(commKey, this.session), () => (packet) => ({value: packet}))
    if (auth.command === Reply.ACK_OK) return
    if (auth.command === Reply.ACK_UNAUTH) {
      throw new ZkError('unauthorized', commKey === 0 ? 'the device requires a comm key and none is set' : 'the device refused the comm key')
    }
    throw refused(Command.AUTH, auth.command)
  }

  /** Ends the session politely (EXIT), then closes the socket. Never throws. */
  async disconnect(): Promise<void> {
    if (!this.closed) {
      try {
        await this.command(Command.EXIT, Buffer.alloc(0), {timeoutMs: Math.min(this.timeoutMs, 2000), retries: 0})
      } catch {
        // The device may already be gone; closing is all that is left to do.
      }
    }
    this.close()
  }

  close(): void {
    this.closed = true
    this.transport.close()
  }

  /** Sends a command and returns the data of its ACK_OK; any other answer is a `refused` error. */
  command(command: number, data: Buffer = Buffer.alloc(0), options: {timeoutMs?: number; retries?: number} = {}): Promise<Buffer> {
    return this.exchange(
      command,
      data,
      () => (packet) => {
        if (packet.command === Reply.ACK_OK) return {value: packet.data}
        if (packet.command === Reply.ACK_UNAUTH) throw new ZkError('unauthorized', `the device refused ${commandName(command)}: the session is not authorized`)
        throw refused(command, packet.command)
      },
      options,
    )
  }

  async readSizes(): Promise<ZkSizes> {
    return decodeSizes(await this.command(Command.GET_FREE_SIZES))
  }

  /** One option (`~SerialNumber`, `~Platform`, `~DeviceName`, …); null when the device has none. */
  async readOption(name: string): Promise<string | null> {
    try {
      return decodeOptionReply(await this.command(Command.OPTIONS_RRQ, encodeOptionRequest(name)))
    } catch (error) {
      if (error instanceof ZkError && error.failure === 'refused') return null
      throw error
    }
  }

  serialNumber(): Promise<string | null> {
    return this.readOption('~SerialNumber')
  }

  async firmwareVersion(): Promise<string | null> {
    try {
      return decodeText(await this.command(Command.GET_VERSION))
    } catch (error) {
      if (error instanceof ZkError && error.failure === 'refused') return null
      throw error
    }
  }

  /** The device's wall clock (no zone: the caller knows the device's zone). */
  async getTime(): Promise<ZkDateTime> {
    const data = await this.command(Command.GET_TIME)
    if (data.length < 4) throw new ZkError('protocol', `the device time (GET_TIME) is ${data.length} bytes, expected 4`)
    return decodePackedTime(data.readUInt32LE(0))
  }

  async setTime(time: ZkDateTime): Promise<void> {
    await this.command(Command.SET_TIME, u32(encodePackedTime(time)))
    await this.command(Command.REFRESHDATA)
  }

  /** Locks the keypad and sensors ("Working…") so the log cannot change while it is read. */
  async disable(): Promise<void> {
    await this.command(Command.DISABLEDEVICE)
  }

  async enable(): Promise<void> {
    await this.command(Command.ENABLEDEVICE)
  }

  /**
   * Runs `work` with the device disabled and re-enables it afterwards, also when `work` fails (a
   * terminal left disabled shows "Working…" and takes no punches). A failure to re-enable is thrown
   * only when `work` succeeded; otherwise `work`'s own error is the one that matters.
   */
  async whileDisabled<T>(work: () => Promise<T>): Promise<T> {
    await this.disable()
    let result: T
    try {
      result = await work()
    } catch (error) {
      if (!this.closed) await this.enable().catch(() => undefined)
      throw error
    }
    await this.enable()
    return result
  }

  async readUsers(count: number, onProgress?: (progress: ReadProgress) => void): Promise<ReturnType<typeof decodeUserTable>> {
    if (count === 0) return {layout: null, users: []}
    return decodeUserTable(await this.readUserTable(onProgress), count)
  }

  /** The user table's bytes, undecoded. */
  readUserTable(onProgress?: (progress: ReadProgress) => void): Promise<Buffer> {
    return this.readBuffer(Command.USERTEMP_RRQ, FCT_USER, onProgress)
  }

  async readAttendance(count: number, users: readonly ZkUser[], onProgress?: (progress: ReadProgress) => void): Promise<ReturnType<typeof decodeAttendanceLog>> {
    if (count === 0) return {layout: null, records: [], rejected: []}
    return decodeAttendanceLog(await this.readBuffer(Command.ATTLOG_RRQ, 0, onProgress), count, users)
  }

  async clearAttendance(): Promise<void> {
    await this.command(Command.CLEAR_ATTLOG)
    await this.command(Command.REFRESHDATA)
  }

  /** Asks for realtime attendance events (EF_ATTLOG); 0 stops them. */
  async registerEvents(flags: number = EventFlag.ATTLOG): Promise<void> {
    await this.command(Command.REG_EVENT, u32(flags))
  }

  /**
   * A whole table, read as the device lays it out: PREPARE_BUFFER, then READ_BUFFER one chunk at a
   * time (at most 0xFFC0 bytes over TCP, 16 KiB over UDP), then FREE_DATA. A small table comes back
   * at once as DATA.
   */
  async readBuffer(command: number, fct = 0, onProgress?: (progress: ReadProgress) => void): Promise<Buffer> {
    const prepared = await this.exchange(Command.PREPARE_BUFFER, encodePrepareBuffer(command, fct), () => (packet): Step<{data: Buffer} | {size: number}> => {
      if (packet.command === Reply.ACK_OK) return {value: {size: decodePreparedSize(packet.data)}}
      if (packet.command === Command.DATA) return {value: {data: packet.data}}
      throw refused(Command.PREPARE_BUFFER, packet.command)
    })
    if ('data' in prepared) {
      onProgress?.({bytes: prepared.data.length, total: prepared.data.length})
      return prepared.data
    }
    const total = prepared.size
    const out = Buffer.allocUnsafe(total)
    const chunks = planChunks(total, MAX_CHUNK[this.protocol])
    onProgress?.({bytes: 0, total})
    try {
      for (const [i, chunk] of chunks.entries()) {
        const data = await this.readChunk(chunk.start, chunk.size).catch((error: unknown) => {
          throw describeChunkFailure(error, i, chunks.length, chunk.start, total)
        })
        data.copy(out, chunk.start)
        onProgress?.({bytes: chunk.start + chunk.size, total})
      }
    } catch (error) {
      // A device that answered with an error still holds the buffer: release it. One that went
      // silent would only make us wait again.
      if (error instanceof ZkError && error.failure !== 'silent' && !this.closed) await this.command(Command.FREE_DATA).catch(() => undefined)
      throw error
    }
    await this.command(Command.FREE_DATA)
    return out
  }

  /** One READ_BUFFER: PREPARE_DATA (the size), DATA packet(s), ACK_OK — or DATA alone. */
  private readChunk(start: number, size: number): Promise<Buffer> {
    return this.exchange(Command.READ_BUFFER, encodeReadBuffer(start, size), () => {
      let expected: number | null = null
      const parts: Buffer[] = []
      let received = 0
      return (packet) => {
        switch (packet.command) {
          case Command.PREPARE_DATA:
            expected = decodePrepareData(packet.data)
            return 'more'
          case Command.DATA:
            if (expected === null) {
              // Over UDP a DATA of the wrong size without PREPARE_DATA means PREPARE_DATA was lost.
              if (this.protocol === 'udp' && packet.data.length !== size) return 'retry'
              return {value: checkChunk(packet.data, size)}
            }
            parts.push(packet.data)
            received += packet.data.length
            return 'more'
          case Reply.ACK_OK:
            if (expected === null) throw new ZkError('protocol', 'the device acknowledged a chunk it never sent')
            // Over UDP a datagram of the chunk was lost: ask again rather than wait for the timeout.
            if (received < expected) {
              if (this.protocol === 'udp') return 'retry'
              throw new ZkError('protocol', `the device sent ${received} of the ${expected} bytes it announced`)
            }
            return {value: checkChunk(Buffer.concat(parts, received), size)}
          default:
            throw refused(Command.READ_BUFFER, packet.command)
        }
      }
    })
  }

  /**
   * Sends one request and collects its answer, one request at a time. UDP requests go again (with
   * a new reply number, so stragglers of the earlier attempt are told apart) when the answer does
   * not come within the timeout.
   */
  private exchange<T>(command: number, data: Buffer, collector: () => Collector<T>, options: {timeoutMs?: number; retries?: number} = {}): Promise<T> {
    const run = async (): Promise<T> => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs
      const attempts = 1 + (this.protocol === 'udp' ? (options.retries ?? this.retries) : 0)
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.once(command, data, collector(), timeoutMs)
        } catch (error) {
          const again = error instanceof RetryNow || error instanceof Timeout
          if (again && attempt < attempts) continue
          if (again) {
            const tries = attempts > 1 ? ` after ${attempts} tries` : ''
            throw new ZkError('silent', `no answer to ${commandName(command)} from ${this.address} within ${formatSeconds(timeoutMs)}${tries}`)
          }
          throw error
        }
      }
    }
    const result = this.queue.then(run, run)
    this.queue = result.catch(() => undefined)
    return result
  }

  private once<T>(command: number, data: Buffer, collect: Collector<T>, timeoutMs: number): Promise<T> {
    if (this.closed) return Promise.reject(new ZkError('silent', `the session with ${this.address} is closed`))
    const reply = this.replyCounter
    this.replyCounter = (this.replyCounter + 1) % REPLY_WRAP
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer)
        this.inFlight = null
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Timeout())
      }, timeoutMs)
      this.inFlight = {
        reply,
        handle: (packet) => {
          let step: Step<T>
          try {
            step = collect(packet)
          } catch (error) {
            finish()
            reject(error)
            return
          }
          if (step === 'more') return
          finish()
          if (step === 'retry') reject(new RetryNow())
          else resolve(step.value)
        },
        fail: (error) => {
          finish()
          reject(error)
        },
      }
      this.transport.send(encodePacket({command, session: this.session, reply, data}))
    })
  }

  private receive(packet: DecodedPacket): void {
    if (packet.command === Command.REG_EVENT) {
      // Acknowledged at once, with the event's own reply number: unacknowledged events are resent.
      this.transport.send(encodePacket({command: Reply.ACK_OK, session: this.session, reply: packet.reply, data: Buffer.alloc(0)}))
      this.onEvent(packet)
      return
    }
    // Anything else answers the request in flight, or an earlier attempt of it (dropped).
    if (this.inFlight && packet.reply === this.inFlight.reply) this.inFlight.handle(packet)
  }
}

function refused(command: number, answer: number): ZkError {
  return new ZkError('refused', `the device answered ${commandName(command)} with ${commandName(answer)}`)
}

function checkChunk(data: Buffer, size: number): Buffer {
  if (data.length !== size) throw new ZkError('protocol', `a chunk of ${size} bytes came back with ${data.length}`)
  return data
}

function describeChunkFailure(error: unknown, index: number, count: number, start: number, total: number): unknown {
  if (!(error instanceof ZkError)) return error
  const where = `chunk ${index + 1} of ${count} (from byte ${start} of ${total})`
  const message = error.failure === 'silent' ? `the device stopped answering during the transfer: ${where}: ${error.message}` : `${where}: ${error.message}`
  return new ZkError(error.failure, message, {cause: error})
}
