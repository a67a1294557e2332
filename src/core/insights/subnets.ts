/**
 * CIDR matching for isIpInSubnet / isIpv4InSubnet / isIpv6InSubnet. The subnet is a literal in the
 * query, so its first and last address are computed here once and the SQL compares each row's address
 * against that range: IPv4 as a number, IPv6 as 32 fixed-width hex digits (ts_ipv6_hex), which order
 * like the addresses themselves.
 */
import { quote } from './sql';

export function cidrSql(addressSql: string, cidr: string, family: 4 | 6 | 'any'): string | undefined {
  const slash = cidr.indexOf('/');
  const base = slash === -1 ? cidr : cidr.slice(0, slash);
  const bitsText = slash === -1 ? undefined : cidr.slice(slash + 1);
  if (bitsText !== undefined && !/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIpv4(base);
  if (v4 !== undefined && family !== 6) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const low = Math.floor(v4 / size) * size;
    return `(ts_ipv4_number(${addressSql}) BETWEEN ${low} AND ${low + size - 1})`;
  }
  const v6 = parseIpv6(base);
  if (v6 !== undefined && family !== 4) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (bits > 128) return undefined;
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    const low = v6 & mask;
    const high = low | (~mask & ((1n << 128n) - 1n));
    const hex = (n: bigint) => n.toString(16).padStart(32, '0');
    return `(ts_ipv6_hex(${addressSql}) BETWEEN ${quote(hex(low))} AND ${quote(hex(high))})`;
  }
  return undefined;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/.test(p)) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function parseIpv6(text: string): bigint | undefined {
  let body = text;
  let tail: string[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4 >>> 16).toString(16), (v4 & 0xffff).toString(16)];
    // Keep a '::' that ends right before the IPv4 part; otherwise drop the separating ':'.
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const side = (s: string) => (s === '' ? [] : s.split(':'));
  const left = side(halves[0]);
  const right = [...(halves.length === 2 ? side(halves[1]) : []), ...tail];
  const groups =
    halves.length === 2
      ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
      : [...left, ...right];
  if (groups.length !== 8 || (halves.length === 2 && left.length + right.length > 7)) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}
