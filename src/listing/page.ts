import {UsageError} from '../errors.js'

/**
 * Every `list` command answers `--json` with one envelope: `{total, offset, limit, <items>}` —
 * `total` rows match the filters, `offset` were skipped, at most `limit` follow (null: no limit).
 * Scripts page the same way through employees, punches, devices or API keys.
 */
export interface Page {
  total: number
  offset: number
  limit: number | null
}

export interface Paging {
  limit?: number
  offset?: number
}

/** The page a request asks for, checked (services are called without oclif's flag checks too). */
export function pageRequest(paging: Paging, defaultLimit: number | null = null): {offset: number; limit: number | null} {
  const offset = paging.offset ?? 0
  const limit = paging.limit ?? defaultLimit
  if (!Number.isInteger(offset) || offset < 0) throw new UsageError(`Invalid --offset ${offset}: expected a whole number of 0 or more.`, 'invalid_offset', {param: 'offset'})
  if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(`Invalid --limit ${limit}: expected a whole number of 1 or more.`, 'invalid_limit', {param: 'limit'})
  }
  return {offset, limit}
}

/** One page of a list already in memory (short lists: keys, shifts, devices, holidays…). */
export function pageOf<T>(items: readonly T[], paging: Paging, defaultLimit: number | null = null): Page & {rows: T[]} {
  const {offset, limit} = pageRequest(paging, defaultLimit)
  return {total: items.length, offset, limit, rows: items.slice(offset, limit === null ? undefined : offset + limit)}
}

/** `LIMIT ? OFFSET ?` and its parameters, for lists paged in SQL (punches, attendance days). */
export function sqlPage(page: {offset: number; limit: number | null}): {clause: string; params: number[]} {
  return {clause: 'LIMIT ? OFFSET ?', params: [page.limit ?? -1, page.offset]}
}

/** The line under a table that shows part of the matches, e.g. "Showing 21–40 of 57 (--offset 40 for more)." */
export function pageNote(page: Page, shown: number): string | undefined {
  if (shown === page.total) return undefined
  if (shown === 0) return page.total === 0 ? undefined : `Nothing after offset ${page.offset} (${page.total} match).`
  const last = page.offset + shown
  const more = last < page.total ? ` (--offset ${last} for more)` : ''
  return `Showing ${page.offset + 1}–${last} of ${page.total}${more}.`
}

/** The `--json` envelope of a list: `{total, offset, limit, [key]: rows}`. */
export function listed<K extends string, T>(key: K, page: Page & {rows: T[]}): Page & {[P in K]: T[]} {
  return {total: page.total, offset: page.offset, limit: page.limit, [key]: page.rows} as Page & {[P in K]: T[]}
}
