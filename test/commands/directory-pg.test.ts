import Fastify, {type FastifyInstance} from 'fastify'
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {openPgDatabase, type PgDatabase} from '../../src/db/pg/open.js'
import {ApiKeyGuard} from '../../src/server/auth/api-key.js'
import type {ServerDeps} from '../../src/server/deps.js'
import {HttpError} from '../../src/server/errors/http-error.js'
import {pgAttendStore} from '../../src/store/pg/port.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

/**
 * The directory's commands on PostgreSQL (docs/architecture.md, "The store port"): every one of them
 * reaches the store only through the port, so `--db postgres://…` runs them unchanged.
 */
describePg('the directory commands on PostgreSQL', () => {
  const database = usePgDatabase()
  const files = tempDir()
  afterAll(() => files.cleanup())
  const db = () => ['--db', database.url]
  const attend = (args: string[]) => runAttend([...args, ...db()], {env: {ATTEND_NOW: '2026-03-12T06:00:00Z'}})

  it('init creates the settings of an empty migrated database, and a second run changes only what is passed', async () => {
    const first = await attend(['init', '--timezone', 'Africa/Nairobi', '--week-off', 'sat,sun'])
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain('Created store postgres://')
    expect(first.stdout).toContain('Time zone: Africa/Nairobi')
    const again = await attend(['init', '--week-off', 'sun'])
    expect(again.stdout).toContain('Using store postgres://')
    expect(again.stdout).toContain('Time zone: Africa/Nairobi\nWeek off:  sun\n')
    const bad = await attend(['init', '--timezone', 'Mars/Olympus'])
    expect(bad.exitCode).toBe(2)
  })

  it('config set writes a setting another command then reads, refusing an unknown default shift', async () => {
    expect((await attend(['config', 'set', 'report-title', 'Greenfield Academy'])).stdout).toBe('report-title=Greenfield Academy\n')
    expect((await attend(['config', 'get', 'report-title'])).stdout).toBe('Greenfield Academy\n')
    const shift = await attend(['config', 'set', 'default-shift', 'Night'])
    expect(shift.exitCode).toBe(1)
    expect(errorText(shift.stderr)).toBe('Error: Unknown shift "Night": see attend shifts list.')
    expect((await attend(['config', 'set', 'default-shift', 'none'])).stdout).toBe('default-shift=none\n')
  })

  it('employees add, list and import', async () => {
    expect((await attend(['employees', 'add', '--name', 'Asha Kamau', '--department', 'Teaching'])).stdout).toBe('Added EMP0001 Asha Kamau (Teaching).\n')
    const duplicate = await attend(['employees', 'add', '--code', 'emp0001', '--name', 'Other'])
    expect(duplicate.exitCode).toBe(1)
    expect(errorText(duplicate.stderr)).toBe('Error: Employee code "emp0001" is already used by Asha Kamau (EMP0001).')
    const csv = path.join(files.dir, 'staff.csv')
    fs.writeFileSync(csv, 'code,name,department,left_on\nEMP0001,Asha Kamau,Science,\n42,Brian Otieno,Grounds,\nEMP0003,,Office,\n')
    const imported = await attend(['employees', 'import', csv])
    expect(imported.exitCode).toBe(3)
    expect(imported.stdout).toContain('staff.csv: 3 rows read, 1 added, 1 updated, 0 unchanged, 1 rejected')
    const list = await runJson<{total: number; employees: {code: string; department: string}[]}>(['employees', 'list', ...db()])
    expect(list.total).toBe(2)
    expect(list.employees.map((e) => [e.code, e.department])).toEqual([
      ['42', 'Grounds'],
      ['EMP0001', 'Science'],
    ])
  })

  it('map auto maps device users seen in punches to the employee with that code', async () => {
    const pg = await openPgDatabase(database.url)
    try {
      await pg.pool.query(`INSERT INTO punches (device_key, device_user_id, instant, source, received_at, manual) VALUES
        ('GATE1', '0042', 1773295200000, 'test', 1773295200000, false), ('GATE1', '17', 1773295200000, 'test', 1773295200000, false)`)
      const auto = await attend(['map', 'auto'])
      expect(auto.stdout).toContain('1 mapped, 0 ambiguous, 1 with no matching code; 1 stored punches updated.')
      const {rows} = await pg.pool.query<{u: string; code: string | null}>(
        'SELECT p.device_user_id AS u, e.code FROM punches p LEFT JOIN employees e ON e.id = p.employee_id ORDER BY p.device_user_id',
      )
      expect(rows).toEqual([{u: '0042', code: '42'}, {u: '17', code: null}])
    } finally {
      await pg.close()
    }
  })

  it('holidays and leaves', async () => {
    expect((await attend(['holidays', 'add', '2026-03-04', 'Founders Day'])).exitCode).toBe(0)
    const twice = await attend(['holidays', 'add', '2026-03-04', 'Again'])
    expect(errorText(twice.stderr)).toBe('Error: 2026-03-04 is already a holiday (Founders Day): remove it first to rename it.')
    expect((await runJson<{holidays: {date: string; name: string}[]}>(['holidays', 'list', ...db()])).holidays).toEqual([
      {date: '2026-03-04', name: 'Founders Day', half: null},
    ])
    expect((await attend(['leaves', 'add', '42', '--from', '2026-03-09', '--to', '2026-03-10', '--type', 'sick'])).exitCode).toBe(0)
    const overlap = await attend(['leaves', 'add', '42', '--from', '2026-03-10', '--to', '2026-03-11'])
    expect(errorText(overlap.stderr)).toBe('Error: 42 is already on leave from 2026-03-09 to 2026-03-10, which overlaps 2026-03-10 to 2026-03-11.')
    const leaves = await runJson<{leaves: {id: number; employeeCode: string; type: string}[]}>(['leaves', 'list', ...db()])
    expect(leaves.leaves).toMatchObject([{employeeCode: '42', type: 'sick'}])
    expect((await attend(['leaves', 'remove', String(leaves.leaves[0].id)])).exitCode).toBe(0)
    expect((await attend(['holidays', 'remove', '2026-03-04'])).exitCode).toBe(0)
  })

  describePg('an API key revoked by another process', () => {
    let pg: PgDatabase
    let app: FastifyInstance
    beforeAll(async () => {
      pg = await openPgDatabase(database.url)
      app = Fastify() as unknown as FastifyInstance
      app.decorate('attendStore', pgAttendStore(pg))
      app.decorateRequest('apiKey', null)
      const guard = new ApiKeyGuard(app, {now: () => Date.now()} as ServerDeps)
      app.setErrorHandler((error, _request, reply) => {
        const status = error instanceof HttpError ? error.statusCode : 500
        void reply.code(status).send({error: (error as Error).message})
      })
      app.get('/users', {config: {scope: 'read'}, onRequest: guard.hook(['x-api-key'])}, async () => ({ok: true}))
      await app.ready()
    })
    afterAll(async () => {
      await app?.close()
      await pg?.close()
    })

    it('is refused by this server\'s cached guard once the api_keys revision moves', async () => {
      const created = await runJson<{key: string}>(['keys', 'create', '--name', 'payroll', '--scopes', 'read', ...db()])
      const call = () => app.inject({method: 'GET', url: '/users', headers: {'x-api-key': created.key}})
      expect((await call()).statusCode).toBe(200)
      expect((await call()).statusCode).toBe(200)
      const revoked = await attend(['keys', 'revoke', 'payroll'])
      expect(revoked.exitCode).toBe(0)
      const refused = await call()
      expect(refused.statusCode).toBe(401)
      expect(refused.json()).toEqual({error: 'Invalid API key: it is unknown or has been revoked.'})
      const keys = await runJson<{keys: {name: string; revokedAt: number | null}[]}>(['keys', 'list', ...db()])
      expect(keys.keys).toMatchObject([{name: 'payroll', revokedAt: Date.parse('2026-03-12T06:00:00Z')}])
    })
  })
})
