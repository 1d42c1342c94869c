import fs from 'node:fs'

import {UsageError} from '../errors.js'

/**
 * Reads the PEM files for --tls-cert/--tls-key before anything else happens, so a typo in a path
 * fails with one sentence and no store is created. Both or neither.
 */
export function readTlsFiles(certPath: string | undefined, keyPath: string | undefined): {cert: Buffer; key: Buffer} | undefined {
  if (!certPath && !keyPath) return undefined
  if (!certPath || !keyPath) throw new UsageError(`HTTPS needs both --tls-cert and --tls-key; only ${certPath ? '--tls-cert' : '--tls-key'} was given.`, 'invalid_tls')
  const read = (file: string, flag: string, marker: RegExp): Buffer => {
    let data: Buffer
    try {
      data = fs.readFileSync(file)
    } catch (error) {
      const reason = (error as {code?: string}).code === 'ENOENT' ? 'the file does not exist' : error instanceof Error ? error.message : String(error)
      throw new UsageError(`Cannot read ${flag} ${file}: ${reason}.`, 'invalid_tls')
    }
    if (!marker.test(data.toString('latin1'))) throw new UsageError(`${flag} ${file} is not a PEM file (no "-----BEGIN" block of the expected kind).`, 'invalid_tls')
    return data
  }
  return {
    cert: read(certPath, '--tls-cert', /-----BEGIN CERTIFICATE-----/),
    key: read(keyPath, '--tls-key', /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/),
  }
}
