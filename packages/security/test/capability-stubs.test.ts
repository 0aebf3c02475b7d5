// Test doubles for fetch and exec, and host pinning: the checks of a real call still run, only the
// I/O is replaced — so a plugin test fails when the plugin reaches beyond its manifest.
import { join } from 'node:path';
import { SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { fixtures, loadPlugin, startServer, tempHome } from './sandbox-helpers';

const dir = join(fixtures, 'stubbed');
let home: { home: string; cleanup(): void };
const hosts: SandboxHost[] = [];

beforeEach(() => {
  home = tempHome();
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  home.cleanup();
});

async function load(options: ConstructorParameters<typeof SandboxHost>[0]): Promise<{ host: SandboxHost; plugin: SandboxedPlugin }> {
  const host = new SandboxHost(options);
  hosts.push(host);
  const plugin = await loadPlugin(host, dir, home.home);
  await plugin.init();
  return { host, plugin };
}

async function run(plugin: SandboxedPlugin, command: string, args: string[] = []): Promise<string> {
  const result = await plugin.runCommand(command, args);
  if (!result.ok) throw result.error;
  return result.output ?? '';
}

describe('stubs', () => {
  it('answer fetch and exec calls the manifest allows, without network or a process', async () => {
    const { host, plugin } = await load({
      stubs: {
        fetch: [{ url: 'https://hooks.example.com/notify', method: 'post', response: { status: 202, body: 'queued' } }],
        exec: [{ command: 'git', args: ['rev-parse', 'HEAD'], result: { stdout: 'abc123\n' } }],
      },
    });
    expect(await run(plugin, 'post')).toBe('202 queued');
    expect(await run(plugin, 'git')).toBe('abc123');
    const audit = host.audit.query({ plugin: 'stubbed' });
    expect(audit.map((entry) => [entry.capability, entry.allowed, entry.reason])).toEqual([
      ['net.fetch', true, 'stubbed'],
      ['exec', true, 'stubbed'],
    ]);
  });

  it('fail a call they do not cover instead of letting it through', async () => {
    const { plugin } = await load({ stubs: { fetch: [], exec: [] } });
    expect(await run(plugin, 'post')).toBe('ENOSTUB: net.fetch: the test stubs no response for POST https://hooks.example.com/notify');
    expect(await run(plugin, 'git')).toBe("ENOSTUB: exec: the test stubs no result for 'git rev-parse HEAD'");
  });

  it('do not bypass the allowlists', async () => {
    const { plugin } = await load({
      stubs: {
        fetch: [{ url: 'https://evil.example.net/steal', response: { body: 'secrets' } }],
        exec: [{ command: 'sh', result: { stdout: 'root' } }],
      },
    });
    expect(await run(plugin, 'elsewhere')).toBe("EPERM: net.fetch: host 'evil.example.net' is not in network.allowed_hosts");
    expect(await run(plugin, 'shell')).toBe("EPERM: exec: 'sh' is not in exec.allowed_commands");
  });
});

describe('resolve (host pinning)', () => {
  it('sends an allowed host to a local server, which the private-network rule still guards', async () => {
    const server = await startServer();
    try {
      const port = new URL(server.url).port;
      const url = `http://hooks.example.com:${port}/hello`;
      const strict = await load({ policy: { resolve: { 'hooks.example.com': '127.0.0.1' } } });
      expect(await run(strict.plugin, 'get', [url])).toBe(
        "EPERM: net.fetch: host 'hooks.example.com' resolves to a private or loopback address, which the policy does not allow",
      );
      const open = await load({ policy: { resolve: { 'hooks.example.com': '127.0.0.1' }, allowPrivateNetwork: true } });
      expect(await run(open.plugin, 'get', [url])).toBe('hi');
      expect(server.hits).toEqual(['/hello']);
    } finally {
      await server.close();
    }
  });
});
