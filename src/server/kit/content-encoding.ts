import type {FastifyRequest, preParsingHookHandler} from 'fastify'
import {Transform, type TransformCallback, type Readable} from 'node:stream'
import zlib from 'node:zlib'

import {quote} from '../../formats/input-policy.js'
import {HttpError} from '../errors/http-error.js'

const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  // "deflate" is zlib-wrapped by the RFC and raw in some clients: unzip tells the two apart.
  deflate: () => zlib.createUnzip(),
  br: () => zlib.createBrotliDecompress(),
}

/** Counts the decoded bytes and stops the stream the moment they pass the route's body limit. */
class DecodedLimit extends Transform {
  private decoded = 0

  constructor(private readonly limit: number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.decoded += chunk.length
    if (this.decoded > this.limit) {
      done(new HttpError(413, 'body_too_large', `The request body is larger than the limit of ${this.limit} bytes once decoded.`))
      return
    }
    done(null, chunk)
  }
}

/**
 * A preParsing hook that decodes `Content-Encoding: gzip | deflate | br` bodies, so a compressed
 * ATTLOG is read and stored, never acknowledged `OK: 1` and dropped. The decoding runs as a stream
 * on libuv's thread pool, and the decoded size counts against the route's body limit (a zip bomb
 * stops at the limit with a 413); an encoding we do not know is refused with 415 before anything is
 * acknowledged.
 */
export function decodeContentEncoding(defaultLimit: number): preParsingHookHandler {
  return async (request: FastifyRequest, _reply, payload) => {
    const header = request.headers['content-encoding']
    const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase()
    if (encoding === '' || encoding === 'identity') return payload
    const make = DECODERS[encoding]
    if (!make) {
      throw new HttpError(415, 'unsupported_encoding', `Unsupported Content-Encoding ${quote(encoding)}: send the body uncompressed, or as gzip, deflate or br.`)
    }
    const limit = request.routeOptions.bodyLimit ?? defaultLimit
    const decoder = make()
    const counted = new DecodedLimit(limit)
    let encoded = 0
    payload.on('data', (chunk: Buffer) => {
      encoded += chunk.length
    })
    decoder.on('error', (error: Error) => {
      counted.destroy(new HttpError(400, 'bad_encoding', `The ${encoding} body could not be decoded (${error.message.replace(/\.$/, '')}).`))
    })
    counted.on('error', () => {
      // Stop inflating and reading: whatever else arrives is discarded.
      decoder.destroy()
      payload.unpipe(decoder)
      payload.resume()
    })
    payload.pipe(decoder).pipe(counted)
    // fastify compares Content-Length with what arrived on the wire, not with the decoded size.
    Object.defineProperty(counted, 'receivedEncodedLength', {get: () => encoded})
    return counted as Readable as typeof payload
  }
}
