/**
 * A scripted ZKTeco push-protocol terminal (firmware "ADMS"), behaving like the real thing where it
 * matters to the server: it keeps every record until the server answers 200 + `OK: <n>`, then drops
 * them; it reads its options and clock from the handshake; it polls for commands and reports their
 * results. Bodies go out as raw bytes with CRLF line ends and whatever Content-Type the firmware
 * uses (none by default).
 */
export interface AttlogRecord {
  pin: string
  /** Device wall clock, `YYYY-MM-DD HH:MM:SS`. */
  time: string
  status?: number
  verify?: number
  workCode?: string
}

export interface DeviceReply {
  status: number
  text: string
  headers: Headers
}

export interface Handshake extends DeviceReply {
  firstLine: string
  options: Record<string, string>
}

export class FakeZkDevice {
  /** ATTLOG lines not yet acknowledged by the server. */
  readonly pending: string[] = []
  /** Commands received and not yet answered. */
  readonly commands: {id: number; command: string}[] = []
  options: Record<string, string> = {}

  constructor(
    readonly baseUrl: string,
    readonly serial: string,
    /** null: no Content-Type header at all, as many firmwares send. */
    readonly contentType: string | null = null,
  ) {}

  async handshake(): Promise<Handshake> {
    const reply = await this.send('GET', `/iclock/cdata?SN=${this.serial}&options=all&pushver=2.4.1&language=69`)
    const lines = reply.text.replace(/\r/g, '').split('\n').filter(Boolean)
    const options: Record<string, string> = {}
    for (const line of lines.slice(1)) {
      const eq = line.indexOf('=')
      if (eq > 0) options[line.slice(0, eq)] = line.slice(eq + 1)
    }
    if (reply.status === 200) this.options = options
    return {...reply, firstLine: lines[0] ?? '', options}
  }

  /** Records punches in the device's log, to go out with the next upload. */
  punch(...records: AttlogRecord[]): void {
    for (const r of records) this.pending.push([r.pin, r.time, r.status ?? 0, r.verify ?? 1, r.workCode ?? '', 0, 0].join('\t'))
  }

  /** Uploads pending ATTLOG lines; forgets them only on `OK: <n>` with n = lines sent. */
  async uploadAttlog(stamp = 9999): Promise<DeviceReply> {
    const lines = [...this.pending]
    const reply = await this.send('POST', `/iclock/cdata?SN=${this.serial}&table=ATTLOG&Stamp=${stamp}`, lines.join('\r\n') + '\r\n')
    if (reply.status === 200 && reply.text.trim() === `OK: ${lines.length}`) this.pending.splice(0, lines.length)
    return reply
  }

  async uploadOperlog(lines: string[]): Promise<DeviceReply> {
    return this.send('POST', `/iclock/cdata?SN=${this.serial}&table=OPERLOG&OpStamp=9999`, lines.join('\r\n') + '\r\n')
  }

  async uploadOptions(text: string): Promise<DeviceReply> {
    return this.send('POST', `/iclock/cdata?SN=${this.serial}&table=options`, text)
  }

  /** Polls for commands (`C:<id>:<command>` lines) and remembers them to answer later. */
  async getRequest(): Promise<DeviceReply> {
    const reply = await this.send('GET', `/iclock/getrequest?SN=${this.serial}`)
    if (reply.status === 200) {
      for (const line of reply.text.replace(/\r/g, '').split('\n')) {
        const match = /^C:(\d+):(.+)$/.exec(line)
        if (match) this.commands.push({id: Number(match[1]), command: match[2]})
      }
    }
    return reply
  }

  /** Answers every remembered command with `returnCode`. */
  async reportResults(returnCode = 0): Promise<DeviceReply> {
    const lines = this.commands.map((c) => `ID=${c.id}&Return=${returnCode}&CMD=${c.command.split(' ')[0]}`)
    const reply = await this.send('POST', `/iclock/devicecmd?SN=${this.serial}`, lines.join('\r\n') + '\r\n')
    if (reply.status === 200 && reply.text.trim() === 'OK') this.commands.length = 0
    return reply
  }

  ping(): Promise<DeviceReply> {
    return this.send('GET', `/iclock/ping?SN=${this.serial}`)
  }

  async send(method: 'GET' | 'POST', path: string, body?: string): Promise<DeviceReply> {
    const headers: Record<string, string> = {}
    if (body !== undefined && this.contentType !== null) headers['content-type'] = this.contentType
    // A Uint8Array body makes fetch add no Content-Type of its own.
    const response = await fetch(`${this.baseUrl}${path}`, {method, headers, body: body === undefined ? undefined : new TextEncoder().encode(body)})
    return {status: response.status, text: await response.text(), headers: response.headers}
  }
}
