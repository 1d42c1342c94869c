#!/usr/bin/env node
// A webhook receiver to try attend's webhooks with: it checks each request's signature the way the
// README's "Webhooks" section shows (Standard Webhooks: HMAC-SHA256 over "id.timestamp.body"),
// prints one line per request, and answers as told. Nothing but Node.
//
//   node docs/examples/webhook-receiver.js PORT [--secret whsec_…] [--answer STATUS] [--reason TEXT]
//
// --secret   check webhook-signature with this endpoint secret (attend webhooks add prints it);
//            a request that fails the check is answered 401
// --answer   the status to answer a valid request with (default 200), e.g. 503 to play a payroll
//            system that is busy, or 400 for one that refuses what it gets
// --reason   text after the status in the answer ("Service Unavailable: payroll import running")
//
// "Now" for the timestamp check is ATTEND_NOW when it is set, as attend itself reads it, so the
// receiver agrees with an attend whose clock is pinned (the README's examples are); else the clock.
import {createHmac, timingSafeEqual} from 'node:crypto'
import http from 'node:http'
import {parseArgs} from 'node:util'

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {secret: {type: 'string'}, answer: {type: 'string', default: '200'}, reason: {type: 'string'}},
})
const port = Number(positionals[0])
const status = Number(values.answer)
if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(status) || status < 200 || status > 599) {
  console.error('Usage: node docs/examples/webhook-receiver.js PORT [--secret whsec_…] [--answer STATUS] [--reason TEXT]')
  process.exit(2)
}

const now = () => (process.env.ATTEND_NOW ? Date.parse(process.env.ATTEND_NOW) : Date.now())

/** The README's verifyAttendWebhook, with the clock above. */
function verifyAttendWebhook(secret, headers, body) {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  if (!id || !timestamp || !headers['webhook-signature']) throw new Error('webhook headers missing')
  if (Math.abs(now() / 1000 - Number(timestamp)) > 300) throw new Error('timestamp too far from now')
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest()
  const valid = headers['webhook-signature'].split(' ').some((part) => {
    const [version, signature = ''] = part.split(',')
    const given = Buffer.from(signature, 'base64')
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!valid) throw new Error('bad signature')
  return JSON.parse(body)
}

let requests = 0
let refused = 0
const server = http.createServer((request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    requests++
    const body = Buffer.concat(chunks).toString('utf8')
    let event
    try {
      event = values.secret ? verifyAttendWebhook(values.secret, request.headers, body) : JSON.parse(body)
    } catch (error) {
      refused++
      console.log(`${request.method} ${request.url} ${request.headers['webhook-id'] ?? '-'}: refused, ${error.message}`)
      response.writeHead(401, {'content-type': 'text/plain'}).end(`Unauthorized: ${error.message}`)
      return
    }
    const checked = values.secret ? 'signature ok' : 'signature not checked'
    console.log(`${request.method} ${request.url} ${event.id} ${event.type}: ${checked}, answered ${status}`)
    if (status < 300) response.writeHead(status, {'content-type': 'application/json'}).end('{"received":true}')
    else response.writeHead(status, {'content-type': 'text/plain'}).end(`${http.STATUS_CODES[status] ?? 'Error'}${values.reason ? `: ${values.reason}` : ''}`)
  })
})

function stop() {
  server.close()
  console.log(`webhook receiver: stopped after ${requests} requests (${refused} refused)`)
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

server.listen(port, '127.0.0.1', () => {
  const checks = values.secret ? 'checks signatures' : 'does not check signatures (no --secret)'
  console.log(`webhook receiver: listening on http://127.0.0.1:${port}, answers ${status} ${http.STATUS_CODES[status] ?? ''}, ${checks}`)
})
