import fs from 'node:fs'
import {StringDecoder} from 'node:string_decoder'

import {AttendError} from '../errors.js'

/**
 * A file (or stdin for `-`) read as UTF-8 text in chunks, with the first bytes available up front
 * for format detection. Memory stays at one chunk plus the sample whatever the file's size.
 */
export class ImportInput {
  /** Bytes consumed so far, for the progress bar. */
  bytesRead = 0
  private readonly decoder = new StringDecoder('utf8')
  private readonly iterator: AsyncIterator<Buffer | string>
  private buffered: string[] = []
  private done = false
  private first = true
  private spool: number | null = null

  private constructor(
    readonly name: string,
    readonly size: number | null,
    stream: NodeJS.ReadableStream,
  ) {
    this.iterator = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  }

  /**
   * `spoolTo`: a file that receives a copy of every byte read, so input that cannot be read twice
   * (stdin) can be read again from there (`--strict` validates a whole input before writing it).
   * `name` replaces the file name in messages (the copy of stdin is still "stdin").
   */
  static open(file: string, stdin: NodeJS.ReadableStream = process.stdin, options: {spoolTo?: string; name?: string} = {}): ImportInput {
    const input =
      file === '-'
        ? new ImportInput(options.name ?? 'stdin', null, stdin)
        : new ImportInput(options.name ?? file, fs.statSync(file).size, fs.createReadStream(file, {highWaterMark: 256 * 1024}))
    if (options.spoolTo) input.spool = fs.openSync(options.spoolTo, 'w', 0o600)
    return input
  }

  /** Stops reading: the file is closed and a spool copy is complete up to what was read. */
  async close(): Promise<void> {
    this.closeSpool()
    if (!this.done) {
      this.done = true
      await this.iterator.return?.()
    }
  }

  /** At least `chars` characters from the start (less at end of input), without consuming them. */
  async peek(chars = 64 * 1024): Promise<string> {
    let text = this.buffered.join('')
    while (text.length < chars && !this.done) {
      const chunk = await this.next()
      if (chunk === null) break
      this.buffered.push(chunk)
      text += chunk
    }
    return text
  }

  /** The remaining text, chunk by chunk (the peeked sample first); the BOM is removed. */
  async *chunks(): AsyncGenerator<string> {
    while (this.buffered.length > 0) yield this.buffered.shift() as string
    for (;;) {
      const chunk = await this.next()
      if (chunk === null) return
      yield chunk
    }
  }

  /** Everything left, for formats that are one JSON document. */
  async text(): Promise<string> {
    let all = ''
    for await (const chunk of this.chunks()) all += chunk
    return all
  }

  /** Lines (without `\n`; a trailing `\r` is left for the parser), grouped per chunk. */
  async *lines(): AsyncGenerator<string[]> {
    let carry = ''
    for await (const chunk of this.chunks()) {
      const parts = (carry + chunk).split('\n')
      carry = parts.pop() as string
      if (parts.length > 0) yield parts
    }
    if (carry !== '') yield [carry]
  }

  private async next(): Promise<string | null> {
    if (this.done) return null
    let result: IteratorResult<Buffer | string>
    try {
      result = await this.iterator.next()
    } catch (error) {
      throw new AttendError(`Cannot read ${this.name}: ${error instanceof Error ? error.message : String(error)}`, {code: 'read_failed'})
    }
    if (result.done) {
      this.done = true
      this.closeSpool()
      const tail = this.decoder.end()
      return tail === '' ? null : tail
    }
    const value = result.value
    const buffer = typeof value === 'string' ? Buffer.from(value) : value
    this.bytesRead += buffer.length
    if (this.spool !== null) fs.writeSync(this.spool, buffer)
    let text = this.decoder.write(buffer)
    if (this.first && text.length > 0) {
      this.first = false
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    return text
  }

  private closeSpool(): void {
    if (this.spool === null) return
    fs.closeSync(this.spool)
    this.spool = null
  }
}
