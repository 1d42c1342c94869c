import path from 'node:path'

/** Where the store lives: `--db`, else `ATTEND_DB`, else `attend.db` in the CLI's data directory. */
export function resolveStorePath(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): {path: string; from: 'flag' | 'env' | 'default'} {
  if (flag) return {path: path.resolve(flag), from: 'flag'}
  if (env.ATTEND_DB) return {path: path.resolve(env.ATTEND_DB), from: 'env'}
  return {path: path.join(dataDir, 'attend.db'), from: 'default'}
}
