import {count, desc, eq} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {devices, imports} from '../../../db/schema.js'
import {pageRequest, type Page, type Paging} from '../../../listing/page.js'
import type {ImportRun} from '../../imports.js'

/** Past `attend import` runs, newest first, a page at a time (20 by default). */
export function listImports(store: Store, paging: Paging = {}): Page & {rows: ImportRun[]} {
  const {offset, limit} = pageRequest(paging, 20)
  const total = store.db.select({n: count()}).from(imports).get()?.n ?? 0
  const rows = store.db
    .select({
      id: imports.id, file: imports.file, format: imports.format, device: devices.serial, dryRun: imports.dryRun, status: imports.status,
      read: imports.read, stored: imports.stored, duplicates: imports.duplicates, unmapped: imports.unmapped, rejected: imports.rejected,
      message: imports.message, startedAt: imports.startedAt, finishedAt: imports.finishedAt,
    })
    .from(imports)
    .leftJoin(devices, eq(devices.id, imports.deviceId))
    .orderBy(desc(imports.id))
    .limit(limit ?? -1)
    .offset(offset)
    .all()
  return {total, offset, limit, rows}
}
