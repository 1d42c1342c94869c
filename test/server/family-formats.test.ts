import net from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createTestDevice, createTestKey, request, startTestServer, type TestServer} from './helpers.js'

/** What a client gets back over a raw socket: status line, headers and body. */
async function raw(url: string, bytes: string): Promise<{status: number; headers: Record<string, string>; body: string}> {
  const {hostname, port} = new URL(url)
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes))
    let received = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('end', () => resolve(received))
    socket.on('close', () => resolve(received))
    socket.on('error', (error) => (received ? resolve(received) : reject(error)))
  })
  const [head, ...rest] = text.split('\r\n\r\n')
  const [statusLine, ...headerLines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim()
  return {status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n')}
}

/**
 * DESIGN §7: every answer in the family's own format — including what node's HTTP parser and
 * fastify's router refuse before any route runs.
 */
describe('answers the router and the HTTP parser give, in each family format', () => {
  let server: TestServer
  let key: string
  beforeAll(async () => {
    server = await startTestServer()
    key = createTestKey(server.store).key
    createTestDevice(server.store, {serial: 'FMT01'})
  })
  afterAll(async () => {
    await server.close()
  })

  const longUrl = (path: string) => `${path}?SN=FMT01&pad=${'x'.repeat(20_000)}`

  it('431 for a URL past the header limit: plain text on /iclock, the seed-000 and v1 JSON, 200 on the CAMS callback', async () => {
    const iclock = await raw(server.url, `GET ${longUrl('/iclock/cdata')} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(iclock.status).toBe(431)
    expect(iclock.headers['content-type']).toMatch(/^text\/plain/)
    expect(iclock.body).toMatch(/^The request line and headers are larger than \d+ bytes: send a shorter URL and fewer headers\.\n$/)

    const worker = await raw(server.url, `POST ${longUrl('/api/biometric/attendance')} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(worker.status).toBe(431)
    expect(JSON.parse(worker.body)).toEqual({success: false, message: expect.stringMatching(/^Processing failed: The request line and headers are larger than/)})

    const v1 = await raw(server.url, `GET ${longUrl('/v1/users')} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(v1.status).toBe(431)
    expect(JSON.parse(v1.body)).toMatchObject({error: {code: 'headers_too_large', type: 'invalid_request_error'}})

    const cams = await raw(server.url, `POST ${longUrl('/api/cams/callback')} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(cams.status).toBe(200)
    expect(JSON.parse(cams.body)).toEqual({status: 'error', message: expect.stringMatching(/^The request line and headers are larger than/)})

    const headers = await raw(server.url, `GET /api/attendance/v1/heartbeat HTTP/1.1\r\nHost: x\r\nX-Pad: ${'y'.repeat(20_000)}\r\n\r\n`)
    expect(headers.status).toBe(431)
    expect(JSON.parse(headers.body)).toEqual({ok: false, error: expect.stringMatching(/^The request line and headers are larger than/)})
  })

  it('400 for bytes that are not HTTP, in the format of the path they name', async () => {
    const iclock = await raw(server.url, 'POST /iclock/cdata?SN=FMT01&table=ATTLOG HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')
    expect(iclock.status).toBe(400)
    expect(iclock.headers['content-type']).toMatch(/^text\/plain/)
    expect(iclock.body).toMatch(/^The request is not valid HTTP \(.+\)\.\n$/)

    const pushLog = await raw(server.url, 'POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')
    expect(pushLog.status).toBe(400)
    expect(JSON.parse(pushLog.body)).toEqual({success: false, message: expect.stringMatching(/^The request is not valid HTTP/)})

    const garbage = await raw(server.url, '\u0001\u0002 not http at all\r\n\r\n')
    expect(garbage.status).toBe(400)
    expect(JSON.parse(garbage.body)).toMatchObject({error: expect.stringMatching(/^The request is not valid HTTP/)})
  })

  it('400 for a path with broken percent-encoding, in the family format', async () => {
    const iclock = await request(`${server.url}/iclock/%E0%A4%A?SN=FMT01`)
    expect(iclock.status).toBe(400)
    expect(iclock.text).toBe('The URL path /iclock/%E0%A4%A is not valid: a % must start a percent-encoded byte such as %20.\n')
    const worker = await request(`${server.url}/api/biometric/%zz`, {method: 'POST', headers: {'x-api-key': key}, body: '{}'})
    expect(worker.status).toBe(400)
    expect(worker.body).toEqual({success: false, message: 'Processing failed: The URL path /api/biometric/%zz is not valid: a % must start a percent-encoded byte such as %20.'})
    const cams = await request(`${server.url}/api/cams/%zz`, {method: 'POST', body: '{}'})
    expect([cams.status, cams.body.status]).toEqual([200, 'error'])
  })

  it('405 with Allow for a wrong method on a known path, in every family', async () => {
    const cases: [string, string, string, (res: Awaited<ReturnType<typeof request>>) => void][] = [
      ['DELETE', '/iclock/getrequest?SN=FMT01', 'GET, POST', (res) => expect(res.text).toBe('DELETE is not allowed on /iclock/getrequest: use GET, POST.\n')],
      ['GET', '/iclock/registry?SN=FMT01', 'POST', (res) => expect(res.text).toMatch(/^GET is not allowed/)],
      ['PUT', '/api/attendance/v1/punch', 'POST', (res) => expect(res.body).toEqual({ok: false, error: 'PUT is not allowed on /api/attendance/v1/punch: use POST.'})],
      ['GET', '/api/v1/biometric/push-log', 'POST', (res) => expect(res.body).toEqual({success: false, message: 'GET is not allowed on /api/v1/biometric/push-log: use POST.'})],
      ['POST', '/health', 'GET', (res) => expect(res.body).toEqual({status: 'error', message: 'POST is not allowed on /health: use GET.'})],
    ]
    for (const [method, path, allow, check] of cases) {
      const res = await request(`${server.url}${path}`, {method, body: method === 'GET' ? undefined : 'x'})
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      check(res)
    }
    // The CAMS callback answers 200 whatever happens.
    const cams = await request(`${server.url}/api/cams/callback`, {method: 'PUT', body: '{}'})
    expect([cams.status, cams.body]).toEqual([200, {status: 'error', message: 'PUT is not allowed on /api/cams/callback: use POST.'}])
  })

  it('quotes at most ~80 characters of a bad value and keeps bodies small', async () => {
    const serial = 'S'.repeat(5000)
    const unknown = await request(`${server.url}/iclock/cdata?SN=${serial}&options=all`)
    expect(unknown.status).toBe(401)
    expect(unknown.text.length).toBeLessThan(300)
    const path = await request(`${server.url}/iclock/${'p'.repeat(5000)}`)
    expect(path.status).toBe(404)
    expect(path.text.length).toBeLessThan(400)
    const type = await request(`${server.url}/api/biometric/attendance`, {method: 'POST', headers: {'x-api-key': key, 'content-type': `application/${'z'.repeat(4000)}`}, body: '{}'})
    expect(type.status).toBe(415)
    expect(type.text.length).toBeLessThan(300)
  })
})
