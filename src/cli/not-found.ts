import {type Hook, toConfiguredId} from '@oclif/core'
import {distance} from 'fastest-levenshtein'

import {ExitCode} from '../errors.js'

/**
 * `attend employes list`: one sentence with the closest command, exit 2 (a usage error), the same
 * on a terminal and in a script. oclif's not-found plugin asks "Did you mean …?" on a terminal
 * only, prints nothing useful to a script and exits 127.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const typed = toConfiguredId(options.id, options.config)
  const visible = options.config.commands.filter((command) => !command.hidden)
  const ids = visible.flatMap((command) => [command.id, ...command.aliases])
  const suggestion = closestCommand(options.id, ids)
  const topic = options.config.findTopic(options.id.split(':')[0]) ? options.id.split(':')[0] : undefined
  const help = topic ? `${options.config.bin} help ${topic}` : `${options.config.bin} help`
  const hint = suggestion ? ` Did you mean ${options.config.bin} ${toConfiguredId(suggestion, options.config)}?` : ''
  this.error(`"${typed}" is not ${article(options.config.bin)} ${options.config.bin} command.${hint} Run ${help} for the list of commands.`, {exit: ExitCode.usage})
}

export default hook

/**
 * The command nearest to what was typed, by edit distance over the whole id or, when the first word
 * is a topic, over that topic's commands; none when even the nearest is mostly different.
 */
export function closestCommand(typed: string, ids: readonly string[]): string | undefined {
  let best: {id: string; cost: number} | undefined
  for (const id of ids) {
    const cost = distance(typed.toLowerCase(), id.toLowerCase())
    if (!best || cost < best.cost) best = {id, cost}
  }
  if (!best) return undefined
  return best.cost <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined
}

/** "an attend", "a report": the article by the first letter's sound, good enough for command names. */
export function article(word: string): 'a' | 'an' {
  return /^[aeiou]/i.test(word) ? 'an' : 'a'
}
