import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startTestServer, type TestServer} from './helpers.js'

/** DESIGN §7: a request no route takes still gets its family's error format, never fastify's default. */
describe('unknown routes answer in their family format', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.close()
  })

  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${server.url}${path}`, {method, body, headers: body ? {'content-type': 'application/json'} : {}})
    return {status: response.status, type: response.headers.get('content-type') ?? '', allow: response.headers.get('allow'), text: await response.text()}
  }

  it('CAMS callback (seed 003): a GET answers 200 with status error, at both paths', async () => {
    for (const path of ['/api/cams/callback', '/api/method/navari_cams_biometric.cams_biometric.controllers.cams_call.attendance']) {
      const response = await call('GET', path)
      expect(response.status).toBe(200)
      expect(JSON.parse(response.text)).toEqual({status: 'error', message: `GET is not allowed on ${path}: use POST.`})
    }
    const other = await call('POST', '/api/cams/other')
    expect(other.status).toBe(200)
    expect(JSON.parse(other.text)).toEqual({status: 'error', message: 'Unknown route: POST /api/cams/other: the CAMS callback is POST /api/cams/callback.'})
  })

  it('CAMS HTTP (seed 002): an unknown operation is 404, a wrong method on a known one 405, both {ok:false}', async () => {
    const unknown = await call('POST', '/api/attendance/v1/punches')
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.text)).toEqual({ok: false, error: 'Unknown route: POST /api/attendance/v1/punches: the operations are punch, heartbeat, validity and config under /api/attendance/v1.'})
    const wrongMethod = await call('GET', '/api/attendance/v1/punch')
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.allow).toBe('POST')
    expect(JSON.parse(wrongMethod.text)).toEqual({ok: false, error: 'GET is not allowed on /api/attendance/v1/punch: use POST.'})
  })

  it('seed 000 and seed 004 paths answer 404 {success:false,message}', async () => {
    const worker = await call('POST', '/api/biometric/attendances?api_key=secret')
    expect(worker.status).toBe(404)
    expect(JSON.parse(worker.text)).toEqual({
      success: false,
      message: 'Unknown route: POST /api/biometric/attendances: attendance is sent with POST /api/biometric/attendance.',
    })
    const pushLog = await call('GET', '/api/v1/biometric/push-log')
    expect(pushLog.status).toBe(405)
    expect(pushLog.allow).toBe('POST')
    expect(JSON.parse(pushLog.text)).toEqual({success: false, message: 'GET is not allowed on /api/v1/biometric/push-log: use POST.'})
    const unknownPush = await call('POST', '/api/v1/biometric/push-logs')
    expect(unknownPush.status).toBe(404)
    expect(JSON.parse(unknownPush.text)).toEqual({
      success: false,
      message: 'Unknown route: POST /api/v1/biometric/push-logs: device logs are sent with POST /api/v1/biometric/push-log.',
    })
  })

  it('ZKTeco /iclock paths answer 404 in plain text', async () => {
    const response = await call('GET', '/iclock/unknown')
    expect(response.status).toBe(404)
    expect(response.type).toMatch(/^text\/plain/)
    expect(response.text).toMatch(/^Unknown route: GET \/iclock\/unknown: /)
  })

  it('/v1 keeps its own {error:{…}} format (its key check comes first)', async () => {
    const response = await call('GET', '/v1/nothing')
    expect(response.status).toBe(401)
    expect(JSON.parse(response.text)).toMatchObject({error: {type: 'authentication_error'}})
  })

  it('anything else is a JSON 404 naming the path, without the query', async () => {
    const response = await call('GET', '/nowhere/at/all?x=1')
    expect(response.status).toBe(404)
    expect(JSON.parse(response.text)).toEqual({error: 'Not found', path: '/nowhere/at/all'})
  })

  it('an unreadable body sent to an unknown path still gets the family format, not fastify default', async () => {
    const response = await call('POST', '/api/attendance/v1/nothing', '{not json')
    expect([400, 404]).toContain(response.status)
    expect(JSON.parse(response.text)).toMatchObject({ok: false})
    expect(response.text).not.toContain('statusCode')
  })
})
