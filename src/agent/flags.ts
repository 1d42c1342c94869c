import {Flags} from '@oclif/core'

import {protocolChoices} from './zk/client.js'

/** `--timeout SECONDS` (fractions allowed) → milliseconds. */
export const timeoutFlag = Flags.custom<number>({
  description: 'Seconds each request (or chunk of a large read) may wait for the device.',
  helpValue: 'SECONDS',
  default: 10_000,
  defaultHelp: async () => '10',
  parse: async (input) => {
    const seconds = Number(input)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`Invalid --timeout "${input}": expected seconds, more than 0 and at most 600.`)
    return Math.round(seconds * 1000)
  },
})

/** The agent-mode connection flags of `devices add/update` and `devices probe`. */
export const connectionFlags = {
  ip: Flags.string({description: 'Agent mode: the device\'s address on the LAN (e.g. 192.168.1.201).'}),
  port: Flags.string({description: 'Agent mode: its TCP/UDP port (default 4370).'}),
  protocol: Flags.string({description: 'Agent mode: tcp, udp, or auto (TCP, then UDP).', options: [...protocolChoices]}),
  'comm-key': Flags.string({description: 'Agent mode: the comm key set on the device (0–999999, none to clear); stored, never shown.', helpValue: 'N'}),
}
