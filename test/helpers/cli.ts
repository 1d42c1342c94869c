import {spawn} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = path.join(root, 'bin', 'run.js')

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number
}

/**
 * Runs the built `attend` binary (`npm test` builds dist/ first) as a user would, with its own
 * environment: output is not a terminal, so no colors or progress bars.
 */
export function runAttend(
  args: string[],
  options: {env?: NodeJS.ProcessEnv; input?: string | Buffer; cwd?: string} = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? root,
      env: {...process.env, NO_COLOR: '1', ATTEND_DB: undefined, ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({stdout, stderr, exitCode: code ?? 1}))
    child.stdin.end(options.input ?? '')
  })
}

/** Parses the `--json` output of a run that must have succeeded. */
export async function runJson<T = unknown>(args: string[], options: Parameters<typeof runAttend>[1] = {}): Promise<T> {
  const result = await runAttend([...args, '--json'], options)
  if (result.exitCode !== 0) throw new Error(`attend ${args.join(' ')} exited ${result.exitCode}: ${result.stderr || result.stdout}`)
  return JSON.parse(result.stdout) as T
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'attend-test-'): {dir: string; cleanup: () => void} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return {dir, cleanup: () => fs.rmSync(dir, {recursive: true, force: true})}
}

/** Stderr without oclif's ` ›   ` prefixes and line wrapping, for matching whole sentences. */
export function errorText(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^\s*›\s*/, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}
