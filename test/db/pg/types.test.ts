import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {attendTypes, parseInt8} from '../../../src/db/pg/types.js'
import {describePg, testPgUrl} from '../../helpers/pg.js'

describe('parseInt8', () => {
  it.each([
    ['0', 0],
    ['-1', -1],
    ['1773302400000', 1773302400000],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s as the number %d', (text, value) => {
    expect(parseInt8(text)).toBe(value)
  })

  it.each(['9007199254740993', '-9223372036854775808'])('refuses %s rather than round it', (text) => {
    expect(() => parseInt8(text)).toThrow(`PostgreSQL returned the bigint ${text}, beyond the 2^53`)
  })
})

describePg('int8 from PostgreSQL', () => {
  let pool: pg.Pool
  beforeAll(() => {
    pool = new pg.Pool({connectionString: testPgUrl!, types: attendTypes, max: 1})
  })
  afterAll(async () => pool?.end())

  it('comes back as numbers: counts, instants and ids', async () => {
    const {rows} = await pool.query(`SELECT count(*) AS n, 1773302400000::bigint AS instant, 12::int AS small, 1.5::float8 AS real`)
    expect(rows[0]).toEqual({n: 1, instant: 1773302400000, small: 12, real: 1.5})
  })

  it('fails the query on a value beyond 2^53', async () => {
    await expect(pool.query(`SELECT 9007199254740993::bigint AS big`)).rejects.toThrow(/beyond the 2\^53/)
  })

  it('is left alone for other users of pg in the process', async () => {
    const plain = new pg.Client({connectionString: testPgUrl!})
    await plain.connect()
    try {
      expect((await plain.query(`SELECT 5::bigint AS n`)).rows[0].n).toBe('5')
    } finally {
      await plain.end()
    }
  })
})
