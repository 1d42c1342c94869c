import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {revokeApiKey} from '../../../src/store/sqlite/directory/api-keys.js'
import {ReportThread} from '../../../src/reports/worker/report-thread.js'
import {SESSION_IDLE_MS, SESSION_MAX_MS, SIGN_IN_FAILURES} from '../../../src/server/dashboard/sessions.js'
import {CONTENT_SECURITY_POLICY} from '../../../src/server/routes/dashboard.js'
import {pdfPages} from '../../reports/pdf-text.js'
import {insertEmployees} from '../../reports/seed.js'
import {createTestDevice, createTestKey, postJson, startTestServer, type TestServer} from '../helpers.js'
import {spawnServe} from '../spawn-serve.js'

let server: TestServer | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: {'content-type': 'application/x-www-form-urlencoded'},
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
})

/** Signs in with `key` and returns the Cookie header to send afterwards. */
async function signIn(url: string, key: string): Promise<string> {
  const response = await fetch(`${url}/dashboard/sign-in`, form({key, next: '/'}))
  expect(response.status).toBe(303)
  return response.headers.get('set-cookie')!.split(';')[0]
}

interface ServerEvent {
  event: string
  data: unknown
}

/** Reads a stream of server-sent events as they come: `until` waits for the next one that matches. */
function eventReader(response: Response) {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const events: ServerEvent[] = []
  let buffer = ''
  let ended = false
  /** Events before this one have been looked at by an earlier `until`. */
  let position = 0
  const next = async (): Promise<boolean> => {
    const {value, done} = await reader.read()
    if (done) return false
    buffer += decoder.decode(value, {stream: true})
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(frame)?.[1]
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (event && data !== undefined) events.push({event, data: JSON.parse(data)})
    }
    return true
  }
  return {
    events,
    async until(match: (event: ServerEvent) => boolean): Promise<ServerEvent | undefined> {
      for (;;) {
        for (; position < events.length; position++) if (match(events[position])) return events[position++]
        if (ended || !(await next())) {
          ended = true
          return undefined
        }
      }
    },
    /** Reads to the end of the stream (the server closed it); returns every event it carried. */
    async rest(): Promise<ServerEvent[]> {
      await this.until(() => false)
      return events
    },
    cancel: () => reader.cancel(),
  }
}

describe('status page: sign-in and sessions', () => {
  it('shows the sign-in form to a browser without a session, and refuses its data', async () => {
    server = await startTestServer()
    for (const path of ['/', '/dashboard']) {
      const page = await fetch(`${server.url}${path}`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(page.headers.get('cache-control')).toBe('no-store')
      const html = await page.text()
      expect(html).toContain('<form method="post" action="/dashboard/sign-in"')
      expect(html).toContain(`<input type="hidden" name="next" value="${path}">`)
      expect(html).not.toMatch(/<script|style=/)
    }
    for (const path of ['/dashboard/api/state', '/dashboard/events', '/dashboard/download?month=2026-03&file=register.pdf']) {
      const refused = await fetch(`${server.url}${path}`)
      expect(refused.status).toBe(401)
      expect(await refused.text()).toBe('Sign in to the status page first.\n')
    }
  })

  it('turns a read key into a session cookie and back to the page it came from; an admin key works too', async () => {
    server = await startTestServer()
    for (const scopes of [['read'], ['admin']] as const) {
      const {key} = createTestKey(server.store, {scopes: [...scopes]})
      const response = await fetch(`${server.url}/dashboard/sign-in`, form({key, next: '/dashboard'}))
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/dashboard')
      expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^attend_session=[A-Za-z0-9_-]{43}; Max-Age=${SESSION_MAX_MS / 1000}; Path=/; HttpOnly; SameSite=Strict$`))
      const cookie = response.headers.get('set-cookie')!.split(';')[0]
      const state = await fetch(`${server.url}/dashboard/api/state`, {headers: {cookie}})
      expect(state.status).toBe(200)
    }
    // Only the two pages are places to go back to.
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const elsewhere = await fetch(`${server.url}/dashboard/sign-in`, form({key, next: 'https://evil.example/'}))
    expect(elsewhere.headers.get('location')).toBe('/dashboard')
  })

  it('marks the cookie Secure when the page was reached over HTTPS: attend serve --tls-cert, or a proxy that ended TLS', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-tls-'))
    try {
      const cert = path.join(dir, 'cert.pem')
      const keyFile = path.join(dir, 'key.pem')
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], {stdio: 'ignore'})
      server = await startTestServer({https: {cert: fs.readFileSync(cert), key: fs.readFileSync(keyFile)}})
      const {key} = createTestKey(server.store, {scopes: ['read']})
      const setCookie = await new Promise<string | undefined>((resolve, reject) => {
        const body = new URLSearchParams({key, next: '/'}).toString()
        https
          .request(`${server!.url.replace('http:', 'https:')}/dashboard/sign-in`, {method: 'POST', ca: fs.readFileSync(cert), headers: {'content-type': 'application/x-www-form-urlencoded'}}, (response) => {
            response.resume()
            resolve(response.headers['set-cookie']?.[0])
          })
          .on('error', reject)
          .end(body)
      })
      expect(setCookie).toMatch(/; HttpOnly; Secure; SameSite=Strict$/)
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
    await server.close()
    server = await startTestServer()
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const cookieFor = async (headers: Record<string, string>) =>
      (await fetch(`${server!.url}/dashboard/sign-in`, {...form({key}), headers: {...form({}).headers, ...headers}})).headers.get('set-cookie')
    expect(await cookieFor({'x-forwarded-proto': 'https'})).toMatch(/; HttpOnly; Secure; SameSite=Strict$/)
    expect(await cookieFor({'x-forwarded-proto': 'http'})).toMatch(/; HttpOnly; SameSite=Strict$/)
    expect(await cookieFor({})).toMatch(/; HttpOnly; SameSite=Strict$/)
  })

  it('answers a wrong key, a key without read and an empty form on the sign-in page, with the reason', async () => {
    server = await startTestServer()
    const {key: ingest} = createTestKey(server.store, {name: 'door', scopes: ['ingest']})
    const cases = [
      ['att_0000abcd_notARealKeyButShapedLikeOne00', 401, 'That API key is not valid: it is unknown or has been revoked (attend keys list shows the keys).'],
      [ingest, 403, 'The API key &#34;door&#34; cannot open the status page: it lacks the read scope (its scopes: ingest). Create one with attend keys create --name wall-screen --scopes read.'],
      ['', 400, 'Enter an API key with the read scope (attend keys create --name wall-screen --scopes read creates one).'],
    ] as const
    for (const [key, status, message] of cases) {
      const response = await fetch(`${server.url}/dashboard/sign-in`, form({key, next: '/'}))
      expect(response.status).toBe(status)
      expect(response.headers.get('set-cookie')).toBeNull()
      expect(await response.text()).toContain(`<p id="sign-in-error" class="error" role="alert" >${message}</p>`)
    }
  })

  it(`makes an address that tried ${SIGN_IN_FAILURES.max} wrong keys in a minute wait`, async () => {
    server = await startTestServer()
    for (let i = 0; i < SIGN_IN_FAILURES.max; i++) expect((await fetch(`${server.url}/dashboard/sign-in`, form({key: `att_0000abcd_wrongKeyNumber${i}xxxxxxxxxxx`}))).status).toBe(401)
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const waiting = await fetch(`${server.url}/dashboard/sign-in`, form({key}))
    expect(waiting.status).toBe(429)
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await waiting.text()).toMatch(/Too many wrong API keys from this address: try again in \d+ seconds\./)
  })

  it('refuses a sign-in or sign-out posted from another site', async () => {
    server = await startTestServer()
    const {key} = createTestKey(server.store, {scopes: ['read']})
    for (const headers of [{origin: 'https://evil.example'}, {'sec-fetch-site': 'cross-site'}, {origin: 'null'}] as Record<string, string>[]) {
      for (const path of ['/dashboard/sign-in', '/dashboard/sign-out']) {
        const response = await fetch(`${server.url}${path}`, {...form({key}), headers: {...form({}).headers, ...headers}})
        expect(response.status).toBe(403)
        expect(await response.text()).toBe('Sign-in and sign-out are accepted only from the status page itself.\n')
      }
    }
  })

  it('ends a session when it has been idle too long, when its key is revoked, and at sign-out; use keeps it alive', async () => {
    let now = Date.UTC(2026, 2, 12, 6)
    server = await startTestServer({now: () => now})
    const store = server.store
    const {key, record} = createTestKey(store, {scopes: ['read']})
    const state = (cookie: string) => fetch(`${server!.url}/dashboard/api/state`, {headers: {cookie}}).then((r) => r.status)
    const expiry = () => store.sqlite.prepare('SELECT expires_at FROM dashboard_sessions').pluck().get() as number

    const idle = await signIn(server.url, key)
    expect(expiry()).toBe(now + SESSION_IDLE_MS)
    now += SESSION_IDLE_MS - 60_000
    expect(await state(idle)).toBe(200)
    // Use moved the expiry forward (written after the answer, through group commit).
    await vi.waitFor(() => expect(expiry()).toBe(now + SESSION_IDLE_MS))
    now += SESSION_IDLE_MS + 1
    expect(await state(idle)).toBe(401)

    const revoked = await signIn(server.url, key)
    expect(await state(revoked)).toBe(200)
    revokeApiKey(store, record.name, now)
    expect(await state(revoked)).toBe(401)

    const {key: other} = createTestKey(store, {scopes: ['read']})
    const cookie = await signIn(server.url, other)
    const out = await fetch(`${server.url}/dashboard/sign-out`, {method: 'POST', headers: {cookie}, redirect: 'manual'})
    expect(out.status).toBe(303)
    expect(out.headers.get('set-cookie')).toBe('attend_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict')
    expect(await state(cookie)).toBe(401)
    // Signing in cleared the sessions that had expired; sign-out removed its own.
    expect(store.sqlite.prepare('SELECT count(*) FROM dashboard_sessions').pluck().get()).toBe(1)
  })

  it('ends a session at its cap however much it is used', async () => {
    let now = Date.UTC(2026, 2, 12, 6)
    server = await startTestServer({now: () => now})
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    for (let used = 0; used < SESSION_MAX_MS; used += SESSION_IDLE_MS / 2) {
      now += SESSION_IDLE_MS / 2
      // Signed in, the page is the status page; signed out, the sign-in form.
      const page = await (await fetch(`${server.url}/dashboard`, {headers: {cookie}})).text()
      expect(page.includes('/dashboard/assets/dashboard.js')).toBe(used + SESSION_IDLE_MS / 2 < SESSION_MAX_MS)
      // The renewal is written after the answer, through group commit.
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })
})

describe('status page: data', () => {
  it('builds its figures on the report thread, from a read-only connection', async () => {
    server = await startTestServer()
    insertEmployees(server.store, [{code: 'E1', name: 'Ann', department: 'IT'}])
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    const tasks = vi.spyOn(ReportThread.prototype, 'task')
    const response = await fetch(`${server.url}/dashboard/api/state`, {headers: {cookie}})
    expect(response.status).toBe(200)
    expect(tasks.mock.calls.map((call) => call[0])).toEqual(['dashboard-snapshot'])
    const body = await response.json()
    expect(body).toMatchObject({signed_in_as: expect.any(String), zone: 'UTC', today: {counts: {on_roll: 1}}, month: {days_in_month: expect.any(Number)}})
    // Reading wrote nothing: the day nobody punched on was settled in memory.
    expect(server.store.sqlite.prepare('SELECT count(*) FROM attendance_days').pluck().get()).toBe(0)
  })

  it('answers 503 with a retry time, not a 500, when the report thread cannot read the store', async () => {
    server = await startTestServer()
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    // The server keeps its open connection; a new one (the thread's) finds no file.
    fs.renameSync(server.store.path, `${server.store.path}.moved`)
    const state = await fetch(`${server.url}/dashboard/api/state`, {headers: {cookie}})
    expect(state.status).toBe(503)
    expect(state.headers.get('retry-after')).toBe('60')
    expect(await state.text()).toBe('The report could not be built right now; try again in a minute.\n')
    const stream = eventReader(await fetch(`${server.url}/dashboard/events`, {headers: {cookie}}))
    expect((await stream.rest()).map((e) => e.event)).toEqual(['unavailable'])
    fs.renameSync(`${server.store.path}.moved`, server.store.path)
  })

  it('streams the snapshot, then each punch as it is stored, to an open page', async () => {
    server = await startTestServer()
    insertEmployees(server.store, [{code: 'E1', name: 'Ann', department: 'IT'}])
    const {token} = createTestDevice(server.store, {serial: 'GATE-1', mode: 'push'})
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    const stream = await fetch(`${server.url}/dashboard/events`, {headers: {cookie}})
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    const events = eventReader(stream)
    expect(await events.until((e) => e.event === 'snapshot')).toMatchObject({data: {recent: [], cursor: 0}})

    const timestamp = new Date(Date.now() - 60_000).toISOString().slice(0, 19).replace('T', ' ')
    const pushed = await postJson(`${server.url}/api/v1/biometric/push-log`, {logs: [{user_id: 'E1', timestamp}, {user_id: '77', timestamp}]}, {authorization: `Bearer ${token}`})
    expect(pushed.body).toMatchObject({stored: 2})
    const arrived = (await events.until((e) => e.event === 'punches'))!.data as {punches: {employee: {code: string} | null; device_user_id: string; map_command: string | null}[]}
    expect(arrived.punches.map((p) => [p.employee?.code ?? null, p.device_user_id, p.map_command])).toEqual([
      [null, '77', 'attend map add 77 EMPLOYEE_CODE --device GATE-1'],
      ['E1', 'E1', null],
    ])
    // The device that pushed is online now, and today's figures follow the punches.
    expect(await events.until((e) => e.event === 'devices')).toMatchObject({data: {devices: {devices: [{serial: 'GATE-1', presence: 'online'}]}}})
    const rebuilt = await events.until((e) => e.event === 'snapshot')
    expect((rebuilt!.data as {recent: unknown[]; cursor: number}).recent).toHaveLength(2)
    await events.cancel()
  })

  it('closes open streams when the server stops, instead of waiting for them', async () => {
    server = await startTestServer()
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    const streams = await Promise.all([1, 2].map(() => fetch(`${server!.url}/dashboard/events`, {headers: {cookie}}).then(eventReader)))
    for (const stream of streams) await stream.until((e) => e.event === 'snapshot')
    const started = Date.now()
    await server.close()
    server = undefined
    for (const stream of streams) expect((await stream.rest()).map((e) => e.event)).toEqual(['snapshot'])
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it("downloads a month's register PDF, summary CSV and late report through the report code of /v1/reports", async () => {
    server = await startTestServer({now: () => Date.UTC(2026, 3, 2, 9)})
    insertEmployees(server.store, [{code: 'E1', name: 'Ann Otieno', department: 'IT'}])
    const cookie = await signIn(server.url, createTestKey(server.store, {scopes: ['read']}).key)
    const get = (query: string) => fetch(`${server!.url}/dashboard/download?${query}`, {headers: {cookie}})

    const pdf = await get('month=2026-03&file=register.pdf')
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="register-2026-03-01-to-2026-03-31.pdf"')
    const pages = await pdfPages(Buffer.from(await pdf.arrayBuffer()))
    expect(pages[0]).toContain('Attendance register')
    expect(pages[0]).toContain('E1 Ann Otieno')

    const csv = await get('month=2026-03&file=summary.csv')
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="attendance-2026-03-01-to-2026-03-31.csv"')
    expect((await csv.text()).split('\n')[1]).toMatch(/^usr_\d+,E1,Ann Otieno,IT,/)

    const late = await get('month=2026-02&file=late.csv')
    expect(late.headers.get('content-disposition')).toBe('attachment; filename="late-2026-02-01-to-2026-02-28.csv"')
    expect((await late.text()).trim()).toBe('date,code,name,department,kind,shift,expected,actual,minutes,manual')

    for (const [query, message] of [
      ['month=2026-13&file=register.pdf', 'Choose a month as YYYY-MM (for example 2026-03).'],
      ['file=register.pdf', 'Choose a month as YYYY-MM (for example 2026-03).'],
      ['month=2026-03&file=../../etc/passwd', 'Choose a report to download: register.pdf, summary.csv, late.pdf, late.csv.'],
    ]) {
      const bad = await get(query)
      expect(bad.status).toBe(400)
      expect(await bad.text()).toBe(`${message}\n`)
    }
  })

  it('serves its own files only, with validators', async () => {
    server = await startTestServer()
    const slash = await fetch(`${server.url}/dashboard/`, {redirect: 'manual'})
    expect([slash.status, slash.headers.get('location')]).toEqual([308, '/dashboard'])
    const css = await fetch(`${server.url}/dashboard/assets/dashboard.css`)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const etag = css.headers.get('etag')!
    expect((await fetch(`${server.url}/dashboard/assets/dashboard.css`, {headers: {'if-none-match': etag}})).status).toBe(304)
    expect((await fetch(`${server.url}/dashboard/assets/dashboard.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    for (const path of ['/dashboard/assets/index.html', '/dashboard/assets/..%2F..%2Fpackage.json', '/dashboard/assets/%2e%2e%2fsign-in.html']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(404)
    }
  })
})

describe('attend serve and the status page', () => {
  it('keeps a session across a restart of the server: a wall screen does not need the key again', {timeout: 60_000}, async () => {
    server = await startTestServer()
    const {key} = createTestKey(server.store, {scopes: ['read']})
    const first = await spawnServe(['--db', server.store.path, '--log-level', 'silent'])
    let cookie: string
    try {
      await vi.waitFor(() => expect(first.stderr()).toContain(`attend serve: status page at ${first.url}/ (sign in with an API key that has the read scope)`))
      cookie = await signIn(first.url, key)
    } finally {
      first.child.kill('SIGTERM')
      await first.exited
    }
    const second = await spawnServe(['--db', server.store.path, '--log-level', 'silent'])
    try {
      expect((await fetch(`${second.url}/dashboard/api/state`, {headers: {cookie}})).status).toBe(200)
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
  })
})

describe('attend serve --no-dashboard', () => {
  it('answers 404 where the status page would be, and everything else as before', {timeout: 60_000}, async () => {
    server = await startTestServer()
    const serve = await spawnServe(['--db', server.store.path, '--no-dashboard', '--log-level', 'silent'])
    try {
      for (const path of ['/', '/dashboard', '/dashboard/api/state', '/dashboard/assets/dashboard.js']) {
        const response = await fetch(`${serve.url}${path}`)
        expect(response.status).toBe(404)
        expect(await response.text()).toBe('The status page is turned off on this server (attend serve was started with --no-dashboard).\n')
      }
      expect(serve.stderr()).not.toContain('status page at')
      expect((await fetch(`${serve.url}/health`)).status).toBe(200)
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
  })
})
