import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = path.join(root, 'bin', 'run.js')

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams
  url: string
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
}

/**
 * Runs the built `attend serve` as a real process on a free port (`--port 0`) and waits for its
 * "listening on URL" line.
 */
export function spawnServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: root,
    env: {...process.env, NO_COLOR: '1', ATTEND_DB: undefined, ...env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`attend serve did not start in 20 s:\n${stderr}`)), 20_000)
    const check = () => {
      const match = /listening on (https?:\/\/\S+)/.exec(stderr)
      if (match) {
        clearTimeout(timer)
        child.stderr.off('data', check)
        resolve({child, url: match[1], stdout: () => stdout, stderr: () => stderr, exited})
      }
    }
    child.stderr.on('data', check)
    exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`attend serve exited (${code}) before listening:\n${stderr}`))
    })
  })
}
