import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {describeLocation, parseStoreLocation, redactUrl, resolveStoreLocation} from '../../src/db/location.js'

describe('resolveStoreLocation', () => {
  const dataDir = '/var/lib/attend'

  it.each([
    ['a path from --db', 'site.db', {}, {engine: 'sqlite', path: path.resolve('site.db'), from: 'flag'}],
    ['a URL from --db', 'postgres://attend@db.example/attend', {}, {engine: 'postgres', url: 'postgres://attend@db.example/attend', from: 'flag'}],
    ['a postgresql:// URL from ATTEND_DB', undefined, {ATTEND_DB: 'postgresql://attend:pw@10.0.0.5:5433/hr'}, {engine: 'postgres', url: 'postgresql://attend:pw@10.0.0.5:5433/hr', from: 'env'}],
    ['a URL in capitals', 'POSTGRES://attend@db/attend', {}, {engine: 'postgres', url: 'POSTGRES://attend@db/attend', from: 'flag'}],
    ['a local socket URL', 'postgres:///attend', {}, {engine: 'postgres', url: 'postgres:///attend', from: 'flag'}],
    ['a unix socket URL', 'postgres://attend@/attend?host=/run/postgresql', {}, {engine: 'postgres', url: 'postgres://attend@/attend?host=/run/postgresql', from: 'flag'}],
    ['a path from ATTEND_DB', undefined, {ATTEND_DB: 'stores/a.db'}, {engine: 'sqlite', path: path.resolve('stores/a.db'), from: 'env'}],
    ['the default', undefined, {}, {engine: 'sqlite', path: '/var/lib/attend/attend.db', from: 'default'}],
    ['--db over ATTEND_DB', 'b.db', {ATTEND_DB: 'postgres://x@y/z'}, {engine: 'sqlite', path: path.resolve('b.db'), from: 'flag'}],
  ])('takes %s', (_name, flag, env, expected) => {
    expect(resolveStoreLocation(flag, env as NodeJS.ProcessEnv, dataDir)).toEqual(expected)
  })

  it('never turns a URL into a relative file path', () => {
    const location = resolveStoreLocation('postgres://attend@db.example/attend', {}, dataDir)
    expect(location).not.toHaveProperty('path')
  })
})

describe('parseStoreLocation', () => {
  it.each([
    ['postgres://attend@:5432', /--db postgres:\/\/attend@:5432 is not a valid PostgreSQL URL/],
    ['postgresql://attend@db:port/attend', /--db postgresql:\/\/attend@db:port\/attend is not a valid PostgreSQL URL/],
  ])('refuses %s in one sentence', (value, message) => {
    expect(() => parseStoreLocation(value)).toThrow(message)
  })

  it('names where the value came from, without its password', () => {
    expect(() => parseStoreLocation('postgres://attend:hunter2@[::1/x', 'ATTEND_DB')).toThrow(/^ATTEND_DB postgres:\/\/attend:\*\*\*@\[::1\/x is not a valid/)
  })
})

describe('redactUrl', () => {
  it.each([
    ['postgres://attend:s3cret@db.example:5432/attend', 'postgres://attend:***@db.example:5432/attend'],
    ['postgres://attend@db.example/attend', 'postgres://attend@db.example/attend'],
    ['postgres://db.example/attend?user=attend&password=s3cret', 'postgres://db.example/attend?user=attend&password=***'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown)
  })

  it('describes either engine', () => {
    expect(describeLocation({engine: 'sqlite', path: '/data/attend.db'})).toBe('/data/attend.db')
    expect(describeLocation({engine: 'postgres', url: 'postgres://a:b@h/d'})).toBe('postgres://a:***@h/d')
  })
})
