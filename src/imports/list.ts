import {desc, eq} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {devices, imports} from '../db/schema.js'

export interface ImportRun {
  id: number
  file: string
  format: string
  device: string | null
  dryRun: boolean
  status: string
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
  message: string | null
  startedAt: number
  finishedAt: number | null
}

/** Past `attend import` runs, newest first. */
export function listImports(store: Store, options: {limit?: number} = {}): ImportRun[] {
  return store.db
    .select({
      id: imports.id, file: imports.file, format: imports.format, device: devices.serial, dryRun: imports.dryRun, status: imports.status,
      read: imports.read, stored: imports.stored, duplicates: imports.duplicates, unmapped: imports.unmapped, rejected: imports.rejected,
      message: imports.message, startedAt: imports.startedAt, finishedAt: imports.finishedAt,
    })
    .from(imports)
    .leftJoin(devices, eq(devices.id, imports.deviceId))
    .orderBy(desc(imports.id))
    .limit(options.limit ?? 50)
    .all()
}
