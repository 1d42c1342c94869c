import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'

import {AttendError, UsageError} from '../errors.js'
import type {Store} from './open.js'

export interface BackupResult {
  store: string
  file: string
  bytes: number
  pages: number
  punches: number
  employees: number
  durationMs: number
}

/** All remaining pages in one step (better-sqlite3 clamps the page count to 0…2^31−1). */
const WHOLE_DATABASE = 0x7fffffff

/**
 * Copies the store to `file` with SQLite's online backup API while other processes keep writing
 * (docs/architecture.md, "The store"): one backup step over every page, so the copy is one
 * consistent snapshot — WAL readers never block the writer, and a multi-step backup would restart
 * at every write `attend serve` commits. The copy is written under a temporary name, checked, and
 * only then renamed to `file`, so a failed backup never leaves a half-written file behind.
 */
export async function backupStore(store: Store, target: string, options: {force?: boolean; now?: () => number} = {}): Promise<BackupResult> {
  const now = options.now ?? Date.now
  const file = path.resolve(target)
  checkTarget(store.path, file, options.force ?? false)
  const started = now()
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`)
  fs.rmSync(partial, {force: true})
  try {
    const {totalPages} = await store.sqlite.backup(partial, {progress: () => WHOLE_DATABASE})
    const counts = checkCopy(partial)
    fs.renameSync(partial, file)
    return {store: store.path, file, bytes: fs.statSync(file).size, pages: totalPages, ...counts, durationMs: now() - started}
  } catch (error) {
    fs.rmSync(partial, {force: true})
    if (error instanceof AttendError) throw error
    throw new AttendError(`Could not back up ${store.path} to ${file}: ${error instanceof Error ? error.message : String(error)}`, {code: 'backup_failed', cause: error})
  }
}

function checkTarget(storePath: string, file: string, force: boolean): void {
  const dir = path.dirname(file)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`Cannot write the backup ${file}: the directory ${dir} does not exist.`, 'backup_location', {param: 'file'})
  }
  if (file === storePath || [`${storePath}-wal`, `${storePath}-shm`].includes(file)) {
    throw new UsageError(`${file} is the store itself: back it up to another file.`, 'backup_location', {param: 'file'})
  }
  if (fs.existsSync(file)) {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`Cannot write the backup ${file}: it is a directory; name a file in it.`, 'backup_location', {param: 'file'})
    if (!force) throw new UsageError(`${file} already exists: pass --force to replace it, or name a new file.`, 'backup_exists', {param: 'file'})
  }
}

/**
 * Opens the copy on its own: it must be a sound SQLite file with the store's tables. The copy takes
 * the store's WAL mode along with its pages; it is switched to a plain rollback journal, so the
 * backup is one self-contained file (attend turns WAL back on when a restored store is opened).
 */
function checkCopy(file: string): {punches: number; employees: number} {
  const copy = new Database(file, {fileMustExist: true})
  try {
    copy.pragma('journal_mode = DELETE')
    const check = copy.pragma('quick_check', {simple: true})
    if (check !== 'ok') throw new AttendError(`The backup copy failed SQLite's check (${String(check)}); nothing was written.`, {code: 'backup_damaged'})
    const count = (table: string) => (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {n: number}).n
    return {punches: count('punches'), employees: count('employees')}
  } finally {
    copy.close()
  }
}
