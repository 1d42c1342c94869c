/**
 * A ZKTeco-protocol terminal on real local sockets (TCP and UDP on the same port, like port 4370 of
 * a device), for the agent-mode tests and bench/pull. It answers what attend's client asks the way
 * firmware does: sessions and the comm key, counters and options, the attendance log and the user
 * table in any record layout through PREPARE_BUFFER/READ_BUFFER (or at once as DATA when small),
 * the clock, clearing, and realtime EF_ATTLOG events that it resends until acknowledged. Faults are
 * scripted per test: a device that goes silent or errors mid-transfer, lost or damaged UDP
 * datagrams, TCP replies cut into small segments, a restart.
 *
 * Like a real device it does not check the checksums clients send (pyzk's are off, and devices
 * accept them).
 */
import dgram from 'node:dgram'
import {EventEmitter} from 'node:events'
import net from 'node:net'

import {commKeyMatches} from '../../../src/agent/zk/commkey.js'
import {Command, commandName, EventFlag, FCT_USER, Reply} from '../../../src/agent/zk/constants.js'
import {decodePacket, encodePacket, frameTcp, TcpDeframer, type DecodedPacket} from '../../../src/agent/zk/packet.js'
import {encodePackedTime, decodePackedTime, fromWallClockText, wallClockText} from '../../../src/agent/zk/time.js'
import {
  encodeAttendanceEvent,
  encodeCounters,
  encodePrepareData,
  encodePreparedSize,
  encodeRecord,
  encodeUser,
  readPrepareBuffer,
  readReadBuffer,
  table,
  type EmulatedRecord,
  type EmulatedUser,
  type EventLayout,
  type RecordLayout,
  type UserLayout,
} from './device-codec.js'

export type {EmulatedRecord, EmulatedUser} from './device-codec.js'

export interface ChunkInfo {
  /** The table being read: `attendance` or `users`. */
  table: 'attendance' | 'users'
  /** 0-based chunk number within this read. */
  index: number
  start: number
  size: number
  protocol: 'tcp' | 'udp'
}

export interface EmulatorOptions {
  serial: string
  /** Where to listen (default 127.0.0.1, any free port). */
  host?: string
  port?: number
  firmware?: string
  platform?: string
  deviceName?: string
  /** 0 = no comm key. */
  commKey?: number
  users?: EmulatedUser[]
  records?: EmulatedRecord[]
  userLayout?: UserLayout
  /** Extra bytes after each user record: a user table in a layout no known firmware uses. */
  userPadding?: number
  recordLayout?: RecordLayout
  eventLayout?: EventLayout
  /** Which transports answer (default both). A closed TCP port refuses; a closed UDP port is silent or unreachable. */
  tcp?: boolean
  udp?: boolean
  /** TCP accepts connections but never answers (a device that speaks only push/ADMS on 4370, or a firewall). */
  silentTcp?: boolean
  /** The device clock: its wall time now (default: the real time in UTC). */
  clock?: string
  capacity?: {users?: number; records?: number; fingers?: number}
  /** Tables up to this many bytes are answered at once with DATA (default 1024, as firmware does). */
  directDataLimit?: number
  /** After answering this many READ_BUFFER chunks of the attendance log, answer nothing more. */
  silentAfterChunks?: number
  /** Answer this READ_BUFFER chunk (0-based, attendance log) with ACK_ERROR. */
  failChunk?: number
  /** UDP: drop (don't send) a datagram when this says so. `datagram` is 0-based within one answer. */
  dropDatagram?: (info: {command: number; datagram: number; attempt: number}) => boolean
  /** UDP: flip a byte of a datagram when this says so (its checksum no longer adds up). */
  corruptDatagram?: (info: {command: number; datagram: number; attempt: number}) => boolean
  /** TCP: write each answer in segments of this many bytes, one per event-loop turn. */
  tcpSegment?: number
  /** A punch made just as a client registers for events: sent with the REG_EVENT answer, in one segment. */
  punchOnRegister?: EmulatedRecord
  /** Called before the final ACK_OK of each READ_BUFFER chunk is sent; the answer waits for it. */
  beforeChunkDone?: (info: ChunkInfo) => Promise<void> | void
}

interface Session {
  id: number
  authorized: boolean
  prepared: {table: 'attendance' | 'users'; data: Buffer; chunkIndex: Map<number, number>; attempts: Map<number, number>} | null
  eventFlags: number
  /** `attempt`: how many times this same request was answered before (UDP retransmits). */
  send(packets: Buffer[], attempt?: number): Promise<void>
  close(): void
  protocol: 'tcp' | 'udp'
}

export interface EmulatorLogEntry {
  command: string
  protocol: 'tcp' | 'udp'
}

export class ZkEmulator extends EventEmitter {
  users: EmulatedUser[]
  records: EmulatedRecord[]
  /** Whether the keypad and sensors work (false between DISABLEDEVICE and ENABLEDEVICE). */
  enabled = true
  /** Every command received, in order. */
  readonly log: EmulatorLogEntry[] = []
  /** Table reads (PREPARE_BUFFER) that happened while the device was enabled. */
  readsWhileEnabled = 0
  /** Events acknowledged by clients. */
  acks = 0
  /** The most TCP sessions that were open at the same time. */
  maxTcpSessions = 0
  port = 0
  readonly host: string
  private silent = false
  private tableCache: {key: {records: EmulatedRecord[]; length: number; users: EmulatedUser[]}; bytes: Buffer} | null = null
  private chunksAnswered = 0
  private clockBase: {wallMs: number; realMs: number}
  private clockStopped = false
  private tcpServer: net.Server | null = null
  private udpSocket: dgram.Socket | null = null
  private readonly tcpSockets = new Set<net.Socket>()
  private readonly sessions = new Map<string, Session>()
  private readonly pendingEvents = new Map<Session, Buffer[]>()

  private constructor(readonly options: EmulatorOptions) {
    super()
    this.host = options.host ?? '127.0.0.1'
    this.users = [...(options.users ?? [])]
    this.records = [...(options.records ?? [])]
    this.clockBase = {wallMs: options.clock ? wallToMs(options.clock) : Date.now(), realMs: Date.now()}
  }

  static async start(options: EmulatorOptions): Promise<ZkEmulator> {
    const emulator = new ZkEmulator(options)
    await emulator.listen(options.port ?? 0)
    return emulator
  }

  /** The device's wall clock now, `YYYY-MM-DD HH:MM:SS`. */
  get clock(): string {
    const running = this.clockStopped ? 0 : Date.now() - this.clockBase.realMs
    return msToWall(this.clockBase.wallMs + running)
  }

  /**
   * Sets the device clock to `wall`; `stopped` holds it there until a client sets the time, so
   * output that shows it (the README's drift) is the same on every run however long a step takes.
   */
  setClock(wall: string, stopped = false): void {
    this.clockBase = {wallMs: wallToMs(wall), realMs: Date.now()}
    this.clockStopped = stopped
  }

  /** Stops answering anything from now on (the cable is pulled, the device hangs). */
  goSilent(): void {
    this.silent = true
  }

  /** Appends a punch to the log and reports it to every session registered for EF_ATTLOG. */
  punch(record: EmulatedRecord): void {
    this.records.push(record)
    const event = encodeAttendanceEvent(record, this.options.eventLayout ?? 52)
    for (const session of new Set(this.sessions.values())) {
      if (!(session.eventFlags & EventFlag.ATTLOG)) continue
      const queue = this.pendingEvents.get(session) ?? []
      queue.push(event)
      this.pendingEvents.set(session, queue)
      if (queue.length === 1) this.sendEvent(session, event)
    }
  }

  /** Sessions registered for realtime events right now. */
  get eventSessions(): number {
    return [...new Set(this.sessions.values())].filter((s) => s.eventFlags & EventFlag.ATTLOG).length
  }

  /** Drops every connection and session, as a power cycle does; answers again after `downMs`. */
  async restart(downMs = 0): Promise<void> {
    const port = this.port
    await this.close()
    this.enabled = true
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
    await this.listen(port)
  }

  async close(): Promise<void> {
    for (const socket of this.tcpSockets) socket.destroy()
    this.tcpSockets.clear()
    this.sessions.clear()
    this.pendingEvents.clear()
    await Promise.all([
      this.tcpServer ? new Promise<void>((resolve) => this.tcpServer!.close(() => resolve())) : undefined,
      this.udpSocket ? new Promise<void>((resolve) => this.udpSocket!.close(() => resolve())) : undefined,
    ])
    this.tcpServer = null
    this.udpSocket = null
  }

  private async listen(port: number): Promise<void> {
    // With any free port asked for, the port UDP chose may be taken on TCP by another test's socket
    // (the kernel keeps separate port spaces): try another pair instead of failing the test.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.listenOnce(port)
        return
      } catch (error) {
        this.udpSocket?.close()
        this.udpSocket = null
        if (port !== 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 20) throw error
      }
    }
  }

  private async listenOnce(port: number): Promise<void> {
    // UDP first: it chooses the port, TCP takes the same number (as a device's 4370 serves both).
    if (this.options.udp !== false) {
      const socket = dgram.createSocket('udp4')
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        socket.bind(port, this.host, () => resolve())
      })
      this.udpSocket = socket
      port = socket.address().port
      socket.on('message', (message, remote) => this.receiveDatagram(socket, message, remote))
    }
    if (this.options.tcp !== false) {
      const server = net.createServer((socket) => this.acceptTcp(socket))
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, this.host, () => resolve())
      })
      port = (server.address() as net.AddressInfo).port
      this.tcpServer = server
    } else if (this.options.udp === false) {
      throw new Error('an emulator needs TCP or UDP')
    }
    this.port = port
  }

  private acceptTcp(socket: net.Socket): void {
    socket.setNoDelay(true)
    this.tcpSockets.add(socket)
    this.maxTcpSessions = Math.max(this.maxTcpSessions, this.tcpSockets.size)
    const deframer = new TcpDeframer()
    const key = `tcp:${socket.remotePort}`
    const segment = this.options.tcpSegment
    const session = this.newSession('tcp', async (packets) => {
      const bytes = Buffer.concat(packets.map(frameTcp))
      if (!segment) {
        socket.write(bytes)
        return
      }
      for (let i = 0; i < bytes.length; i += segment) {
        socket.write(bytes.subarray(i, i + segment))
        await new Promise((resolve) => setImmediate(resolve))
      }
    }, () => socket.end())
    socket.on('data', (data) => {
      for (const packet of deframer.push(data)) void this.handle(session, key, decodePacket(packet))
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      this.tcpSockets.delete(socket)
      this.sessions.delete(key)
      this.pendingEvents.delete(session)
    })
  }

  private receiveDatagram(socket: dgram.Socket, message: Buffer, remote: dgram.RemoteInfo): void {
    const key = `udp:${remote.address}:${remote.port}`
    let session = this.sessions.get(key)
    if (!session) {
      session = this.newSession('udp', async (packets, attempt = 0) => {
        for (const [datagram, packet] of packets.entries()) {
          const info = {command: decodePacket(packet).command, datagram, attempt}
          if (this.options.dropDatagram?.(info)) continue
          const out = Buffer.from(packet)
          if (this.options.corruptDatagram?.(info)) out[out.length - 1] ^= 0x5a
          socket.send(out, remote.port, remote.address)
        }
      }, () => this.sessions.delete(key))
      this.sessions.set(key, session)
    }
    void this.handle(session, key, decodePacket(message))
  }

  private newSession(protocol: 'tcp' | 'udp', send: Session['send'], close: () => void): Session {
    return {id: 1 + Math.floor(Math.random() * 0xfffe), authorized: false, prepared: null, eventFlags: 0, send, close, protocol}
  }

  private async handle(session: Session, key: string, packet: DecodedPacket): Promise<void> {
    // Logged even when silent: tests check what a client sent to a device that no longer answers.
    this.log.push({command: commandName(packet.command).replace(/ \(\d+\)$/, ''), protocol: session.protocol})
    this.emit('command', packet.command, session.protocol)
    if (this.silent || (session.protocol === 'tcp' && this.options.silentTcp)) return
    if (session.protocol === 'tcp' || packet.command === Command.CONNECT) this.sessions.set(key, session)
    const answer = (command: number, data: Buffer = Buffer.alloc(0)): Promise<void> =>
      session.send([encodePacket({command, session: session.id, reply: packet.reply, data})])

    if (packet.command === Reply.ACK_OK) {
      // A client acknowledging a realtime event: the next one may go.
      this.acks++
      const queue = this.pendingEvents.get(session) ?? []
      queue.shift()
      if (queue.length > 0) this.sendEvent(session, queue[0])
      return
    }
    if (packet.command === Command.CONNECT) {
      session.authorized = !this.options.commKey
      return answer(session.authorized ? Reply.ACK_OK : Reply.ACK_UNAUTH)
    }
    if (packet.command === Command.AUTH) {
      session.authorized = commKeyMatches(packet.data, this.options.commKey ?? 0, session.id)
      return answer(session.authorized ? Reply.ACK_OK : Reply.ACK_UNAUTH)
    }
    if (!session.authorized) return answer(Reply.ACK_UNAUTH)

    switch (packet.command) {
      case Command.EXIT:
        await answer(Reply.ACK_OK)
        session.close()
        return
      case Command.GET_FREE_SIZES:
        return answer(Reply.ACK_OK, this.counters())
      case Command.OPTIONS_RRQ: {
        const name = packet.data.toString('latin1').replace(/\0.*$/s, '')
        const value = this.option(name)
        return value === null ? answer(Reply.ACK_ERROR) : answer(Reply.ACK_OK, Buffer.from(`${name}=${value}\0`, 'utf8'))
      }
      case Command.GET_VERSION:
        return answer(Reply.ACK_OK, Buffer.from(`${this.options.firmware ?? 'Ver 6.60 Apr 28 2017'}\0`))
      case Command.GET_TIME: {
        const data = Buffer.alloc(4)
        data.writeUInt32LE(encodePackedTime(fromWallClockText(this.clock)), 0)
        return answer(Reply.ACK_OK, data)
      }
      case Command.SET_TIME:
        this.setClock(wallClockText(decodePackedTime(packet.data.readUInt32LE(0))))
        return answer(Reply.ACK_OK)
      case Command.DISABLEDEVICE:
        this.enabled = false
        return answer(Reply.ACK_OK)
      case Command.ENABLEDEVICE:
        this.enabled = true
        return answer(Reply.ACK_OK)
      case Command.REFRESHDATA:
        return answer(Reply.ACK_OK)
      case Command.CLEAR_ATTLOG:
        this.records = []
        this.emit('cleared')
        return answer(Reply.ACK_OK)
      case Command.REG_EVENT: {
        session.eventFlags = packet.data.length >= 4 ? packet.data.readUInt32LE(0) : 0
        const punch = this.options.punchOnRegister
        if (!punch || !(session.eventFlags & EventFlag.ATTLOG)) return answer(Reply.ACK_OK)
        // The ACK and a punch made that instant, in one segment.
        this.records.push(punch)
        const ack = encodePacket({command: Reply.ACK_OK, session: session.id, reply: packet.reply, data: Buffer.alloc(0)})
        const event = encodePacket({command: Command.REG_EVENT, session: EventFlag.ATTLOG, reply: 0, data: encodeAttendanceEvent(punch, this.options.eventLayout ?? 52)})
        return session.send([ack, event])
      }
      case Command.PREPARE_BUFFER:
        return this.prepareBuffer(session, packet, answer)
      case Command.READ_BUFFER:
        return this.readBuffer(session, packet, answer)
      case Command.FREE_DATA:
        session.prepared = null
        this.emit('freed')
        return answer(Reply.ACK_OK)
      default:
        return answer(Reply.ACK_UNKNOWN)
    }
  }

  private async prepareBuffer(session: Session, packet: DecodedPacket, answer: (command: number, data?: Buffer) => Promise<void>): Promise<void> {
    const {command, fct} = readPrepareBuffer(packet.data)
    if (this.enabled) this.readsWhileEnabled++
    let data: Buffer
    let name: 'attendance' | 'users'
    if (command === Command.ATTLOG_RRQ) {
      name = 'attendance'
      data = this.attendanceTable()
    } else if (command === Command.USERTEMP_RRQ && fct === FCT_USER) {
      name = 'users'
      data = this.userTable()
    } else {
      return answer(Reply.ACK_ERROR)
    }
    if (data.length <= (this.options.directDataLimit ?? 1024)) return answer(Command.DATA, data)
    session.prepared = {table: name, data, chunkIndex: new Map(), attempts: new Map()}
    return answer(Reply.ACK_OK, encodePreparedSize(data.length))
  }

  private async readBuffer(session: Session, packet: DecodedPacket, answer: (command: number, data?: Buffer) => Promise<void>): Promise<void> {
    const prepared = session.prepared
    if (!prepared) return answer(Reply.ACK_ERROR)
    const {start, size} = readReadBuffer(packet.data)
    let index = prepared.chunkIndex.get(start)
    const first = index === undefined
    if (index === undefined) {
      index = prepared.chunkIndex.size
      prepared.chunkIndex.set(start, index)
    }
    const attempt = prepared.attempts.get(start) ?? 0
    prepared.attempts.set(start, attempt + 1)
    if (prepared.table === 'attendance') {
      if (first && this.options.silentAfterChunks !== undefined && this.chunksAnswered >= this.options.silentAfterChunks) {
        this.silent = true
        return
      }
      if (this.options.failChunk === index) return answer(Reply.ACK_ERROR)
      if (first) this.chunksAnswered++
    }
    const slice = prepared.data.subarray(start, start + size)
    const reply = (command: number, data: Buffer = Buffer.alloc(0)): Buffer => encodePacket({command, session: session.id, reply: packet.reply, data})
    const packets = [reply(Command.PREPARE_DATA, encodePrepareData(slice.length))]
    if (session.protocol === 'tcp') packets.push(reply(Command.DATA, slice))
    else for (let i = 0; i < slice.length; i += 1024) packets.push(reply(Command.DATA, slice.subarray(i, i + 1024)))
    await this.options.beforeChunkDone?.({table: prepared.table, index, start, size, protocol: session.protocol})
    packets.push(reply(Reply.ACK_OK))
    await session.send(packets, attempt)
  }

  private sendEvent(session: Session, event: Buffer): void {
    void session.send([encodePacket({command: Command.REG_EVENT, session: EventFlag.ATTLOG, reply: 0, data: event})])
  }

  private counters(): Buffer {
    const capacity = this.options.capacity ?? {}
    return encodeCounters({
      users: this.users.length,
      fingers: this.users.length * 2,
      records: this.records.length,
      userCapacity: capacity.users ?? 3000,
      recordCapacity: capacity.records ?? 100_000,
      fingerCapacity: capacity.fingers ?? 3000,
      faces: 0,
      faceCapacity: 0,
    })
  }

  private option(name: string): string | null {
    switch (name) {
      case '~SerialNumber':
        return this.options.serial
      case '~Platform':
        return this.options.platform ?? 'ZMM220_TFT'
      case '~DeviceName':
        return this.options.deviceName ?? 'K40'
      default:
        return null
    }
  }

  private userTable(): Buffer {
    const pad = Buffer.alloc(this.options.userPadding ?? 0)
    return table(this.users.map((u) => Buffer.concat([encodeUser(u, this.options.userLayout ?? 72), pad])))
  }

  private attendanceTable(): Buffer {
    // Encoding 100 000 records takes longer than sending them: kept until the log changes, so
    // bench/pull times the protocol rather than the emulator.
    const key = {records: this.records, length: this.records.length, users: this.users}
    const cached = this.tableCache
    if (cached && cached.key.records === key.records && cached.key.length === key.length && cached.key.users === key.users) return cached.bytes
    const layout = this.options.recordLayout ?? 40
    const uids = new Map(this.users.map((u) => [u.userId, u.uid]))
    const bytes = table(this.records.map((r) => encodeRecord(r, layout, r.uid ?? uids.get(r.userId) ?? Number(r.userId))))
    this.tableCache = {key, bytes}
    return bytes
  }
}

function wallToMs(text: string): number {
  const t = fromWallClockText(text)
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)
}

function msToWall(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}
