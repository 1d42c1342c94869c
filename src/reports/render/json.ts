import type {Writable} from 'node:stream'

import {drainInto} from './csv.js'

function* jsonArrayChunks(rows: Iterable<unknown>): Generator<string> {
  let first = true
  let batch = '['
  for (const row of rows) {
    batch += (first ? '\n' : ',\n') + JSON.stringify(row)
    first = false
    // Batching keeps the write calls few without holding more than ~64 KB.
    if (batch.length > 65_536) {
      yield batch
      batch = ''
    }
  }
  yield batch + (first ? ']\n' : '\n]\n')
}

/** Streams an array of rows as JSON, one row per line, without building the whole text. */
export async function writeJsonArray(rows: Iterable<unknown>, destination: Writable): Promise<void> {
  await drainInto(jsonArrayChunks(rows), destination)
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}
