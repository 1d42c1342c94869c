/**
 * The device side of ZKTeco commands: handing queued ones out on getrequest and recording results
 * from devicecmd. Queueing and listing are admin actions and live in src/devices/commands.ts.
 */
import {and, asc, eq, inArray} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {deviceCommands} from '../../db/schema.js'
import type {DeviceCommand} from '../../devices/commands.js'

/** At most this many commands per poll: the device runs them before it polls again. */
export const COMMANDS_PER_POLL = 10

/** Hands out the oldest queued commands and marks them sent, in one transaction (no double sends). */
export function takeQueuedCommands(store: Store, deviceId: number, now: number, limit = COMMANDS_PER_POLL): DeviceCommand[] {
  return store.transaction(() => {
    const queued = store.db
      .select()
      .from(deviceCommands)
      .where(and(eq(deviceCommands.deviceId, deviceId), eq(deviceCommands.status, 'queued')))
      .orderBy(asc(deviceCommands.id))
      .limit(limit)
      .all()
    if (queued.length === 0) return []
    const ids = queued.map((command) => command.id)
    store.db.update(deviceCommands).set({status: 'sent', sentAt: now}).where(inArray(deviceCommands.id, ids)).run()
    return queued.map((command) => ({...command, status: 'sent' as const, sentAt: now}))
  })
}

/** `C:<id>:<command>` lines for getrequest, or `OK` when nothing is queued. */
export function commandReply(commands: readonly DeviceCommand[]): string {
  if (commands.length === 0) return 'OK'
  return commands.map((command) => `C:${command.id}:${command.command}`).join('\n') + '\n'
}

export interface CommandResult {
  id: number
  returnCode: string
  cmd: string | null
}

/** `POST /iclock/devicecmd` bodies: `ID=<id>&Return=<code>&CMD=<cmd>` per line; lines without a numeric ID are skipped. */
export function parseCommandResults(text: string): CommandResult[] {
  const results: CommandResult[] = []
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (!trimmed) continue
    const params = new URLSearchParams(trimmed)
    const id = Number(params.get('ID'))
    if (!Number.isSafeInteger(id) || id <= 0) continue
    results.push({id, returnCode: (params.get('Return') ?? '').trim(), cmd: params.get('CMD')})
  }
  return results
}

/**
 * Records the device's answers. Only this device's commands are touched (a device cannot close
 * another's); a negative return code is a failure, zero or a count (DATA QUERY returns how many
 * records it sent) is success.
 */
export function recordCommandResults(store: Store, deviceId: number, results: readonly CommandResult[], now: number): {updated: number} {
  if (results.length === 0) return {updated: 0}
  return store.transaction(() => {
    let updated = 0
    for (const result of results) {
      const code = Number(result.returnCode)
      const status = result.returnCode !== '' && Number.isFinite(code) && code < 0 ? 'failed' : 'done'
      const changes = store.db
        .update(deviceCommands)
        .set({status, returnCode: result.returnCode, doneAt: now})
        .where(and(eq(deviceCommands.id, result.id), eq(deviceCommands.deviceId, deviceId)))
        .run().changes
      updated += changes
    }
    return {updated}
  })
}
