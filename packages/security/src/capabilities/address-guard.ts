// Addresses a plugin may not reach unless the policy allows private networks: loopback,
// link-local (cloud metadata lives there), private, carrier-grade NAT, unspecified, multicast and
// reserved ranges, in IPv4 and IPv6. IPv6 has several ways to carry an IPv4 address; each is either
// refused as a whole (the deprecated or local-only ones) or decoded and the IPv4 checked (mapped,
// 6to4, Teredo), so no spelling of a private IPv4 passes as a public IPv6 address.
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  // Well-known NAT64 (RFC 6052): a gateway translates it to the IPv4 in its last 32 bits, and not
  // every gateway refuses private ones, so the whole prefix is refused (IPv6-only networks that rely
  // on NAT64 need allow_private_network).
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
  // IPv4-compatible ::a.b.c.d (deprecated by RFC 4291; some stacks still route it to the IPv4).
  ['::', 96],
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765): addresses a translator on the local network.
  ['::ffff:0:0:0', 96],
  // Local-use NAT64 (RFC 8215): translated by a gateway of the local network, to any IPv4.
  ['64:ff9b:1::', 48],
  // Site-local (deprecated by RFC 3879, still the local site where it is configured).
  ['fec0::', 10],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an address that isIP() accepted as IPv6 (a zone id is ignored). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const [head, tail] = text.split('::');
  const start = parse(head);
  const end = parse(tail);
  return [...start, ...new Array<number>(8 - start.length - end.length).fill(0), ...end];
}

function ipv4(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** The IPv4 addresses a packet to this IPv6 address is delivered to, where the format says so. */
function embeddedIpv4(groups: readonly number[]): string[] {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  // IPv4-mapped ::ffff:a.b.c.d: the IPv4 address itself, through a dual-stack socket.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return [ipv4(g6, g7)];
  // 6to4 2002:AABB:CCDD::/48 (RFC 3056): a relay tunnels it to the IPv4 in bits 16-47.
  if (g0 === 0x2002) return [ipv4(g1, g2)];
  // Teredo 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC (RFC 4380): server IPv4, then the client IPv4
  // with every bit flipped; a relay sends the packet on to the client over UDP.
  if (g0 === 0x2001 && g1 === 0) return [ipv4(g2, g3), ipv4(g6 ^ 0xffff, g7 ^ 0xffff)];
  return [];
}

/** Whether an IP address is in a range plugins may not reach by default. Not an IP: false. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const groups = ipv6Groups(address);
  if (blocked.check(groups.map((group) => group.toString(16)).join(':'), 'ipv6')) return true;
  return embeddedIpv4(groups).some((embedded) => blocked.check(embedded, 'ipv4'));
}
