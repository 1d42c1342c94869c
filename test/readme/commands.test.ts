import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {parseConsoleBlocks} from './console-blocks.js'

/**
 * Every command of the CLI is shown at work in the README, in a console block the runner
 * (readme.test.ts) runs, so a newcomer sees each one with its real output. The commands are read
 * from src/commands (what the build turns into the oclif manifest) and, after a build, checked
 * against the manifest too, so a command can neither be missed nor invented here.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

/** Commands the README shows only in blocks it cannot run, each with the reason. None today. */
const NOT_RUN: Record<string, string> = {}

function commandsIn(folder: string, prefix: string[] = []): string[] {
  return fs.readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
    if (entry.isDirectory()) return commandsIn(path.join(folder, entry.name), [...prefix, entry.name])
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return []
    return [[...prefix, entry.name.slice(0, -3)].join(' ')]
  })
}

const commands = commandsIn(path.join(root, 'src', 'commands')).sort()
const blocks = parseConsoleBlocks(readme)
const typed = (skipped: boolean) => blocks.filter((b) => (b.skip !== null) === skipped).flatMap((b) => b.commands.map((c) => c.command))

/** `attend devices time …` typed at the prompt, in a pipeline, after `&&`, or as `VAR=… attend …`. */
function shows(lines: string[], id: string): boolean {
  const at = new RegExp(`(?:^|[\\s;&|(])attend ${id.replace(/[-]/g, '\\-')}(?=\\s|$)`, 'm')
  return lines.some((line) => at.test(line))
}

describe('README.md shows every command', () => {
  it('reads the commands the build ships', () => {
    expect(commands.length).toBeGreaterThan(50)
    const manifest = path.join(root, 'oclif.manifest.json')
    // Without a build there is no manifest; npm test builds first, so there it is always compared.
    if (!fs.existsSync(manifest)) return
    const ids = Object.keys((JSON.parse(fs.readFileSync(manifest, 'utf8')) as {commands: Record<string, unknown>}).commands)
    expect(ids.map((id) => id.replaceAll(':', ' ')).sort()).toEqual(commands)
  })

  it('runs an example of each in a block the README runner runs', () => {
    const run = typed(false)
    const missing = commands.filter((id) => !(id in NOT_RUN) && !shows(run, id))
    expect(missing, 'commands with no example the README runner runs').toEqual([])
  })

  it('keeps its list of exceptions true', () => {
    for (const [id, reason] of Object.entries(NOT_RUN)) {
      expect(commands, id).toContain(id)
      expect(reason, id).toMatch(/\S/)
      expect(shows(typed(false), id), `${id} runs now: drop it from NOT_RUN`).toBe(false)
      expect(shows(typed(true), id), `${id}: show it in a block, marked not run with the reason`).toBe(true)
    }
  })
})
