import {Flags} from '@oclif/core'

import {parseDate} from '../time/date-input.js'

/**
 * The one date flag: `YYYY-MM-DD`, read by the one date reader (src/time/date-input.ts), so every
 * command words a bad date alike. Ranges (--to not before --from) are checked by the service that
 * takes both, with `parseDateRange`, because the HTTP API and tests call the services directly.
 */
export const dateFlag = Flags.custom<string>({
  helpValue: 'YYYY-MM-DD',
  parse: async (input, _context, options) => parseDate(input, `--${options.name}`),
})

/**
 * `--limit`/`--offset` of every list command (src/listing/page.ts): `defaultLimit` for lists that
 * can grow without end (punches, import runs), none for the directory-sized ones.
 */
export function pageFlags(defaultLimit?: number) {
  return {
    // No oclif default: the service applies it, so --json reports the limit it used either way.
    limit: Flags.integer({description: defaultLimit === undefined ? 'At most this many rows.' : `At most this many rows (default ${defaultLimit}).`, min: 1}),
    offset: Flags.integer({description: 'Skip this many rows first (with --limit, for paging).', min: 0, default: 0}),
  }
}
