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
