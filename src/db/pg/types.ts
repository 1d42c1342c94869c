import pg from 'pg'

/**
 * How values come back from PostgreSQL. node-postgres returns `bigint` (int8) as a string, since a
 * JavaScript number holds integers exactly only up to 2^53. attend's int8 columns are ids, UTC
 * epoch-millisecond instants (about 2^41 today) and `count(*)` results, all far below that, and the
 * app computes with them as numbers, as it does with SQLite's 64-bit integers through
 * better-sqlite3. So int8 is parsed into a number here, for every query (Drizzle's `bigint` with
 * `mode: 'number'` and raw SQL alike), and a value beyond 2^53 is an error rather than a number
 * silently rounded to a different instant or id. Set per pool (not with pg.types.setTypeParser) so
 * no other user of `pg` in the process is changed. See docs/architecture.md, "PostgreSQL".
 */
export const attendTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return parseInt8
    return pg.types.getTypeParser(oid, format)
  }) as pg.CustomTypesConfig['getTypeParser'],
}

export function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`PostgreSQL returned the bigint ${text}, beyond the 2^53 that a JavaScript number holds exactly.`)
  }
  return value
}
