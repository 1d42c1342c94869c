import {Chalk, type ChalkInstance} from 'chalk'
import chalk from 'chalk'

import type {Tone} from '../types.js'

/**
 * Colors only for a terminal, never when NO_COLOR is set (https://no-color.org): chalk itself
 * honours FORCE_COLOR but not NO_COLOR, and a cron job's mail must not fill with escape codes.
 */
export function colorLevel(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  if (env.FORCE_COLOR !== undefined) return chalk.level
  if (!stream.isTTY) return 0
  return chalk.level || 1
}

export function paletteFor(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({level})
}

export function paint(palette: ChalkInstance, text: string, tone: Tone | undefined): string {
  switch (tone) {
    case 'good':
      return palette.green(text)
    case 'bad':
      return palette.red(text)
    case 'warn':
      return palette.yellow(text)
    case 'info':
      return palette.cyan(text)
    case 'muted':
      return palette.gray(text)
    default:
      return text
  }
}
