// Issue 13, part 9: the SSRF guard of ctx.net.fetch knew IPv4, plain IPv6 ranges and IPv4-mapped
// ::ffff:a.b.c.d, but let through other IPv6 spellings that carry or reach a private IPv4 address:
// IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, local-use NAT64 64:ff9b:1::/48,
// 6to4 2002::/16 with a private IPv4 inside, Teredo 2001::/32 with a private client, and
// site-local fec0::/10. All of them are refused now unless the policy allows private networks.
import { join } from 'node:path';
import { isPrivateAddress, SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { fixtures, hostileDir, loadPlugin, startServer, tempHome, type TestServer } from '../sandbox-helpers';

// [what, address] pairs, each a spelling that reaches a private network.
const privateSpellings: Array<[string, string]> = [
  ['IPv4-compatible loopback, dotted', '::127.0.0.1'],
  ['IPv4-compatible loopback, hex', '::7f00:1'],
  ['IPv4-compatible metadata address', '::169.254.169.254'],
  ['IPv4-compatible public address (deprecated, refused as a whole)', '::8.8.8.8'],
  ['IPv4-translated loopback, dotted', '::ffff:0:127.0.0.1'],
  ['IPv4-translated private, hex', '::ffff:0:a00:1'],
  ['IPv4-translated, fully written', '0:0:0:0:ffff:0:c0a8:101'],
  ['local-use NAT64 with a private IPv4', '64:ff9b:1::a00:1'],
  ['local-use NAT64 with a public IPv4 (the gateway is local)', '64:ff9b:1::808:808'],
  ['local-use NAT64, longer prefix', '64:ff9b:1:ffff::1'],
  ['well-known NAT64 with a private IPv4', '64:ff9b::10.0.0.1'],
  ['6to4 of loopback', '2002:7f00:1::'],
  ['6to4 of the metadata address', '2002:a9fe:a9fe::1'],
  ['6to4 of 192.168.1.1, with an interface id', '2002:c0a8:0101:0:1:2:3:4'],
  ['Teredo with a loopback client (bits flipped)', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
  ['Teredo with a 10.0.0.1 client', '2001:0:4136:e378:8000:63bf:f5ff:fffe'],
  ['Teredo with a private server', '2001:0:a00:1::'],
  ['site-local', 'fec0::1'],
  ['site-local, upper end', 'feff:ffff::1'],
  ['a zone id does not change the address', 'fec0::1%eth0'],
  ['IPv4-mapped, hex, written out in full', '0:0:0:0:0:ffff:7f00:1'],
];

const publicSpellings: Array<[string, string]> = [
  ['a public IPv6 address', '2606:4700:4700::1111'],
  ['IPv4-mapped public address', '::ffff:8.8.8.8'],
  ['6to4 of a public IPv4', '2002:808:808::1'],
  ['Teredo with public server and client', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  ['a global unicast address', '2000::1'],
];

describe('issue 13: the address guard refuses every IPv6 spelling of a private network', () => {
  it.each(privateSpellings)('%s: %s is private', (_what, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(publicSpellings)('%s: %s is not', (_what, address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('issue 13: net-ipv6-embedded-private, an allowed name that resolves to such an address', () => {
  let server: TestServer;
  let strict: SandboxHost;
  let hello: SandboxedPlugin;
  let attacker: SandboxedPlugin;
  const home = tempHome();
  // Each allowed name points at one spelling, as a hostile DNS server would answer.
  const names = Object.fromEntries(
    [
      '::127.0.0.1',
      '::ffff:0:127.0.0.1',
      '64:ff9b:1::7f00:1',
      '64:ff9b::127.0.0.1',
      '2002:7f00:1::',
      '2001:0:4136:e378:8000:63bf:80ff:fffe',
      'fec0::1',
    ].map((address, index) => [`host${index}.ssrf.example.com`, address]),
  );

  beforeAll(async () => {
    server = await startServer();
    strict = new SandboxHost({ policy: { resolve: names, limits: { call_deadline_ms: 3000 } } });
    hello = await loadPlugin(strict, join(fixtures, 'hello'), home.home);
    attacker = await loadPlugin(strict, join(hostileDir, 'net-ipv6-embedded-private'), home.home);
  });
  afterAll(async () => {
    await strict.close();
    await server.close();
    home.cleanup();
  });

  it.each(Object.entries(names))('%s (%s) is refused before any connection, and hello still answers', async (name) => {
    const port = new URL(server.url).port;
    expect(await attacker.runCommand('attack', [name, port])).toEqual({
      ok: true,
      output: `EPERM: net.fetch: host '${name}' resolves to a private or loopback address, which the policy does not allow`,
    });
    expect(strict.audit.query({ plugin: 'net-ipv6-embedded-private', capability: 'net.fetch', allowed: false }).at(-1)?.target).toBe(
      `http://${name}:${port}/hello`,
    );
    expect(await hello.runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
  });
});
