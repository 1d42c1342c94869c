/**
 * Command and reply codes of the ZKTeco binary protocol (TCP/UDP 4370), as the standalone SDK and
 * pyzk name them. Only the codes attend sends or expects are listed: the protocol has dozens more.
 */
export const Command = {
  /** Read a buffer prepared by PREPARE_BUFFER (attendance log, users). */
  ATTLOG_RRQ: 13,
  USERTEMP_RRQ: 9,
  OPTIONS_RRQ: 11,
  CLEAR_ATTLOG: 15,
  GET_FREE_SIZES: 50,
  GET_TIME: 201,
  SET_TIME: 202,
  REG_EVENT: 500,
  CONNECT: 1000,
  EXIT: 1001,
  ENABLEDEVICE: 1002,
  DISABLEDEVICE: 1003,
  REFRESHDATA: 1013,
  GET_VERSION: 1100,
  AUTH: 1102,
  PREPARE_DATA: 1500,
  DATA: 1501,
  FREE_DATA: 1502,
  PREPARE_BUFFER: 1503,
  READ_BUFFER: 1504,
} as const

export const Reply = {
  ACK_OK: 2000,
  ACK_ERROR: 2001,
  ACK_DATA: 2002,
  ACK_RETRY: 2003,
  ACK_REPEAT: 2004,
  ACK_UNAUTH: 2005,
  ACK_UNKNOWN: 0xffff,
  ACK_ERROR_CMD: 0xfffd,
  ACK_ERROR_INIT: 0xfffc,
  ACK_ERROR_DATA: 0xfffb,
} as const

/** Realtime event flags for REG_EVENT; the event code travels in the session field of the event packet. */
export const EventFlag = {
  ATTLOG: 1,
} as const

/** The `fct` argument of PREPARE_BUFFER for the user table. */
export const FCT_USER = 5

/** Port every ZKTeco-protocol terminal listens on, TCP and UDP. */
export const DEFAULT_PORT = 4370

/**
 * Largest READ_BUFFER chunk: TCP replies carry a chunk in one packet (0xFFC0 keeps it under 64 KiB
 * with the headers); UDP devices split a chunk into 1 KiB datagrams and 16 KiB is what they accept.
 */
export const MAX_CHUNK = {tcp: 0xffc0, udp: 16 * 1024} as const

/** The reply counter wraps below 0xFFFF: devices treat 0xFFFF as "no reply number". */
export const REPLY_WRAP = 0xffff

const names = new Map<number, string>([
  ...Object.entries(Command).map(([name, code]) => [code, `CMD_${name}`] as [number, string]),
  ...Object.entries(Reply).map(([name, code]) => [code, `CMD_${name}`] as [number, string]),
])

/** `CMD_ACK_OK (2000)` for messages; unknown codes as their number. */
export function commandName(code: number): string {
  const name = names.get(code)
  return name ? `${name} (${code})` : String(code)
}
