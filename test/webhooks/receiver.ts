import http from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Received {
  headers: http.IncomingHttpHeaders
  body: string
  at: number
}

export interface Answer {
  status?: number
  headers?: Record<string, string>
  body?: string
  /** Wait this long before answering. */
  delayMs?: number
}

/**
 * A real HTTP receiver on a free local port: records every request and answers as `answer` says
 * (200 by default). `down()` closes the port (connections are refused), `up()` opens the same port
 * again, as a receiver's restart would.
 */
export class Receiver {
  readonly received: Received[] = []
  answer: (request: Received, n: number) => Answer = () => ({})
  inFlight = 0
  maxInFlight = 0
  private server: http.Server
  private port = 0

  private constructor() {
    this.server = this.create()
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver()
    await receiver.listen(0)
    return receiver
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`
  }

  /** Event ids as received, in order (a retry appears once per attempt that reached us). */
  get ids(): string[] {
    return this.received.map((r) => String(r.headers['webhook-id']))
  }

  private create(): http.Server {
    return http.createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (d: string) => (body += d))
      req.on('end', () => {
        const request = {headers: req.headers, body, at: Date.now()}
        this.received.push(request)
        this.inFlight++
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
        const answer = this.answer(request, this.received.length)
        setTimeout(() => {
          this.inFlight--
          res.writeHead(answer.status ?? 200, {'content-type': 'application/json', ...answer.headers})
          res.end(answer.body ?? '{"ok":true}')
        }, answer.delayMs ?? 0)
      })
    })
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve) => {
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port
        resolve()
      })
    })
  }

  async down(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  async up(): Promise<void> {
    this.server = this.create()
    await this.listen(this.port)
  }

  async close(): Promise<void> {
    if (!this.server.listening) return
    await this.down()
  }
}
