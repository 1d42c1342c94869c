/**
 * The reply to `GET /iclock/cdata?SN=…&options=all`: what the device should upload and how often.
 * Stamps are `None`/9999 so a device sends every record it holds after a (re)handshake: storage is
 * idempotent, and a server that loses its store gets everything back. Older firmware reads
 * `Stamp`/`OpStamp`/`PhotoStamp`, newer `ATTLOGStamp`/`OPERLOGStamp`/`ATTPHOTOStamp`: send both.
 */
export function handshakeReply(serial: string, timeZone: number): string {
  return [
    `GET OPTION FROM: ${serial}`,
    'ATTLOGStamp=None',
    'OPERLOGStamp=9999',
    'ATTPHOTOStamp=None',
    'Stamp=None',
    'OpStamp=9999',
    'PhotoStamp=None',
    'ErrorDelay=30',
    'Delay=10',
    'TransTimes=00:00;14:05',
    'TransInterval=1',
    'TransFlag=TransData AttLog\tOpLog\tEnrollUser\tChgUser',
    `TimeZone=${timeZone}`,
    'Realtime=1',
    'Encrypt=None',
  ].join('\n') + '\n'
}
