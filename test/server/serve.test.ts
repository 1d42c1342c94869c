import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'
import pg from 'pg'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {createApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {errorText, runAttend, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {getJson} from './helpers.js'
import {spawnServe} from './spawn-serve.js'

let dir: string
let cleanup: () => void
beforeEach(() => ({dir, cleanup} = tempDir('attend-serve-')))
afterEach(() => cleanup())

function keyFor(db: string): string {
  const store = openStore(db)
  try {
    return createApiKey(store, {name: 'serve-test'}, Date.now()).key
  } finally {
    store.close()
  }
}

describe('attend serve', () => {
  it('loads fastify only when serving: the command module alone does not pull it in', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const count = (module: string) =>
      execFileSync(process.execPath, [
        '--input-type=module',
        '-e',
        `await import('./dist/${module}'); const {createRequire} = await import('node:module'); const r = createRequire(import.meta.url); console.log(Object.keys(r.cache).filter((k) => k.includes('node_modules/fastify/')).length)`,
      ], {cwd: root, encoding: 'utf8'}).trim()
    expect(count('commands/serve.js')).toBe('0')
    expect(Number(count('server/app.js'))).toBeGreaterThan(0)
  })

  it('creates a new store, answers /health, logs JSON, and stops cleanly on SIGTERM', async () => {
    const db = path.join(dir, 'fresh.db')
    const serve = await spawnServe(['--db', db])
    const health = await getJson(`${serve.url}/health`)
    expect(health.status).toBe(200)
    expect(health.body).toMatchObject({status: 'ok', version: expect.any(String), store: {reachable: true, last_punch_id: null}})
    expect(health.body.uptime_seconds).toBeGreaterThanOrEqual(0)

    // A seed-000 key or a CAMS device token in the query string never reaches the log.
    const secret = 'att_deadbeef_secret-secret-secret-secret'
    expect((await getJson(`${serve.url}/api/biometric/attendance?api_key=${secret}`)).status).toBe(401)
    expect((await getJson(`${serve.url}/api/cams/callback?stgid=SN1&AuthToken=${secret}`)).status).toBe(200)

    serve.child.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    expect(serve.stderr()).toMatch(/SIGTERM received/)
    expect(serve.stdout()).not.toContain('secret-secret')
    expect(serve.stdout()).toContain('api_key=[redacted]')
    expect(serve.stdout()).toContain('AuthToken=[redacted]')
    // Request logs are JSON lines (pino).
    const logs = serve.stdout().trim().split('\n').map((line) => JSON.parse(line))
    expect(logs.some((entry) => entry.req?.url === '/health')).toBe(true)
    // Checkpointed: the WAL was folded into the file and removed on close.
    expect(fs.existsSync(`${db}-wal`)).toBe(false)
    const store = openStore(db)
    try {
      // No zone is stored until attend init sets one: the site runs on UTC meanwhile, and says so.
      const timezone = store.sqlite.prepare(`SELECT value FROM settings WHERE key = 'timezone'`).get()
      expect(timezone).toBeUndefined()
      expect(serve.stderr()).toContain('site time zone UTC (not set yet')
    } finally {
      store.close()
    }
  })

  it('SIGINT lets an in-flight request finish and commit before the process exits', async () => {
    const db = path.join(dir, 'inflight.db')
    const key = keyFor(db)
    const serve = await spawnServe(['--db', db, '--log-level', 'warn'])
    const body = JSON.stringify({scanId: 'INFLIGHT-1', employeeId: 'EMP001', eventType: 'check_in', timestamp: '2025-03-03T08:00:00Z'})
    const {port} = new URL(serve.url)
    const response = new Promise<{status: number; text: string}>((resolve, reject) => {
      const req = http.request(
        {host: '127.0.0.1', port, method: 'POST', path: '/api/biometric/attendance', headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': key}},
        (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (d: string) => (text += d))
          res.on('end', () => resolve({status: res.statusCode ?? 0, text}))
        },
      )
      req.on('error', reject)
      // Half the body now; the rest after the signal.
      req.write(body.slice(0, 20))
      setTimeout(() => {
        serve.child.kill('SIGINT')
        setTimeout(() => req.end(body.slice(20)), 300)
      }, 200)
    })
    const answered = await response
    expect(answered.status).toBe(200)
    expect(JSON.parse(answered.text).successful).toBe(1)
    expect(await serve.exited).toBe(0)
    const store = openStore(db)
    try {
      expect(store.sqlite.prepare(`SELECT count(*) AS n FROM punches WHERE scan_id = 'INFLIGHT-1'`).get()).toEqual({n: 1})
    } finally {
      store.close()
    }
  })

  it('serves HTTPS with --tls-cert and --tls-key (self-signed certificate made with openssl)', async () => {
    const cert = path.join(dir, 'cert.pem')
    const key = path.join(dir, 'key.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {stdio: 'ignore'})
    const serve = await spawnServe(['--db', path.join(dir, 'tls.db'), '--tls-cert', cert, '--tls-key', key, '--log-level', 'silent'])
    try {
      expect(serve.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${serve.url}/health`, {ca: fs.readFileSync(cert)}, (res) => {
            let text = ''
            res.setEncoding('utf8').on('data', (d: string) => (text += d))
            res.on('end', () => resolve(text))
          })
          .on('error', reject)
      })
      expect(JSON.parse(body).status).toBe('ok')
      // Plain HTTP to the TLS port does not get an answer from the API.
      await expect(fetch(serve.url.replace('https:', 'http:') + '/health').then((r) => r.json())).rejects.toThrow()
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
  })

  it('refuses bad TLS flags and a busy port with one sentence, before creating a store', async () => {
    const db = path.join(dir, 'never.db')
    const onlyCert = await runAttend(['serve', '--db', db, '--tls-cert', path.join(dir, 'cert.pem')])
    expect(onlyCert.exitCode).toBe(2)
    expect(errorText(onlyCert.stderr)).toContain('HTTPS needs both --tls-cert and --tls-key; only --tls-cert was given.')
    const missing = await runAttend(['serve', '--db', db, '--tls-cert', path.join(dir, 'nope.pem'), '--tls-key', path.join(dir, 'nope.key')])
    expect(missing.exitCode).toBe(2)
    expect(errorText(missing.stderr)).toMatch(/Cannot read --tls-cert .*nope\.pem: the file does not exist\./)
    expect(fs.existsSync(db)).toBe(false)

    const busy = await spawnServe(['--db', path.join(dir, 'busy.db'), '--log-level', 'silent'])
    try {
      const port = new URL(busy.url).port
      const second = await runAttend(['serve', '--db', path.join(dir, 'second.db'), '--host', '127.0.0.1', '--port', port, '--log-level', 'silent'])
      expect(second.exitCode).toBe(1)
      expect(errorText(second.stderr)).toContain(`Cannot listen on 127.0.0.1:${port}: the port is already in use (choose another with --port).`)
    } finally {
      busy.child.kill('SIGTERM')
      await busy.exited
    }
  })
})

describePg('attend serve on PostgreSQL', () => {
  const database = usePgDatabase()

  it('migrates the database, answers /health by reading it through the pool, and stops on SIGTERM', async () => {
    const serve = await spawnServe(['--db', database.url, '--log-level', 'warn'])
    try {
      expect(serve.stderr()).toContain(`(store ${database.url})`)
      const health = await getJson(`${serve.url}/health`)
      expect(health.status).toBe(200)
      expect(health.body).toMatchObject({status: 'ok', store: {reachable: true, last_punch_id: null}})
      // A second server on the same database starts next to it (the migration runs once, under a lock).
      const other = await spawnServe(['--db', database.url, '--log-level', 'warn'])
      expect((await getJson(`${other.url}/health`)).body).toMatchObject({status: 'ok', store: {reachable: true}})
      other.child.kill('SIGTERM')
      expect(await other.exited).toBe(0)
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
    expect(serve.stderr()).toMatch(/SIGTERM received, finishing in-flight requests\nattend serve: stopped\n$/)
  })

  it('serves the status page sign-in, device options and the v1 API from the database', async () => {
    const env = {ATTEND_DB: database.url}
    expect((await runAttend(['devices', 'add', '--serial', 'OPTSPG01', '--name', 'Gate'], {env})).exitCode).toBe(0)
    const reader = JSON.parse((await runAttend(['keys', 'create', '--name', 'wall-screen', '--scopes', 'read', '--json'], {env})).stdout).key as string
    const serve = await spawnServe(['--log-level', 'warn'], env)
    try {
      const signIn = (key: string) =>
        fetch(`${serve.url}/dashboard/sign-in`, {method: 'POST', body: new URLSearchParams({key}), redirect: 'manual'})
      const signedIn = await signIn(reader)
      expect(signedIn.status).toBe(303)
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]
      expect((await fetch(`${serve.url}/dashboard/api/state`, {headers: {cookie}})).status).toBe(200)
      expect((await signIn('att_00000000_wrong')).status).toBe(401)

      const options = await fetch(`${serve.url}/iclock/cdata?SN=OPTSPG01&table=options`, {method: 'POST', body: '~DeviceName=K40 Pro,AttLogCount=3'})
      expect(options.status).toBe(200)
      const devices = await fetch(`${serve.url}/v1/devices`, {headers: {authorization: `Bearer ${reader}`}})
      expect(devices.status).toBe(200)
      expect(((await devices.json()) as {data: {serial_number: string}[]}).data.map((d) => d.serial_number)).toEqual(['OPTSPG01'])
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
    const client = new pg.Client({connectionString: database.url})
    await client.connect()
    try {
      const {rows} = await client.query<{options: string}>(`SELECT options FROM devices WHERE serial = 'OPTSPG01'`)
      expect(JSON.parse(rows[0].options)).toEqual({DeviceName: 'K40 Pro', AttLogCount: '3'})
    } finally {
      await client.end()
    }
  })

  it('refuses a database it cannot reach with one sentence and no server', async () => {
    const unreachable = await runAttend(['serve', '--db', 'postgres://attend@127.0.0.1:1/attend', '--port', '0'])
    expect(unreachable.exitCode).toBe(1)
    expect(unreachable.stderr).not.toContain('listening on')
    expect(errorText(unreachable.stderr).split('\n').filter(Boolean)).toHaveLength(1)
  })
})
