import fs from 'node:fs'
import path from 'node:path'

import {UsageError} from '../errors.js'

export interface StoreLocation {
  path: string
  from: 'flag' | 'env' | 'default'
}

/** Where the store lives: `--db`, else `ATTEND_DB`, else `attend.db` in the CLI's data directory. */
export function resolveStorePath(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): StoreLocation {
  if (flag) return {path: path.resolve(flag), from: 'flag'}
  if (env.ATTEND_DB) return {path: path.resolve(env.ATTEND_DB), from: 'env'}
  return {path: path.join(dataDir, 'attend.db'), from: 'default'}
}

const ORIGIN: Record<StoreLocation['from'], string> = {flag: ' (from --db)', env: ' (from ATTEND_DB)', default: ''}

/** Refuses a store file that does not exist (exit 2), naming the path and where it came from. */
export function assertStoreExists(location: StoreLocation): void {
  if (location.path === ':memory:' || fs.existsSync(location.path)) return
  throw new UsageError(
    `No attend store at ${location.path}${ORIGIN[location.from]}: check the path, or create the store with attend init${location.from === 'flag' ? ` --db ${location.path}` : ''}.`,
    'store_missing',
  )
}
