import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {cachedByRevision, storeRevision} from '../../src/db/revisions.js'
import {createApiKey, revokeApiKey} from '../../src/store/sqlite/directory/api-keys.js'
import {testStore} from '../helpers/store.js'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

function store() {
  const s = testStore()
  cleanups.push(s.cleanup)
  return s
}

const NOW = Date.UTC(2026, 2, 1)

describe('store revisions', () => {
  it('change on every write to the site tables, whichever statement made it', () => {
    const s = store()
    const writes = [
      `INSERT INTO settings (key, value, updated_at) VALUES ('report-title', '"Gate"', 1)`,
      `UPDATE settings SET value = '"Main gate"' WHERE key = 'report-title'`,
      `INSERT INTO shifts (name, start, "end", created_at, updated_at) VALUES ('Day', '08:00', '16:00', 1, 1)`,
      `UPDATE shifts SET late_grace_minutes = 10`,
      `INSERT INTO shift_assignments (shift_id, department, created_at) VALUES (1, 'Sales', 1)`,
      `DELETE FROM shift_assignments`,
      `INSERT INTO holidays (date, name, created_at) VALUES ('2026-12-25', 'Christmas', 1)`,
      `DELETE FROM holidays`,
      `DELETE FROM shifts`,
    ]
    for (const sql of writes) {
      const before = storeRevision(s, 'site')
      s.sqlite.exec(sql)
      expect(storeRevision(s, 'site'), sql).not.toBe(before)
    }
  })

  it('follow forced device directions but not last-seen updates', () => {
    const s = store()
    const revision = () => storeRevision(s, 'site')
    let before = revision()
    s.sqlite.exec(`INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('SN1', 'Gate', 'auto', 1, 1)`)
    expect(revision()).toBe(before)
    s.sqlite.exec(`UPDATE devices SET last_seen_at = 5`)
    expect(revision()).toBe(before)
    s.sqlite.exec(`UPDATE devices SET direction = 'in'`)
    expect(revision()).not.toBe(before)
    before = revision()
    s.sqlite.exec(`INSERT INTO devices (serial, name, direction, created_at, updated_at) VALUES ('SN2', 'Exit', 'out', 1, 1)`)
    expect(revision()).not.toBe(before)
  })

  it('follow API keys created and revoked, not their last use', () => {
    const s = store()
    let before = storeRevision(s, 'api_keys')
    const {record} = createApiKey(s, {name: 'gate'}, NOW)
    expect(storeRevision(s, 'api_keys')).not.toBe(before)
    before = storeRevision(s, 'api_keys')
    s.sqlite.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(NOW, record.id)
    expect(storeRevision(s, 'api_keys')).toBe(before)
    revokeApiKey(s, 'gate', NOW)
    expect(storeRevision(s, 'api_keys')).not.toBe(before)
  })

  it('let a cache reload after another process changed the tables, and only then', () => {
    const s = store()
    let loads = 0
    const holidays = cachedByRevision('site', (st) => {
      loads++
      return st.sqlite.prepare('SELECT date FROM holidays ORDER BY date').pluck().all()
    })
    expect(holidays(s)).toEqual([])
    expect(holidays(s)).toEqual([])
    expect(loads).toBe(1)
    const cli = new Database(s.path)
    cli.exec(`INSERT INTO holidays (date, name, created_at) VALUES ('2026-12-25', 'Christmas', 1)`)
    cli.close()
    expect(holidays(s)).toEqual(['2026-12-25'])
    expect(loads).toBe(2)
  })

  it('never serve data of a rolled-back change', () => {
    const s = store()
    const holidays = cachedByRevision('site', (st) => st.sqlite.prepare('SELECT name FROM holidays').pluck().all())
    const attempt = s.sqlite.transaction((name: string) => {
      s.sqlite.prepare(`INSERT INTO holidays (date, name, created_at) VALUES ('2026-12-25', ?, 1)`).run(name)
      expect(holidays(s)).toEqual([name])
      throw new Error('abandoned')
    })
    expect(() => attempt('Discarded')).toThrow('abandoned')
    expect(holidays(s)).toEqual([])
    s.sqlite.prepare(`INSERT INTO holidays (date, name, created_at) VALUES ('2026-12-25', 'Christmas', 1)`).run()
    expect(holidays(s)).toEqual(['Christmas'])
  })
})
