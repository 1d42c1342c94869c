import {stringify} from 'csv-stringify'
import {once} from 'node:events'
import {Readable, type Writable} from 'node:stream'

const options = (header: readonly string[]) => ({
  header: true,
  columns: [...header],
  cast: {boolean: (value: boolean) => (value ? 'true' : 'false')},
})

/** Writes chunks to a stream that stays open (stdout), waiting for 'drain' when it is full. */
export async function drainInto(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, destination: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (!destination.write(chunk)) {
      await Promise.race([once(destination, 'drain'), once(destination, 'error').then(([error]) => Promise.reject(error))])
    }
  }
}

/**
 * Streams records as CSV with a header row: records are pulled one at a time from the iterable,
 * so memory stays flat however many rows the loader yields. Booleans print as true/false, nulls
 * as empty fields.
 */
export async function writeCsv(header: readonly string[], records: Iterable<unknown[]>, destination: Writable): Promise<void> {
  const stringifier = stringify(options(header))
  const source = Readable.from(records, {objectMode: true, highWaterMark: 64})
  source.on('error', (error) => stringifier.destroy(error))
  source.pipe(stringifier)
  await drainInto(stringifier, destination)
}

/** The whole CSV as a string, for small reports (HTTP bodies). */
export async function csvString(header: readonly string[], records: Iterable<unknown[]>): Promise<string> {
  const chunks: string[] = []
  const stringifier = stringify(options(header))
  Readable.from(records, {objectMode: true}).pipe(stringifier)
  for await (const chunk of stringifier) chunks.push(String(chunk))
  return chunks.join('')
}
