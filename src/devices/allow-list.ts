import net from 'node:net'

import {UsageError} from '../errors.js'
import {quote} from '../formats/input-policy.js'

/** Entries at most: a site's terminals sit on a few subnets. */
const MAX_ENTRIES = 32

/**
 * `--allow-from 192.168.1.0/24,10.0.0.7,fd00::/8` → the normalized list as stored (`none` or ''
 * clears it: null). Each entry is an IPv4 or IPv6 address or a CIDR range; anything else is a usage
 * error naming the entry.
 */
export function parseAllowFrom(text: string): string | null {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'none' || trimmed.toLowerCase() === 'any') return null
  const entries = trimmed.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  if (entries.length > MAX_ENTRIES) throw new UsageError(`--allow-from lists ${entries.length} entries; at most ${MAX_ENTRIES} are kept per device.`, 'invalid_allow_from')
  return entries.map(normalizeEntry).join(',')
}

function normalizeEntry(entry: string): string {
  const [address, bits, extra] = entry.split('/')
  const family = net.isIP(address)
  const prefix = bits === undefined ? undefined : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN
  const max = family === 6 ? 128 : 32
  if (family === 0 || extra !== undefined || (prefix !== undefined && !(prefix >= 0 && prefix <= max))) {
    throw new UsageError(`Invalid --allow-from entry ${quote(entry)}: expected an address or a CIDR range such as 192.168.1.0/24 or 10.0.0.7.`, 'invalid_allow_from')
  }
  return prefix === undefined ? address.toLowerCase() : `${address.toLowerCase()}/${prefix}`
}

const lists = new Map<string, net.BlockList>()

function blockListOf(allowFrom: string): net.BlockList {
  let list = lists.get(allowFrom)
  if (!list) {
    list = new net.BlockList()
    for (const entry of allowFrom.split(',')) {
      const [address, bits] = entry.split('/')
      const type = net.isIP(address) === 6 ? 'ipv6' : 'ipv4'
      if (bits === undefined) list.addAddress(address, type)
      else list.addSubnet(address, Number(bits), type)
    }
    if (lists.size > 1000) lists.clear()
    lists.set(allowFrom, list)
  }
  return list
}

/**
 * Whether a device with this allow-list may connect from `address` (the socket's peer). No list
 * allows everyone. An IPv4 peer seen through an IPv6 socket (`::ffff:192.168.1.5`) is matched as
 * the IPv4 address it is.
 */
export function addressAllowed(allowFrom: string | null, address: string | undefined): boolean {
  if (!allowFrom) return true
  if (!address) return false
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  const peer = mapped ? mapped[1] : address
  const type = net.isIP(peer) === 6 ? 'ipv6' : 'ipv4'
  return net.isIP(peer) !== 0 && blockListOf(allowFrom).check(peer, type)
}

/** `192.168.1.0/24, 10.0.0.7` for listings. */
export function describeAllowFrom(allowFrom: string | null): string | null {
  return allowFrom ? allowFrom.split(',').join(', ') : null
}
