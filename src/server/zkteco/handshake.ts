/**
 * The reply to `GET /iclock/cdata?SN=…&options=all`: what the device should upload and how often.
 * `ATTLOGStamp` is the Stamp of the last ATTLOG upload attend stored (None before the first), so a
 * restarted terminal uploads only what came after instead of its whole log; OPERLOG likewise
 * (9999 — nothing old — before the first). Older firmware reads `Stamp`/`OpStamp`/`PhotoStamp`,
 * newer `ATTLOGStamp`/`OPERLOGStamp`/`ATTPHOTOStamp`: send both.
 */
export interface HandshakeStamps {
  attlog: string | null
  operlog: string | null
}

export function handshakeReply(serial: string, timeZone: number, stamps: HandshakeStamps = {attlog: null, operlog: null}): string {
  const attlog = stamps.attlog ?? 'None'
  const operlog = stamps.operlog ?? '9999'
  return [
    `GET OPTION FROM: ${serial}`,
    `ATTLOGStamp=${attlog}`,
    `OPERLOGStamp=${operlog}`,
    'ATTPHOTOStamp=None',
    `Stamp=${attlog}`,
    `OpStamp=${operlog}`,
    'PhotoStamp=None',
    ...TRANSFER_OPTIONS,
    `TimeZone=${timeZone}`,
    'Realtime=1',
    'Encrypt=None',
  ].join('\n') + '\n'
}

const TRANSFER_OPTIONS = ['ErrorDelay=30', 'Delay=10', 'TransTimes=00:00;14:05', 'TransInterval=1', 'TransFlag=TransData AttLog\tOpLog\tEnrollUser\tChgUser']

/** The PUSH protocol version attend answers PUSH 3.x firmware with. */
export const PUSH_VERSION = '3.1.2'

/**
 * The reply to PUSH 3.x `/iclock/push` (the configuration a registered device downloads): the
 * same transfer settings as the handshake, in that protocol's names.
 */
export function pushConfigReply(timeZone: number): string {
  return [
    `ServerVersion=${PUSH_VERSION}`,
    'ServerName=attend',
    `PushVersion=${PUSH_VERSION}`,
    'ErrorDelay=30',
    'RequestDelay=10',
    'TransTimes=00:00;14:05',
    'TransInterval=1',
    'TransTables=User Transaction',
    'Realtime=1',
    `TimeZone=${timeZone}`,
    'TimeoutSec=10',
  ].join('\n') + '\n'
}

/**
 * The stamp a device sends with an upload (`Stamp=`, `OpStamp=`): digits only (firmware counts or
 * epoch seconds), at most 20 of them; anything else is not remembered.
 */
export function readStamp(value: unknown): string | null {
  const text = typeof value === 'string' ? value.trim() : ''
  return /^\d{1,20}$/.test(text) ? text : null
}
