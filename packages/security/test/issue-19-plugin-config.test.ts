// Issue 19: the operator's settings for one plugin. ctx.config is a deep-frozen copy of the
// settings the host gave that plugin (crossing into its engine as JSON, at most 64 KiB), and
// PluginSource.allowPrivateNetwork replaces the policy's private-network rule for that plugin only.
import { MAX_PLUGIN_CONFIG_BYTES, SandboxError, SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { startServer, tempHome, type TestServer } from './sandbox-helpers';
import { loadGuestPlugin, type GuestPluginSource } from './written-plugins';

/** Runs a command that must succeed; returns its output. */
async function run(plugin: SandboxedPlugin, command: string, args: string[] = []): Promise<string> {
  const result = await plugin.runCommand(command, args);
  if (!result.ok) throw result.error;
  return result.output ?? '';
}

/** Handler text: runs `body` and answers 'no error', or the error's constructor name and message. */
const attempt = (body: string) =>
  `(ctx) => { try { ${body}; return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; } }`;

describe('ctx.config', () => {
  const home = tempHome();
  let host: SandboxHost;
  const load = (source: GuestPluginSource) => loadGuestPlugin(host, home.home, source);
  const show = { show: '(ctx) => JSON.stringify(ctx.config)' };

  beforeAll(() => {
    host = new SandboxHost({ workers: 1, policy: { limits: { call_deadline_ms: 5000 } }, env: {} });
  });
  afterAll(async () => {
    await host.close();
    home.cleanup();
  });

  it('holds the values the host gave, with their types', async () => {
    const config = { rules: ['rm', 'dd'], timeout_s: 30, verbose: true, channel: '#builds' };
    const plugin = await load({
      name: 'config-values',
      commands: {
        ...show,
        types: "(ctx) => Object.entries(ctx.config).map(([k, v]) => k + ':' + (Array.isArray(v) ? 'list' : typeof v)).join(' ')",
      },
      settings: { config },
    });
    expect(JSON.parse(await run(plugin, 'show'))).toEqual(config);
    expect(await run(plugin, 'types')).toBe('rules:list timeout_s:number verbose:boolean channel:string');
  });

  it('is {} when the host gave none, frozen like the rest of ctx', async () => {
    const plugin = await load({ name: 'config-absent', commands: { ...show, frozen: '(ctx) => String(Object.isFrozen(ctx.config))' } });
    expect(await run(plugin, 'show')).toBe('{}');
    expect(await run(plugin, 'frozen')).toBe('true');
  });

  it('is read-only all the way down: assignment, new keys, deletion and a push into a list throw TypeError', async () => {
    const plugin = await load({
      name: 'config-frozen',
      commands: {
        ...show,
        assign: attempt('ctx.config.timeout_s = 1'),
        add: attempt("ctx.config.extra = 'x'"),
        remove: attempt('delete ctx.config.rules'),
        push: attempt("ctx.config.rules.push('ls')"),
        index: attempt("ctx.config.rules[0] = 'ls'"),
        replace: attempt('ctx.config = {}'),
        deep: '(ctx) => String(Object.isFrozen(ctx.config) && Object.isFrozen(ctx.config.rules))',
      },
      settings: { config: { rules: ['rm'], timeout_s: 30 } },
    });
    for (const command of ['assign', 'add', 'remove', 'push', 'index', 'replace']) {
      expect([command, await run(plugin, command)]).toEqual([command, expect.stringMatching(/^TypeError: /)]);
    }
    expect(await run(plugin, 'deep')).toBe('true');
    expect(JSON.parse(await run(plugin, 'show'))).toEqual({ rules: ['rm'], timeout_s: 30 });
  });

  it('is a copy: changing the object given to load afterwards changes nothing the plugin sees', async () => {
    const config: Record<string, string[]> = { rules: ['rm'] };
    const plugin = await load({ name: 'config-copied', commands: show, settings: { config } });
    config.rules!.push('dd');
    config.added = ['x'];
    expect(await run(plugin, 'show')).toBe('{"rules":["rm"]}');
  });

  it('two plugins in one worker each see their own settings', async () => {
    const one = await load({ name: 'config-one', commands: show, settings: { config: { channel: '#one', limit: 1 } } });
    const two = await load({ name: 'config-two', commands: show, settings: { config: { channel: '#two', rules: ['a'] } } });
    expect(await run(one, 'show')).toBe('{"channel":"#one","limit":1}');
    expect(await run(two, 'show')).toBe('{"channel":"#two","rules":["a"]}');
    expect(await run(one, 'show')).toBe('{"channel":"#one","limit":1}');
  });

  it('takes settings up to 64 KiB of JSON and refuses more with LOAD_FAILED, before any code runs', async () => {
    const overhead = JSON.stringify({ big: '' }).length;
    const fits = await load({
      name: 'config-fits',
      commands: show,
      settings: { config: { big: 'x'.repeat(MAX_PLUGIN_CONFIG_BYTES - overhead) } },
    });
    expect((await run(fits, 'show')).length).toBe(MAX_PLUGIN_CONFIG_BYTES);
    const refused = await load({
      name: 'config-too-big',
      commands: show,
      settings: { config: { big: 'x'.repeat(MAX_PLUGIN_CONFIG_BYTES - overhead + 1) } },
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SandboxError);
    expect(refused).toMatchObject({
      code: 'LOAD_FAILED',
      plugin: 'config-too-big',
      message:
        "plugin 'config-too-big': its configuration is 65537 bytes as JSON, over the 65536 bytes (64 KiB) a plugin may be given; " +
        'shorten or remove the largest values (marathon plugin config)',
    });
  });

  it('refuses a setting ctx.config cannot hold (an object, a list of numbers, NaN) with LOAD_FAILED naming it', async () => {
    const bad: Array<[string, unknown]> = [
      ['nested', { deep: 'x' }],
      ['numbers', [1, 2]],
      ['nan', Number.NaN],
    ];
    for (const [key, value] of bad) {
      const refused = await load({
        name: `config-bad-${key}`,
        commands: show,
        settings: { config: { [key]: value } as never },
      }).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        code: 'LOAD_FAILED',
        message: `plugin 'config-bad-${key}': configuration '${key}' must be a string, a finite number, a boolean or a list of strings`,
      });
    }
  });
});

describe('allowPrivateNetwork for one plugin', () => {
  const home = tempHome();
  let server: TestServer;
  const hosts: SandboxHost[] = [];
  const fetchHello =
    "async (ctx, args) => { try { return await (await ctx.net.fetch(args[0])).text(); } catch (e) { return e.code + ': ' + e.message; } }";
  const fetcher = (name: string, allowPrivateNetwork?: boolean): GuestPluginSource => ({
    name,
    permissions: ['network'],
    network: { allowed_hosts: ['127.0.0.1'] },
    commands: { get: fetchHello },
    ...(allowPrivateNetwork === undefined ? {} : { settings: { allowPrivateNetwork } }),
  });
  const newHost = (allowPrivateNetwork: boolean) => {
    const host = new SandboxHost({ policy: { allowPrivateNetwork, limits: { call_deadline_ms: 5000 } }, env: {} });
    hosts.push(host);
    return host;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.close()));
    await server.close();
    home.cleanup();
  });

  it('true lets the plugin reach a loopback server the policy keeps the others from', async () => {
    const host = newHost(false);
    const allowed = await loadGuestPlugin(host, home.home, fetcher('private-allowed', true));
    const other = await loadGuestPlugin(host, home.home, fetcher('private-policy'));
    expect(await run(allowed, 'get', [`${server.url}/hello`])).toBe('hi');
    expect(await run(other, 'get', [`${server.url}/hello`])).toBe(
      "EPERM: net.fetch: host '127.0.0.1' resolves to a private or loopback address, which the policy does not allow",
    );
    expect(server.hits).toEqual(['/hello']);
  });

  it('false refuses the plugin what the policy allows the others, and the refusal names the plugin setting', async () => {
    server.hits.length = 0;
    const host = newHost(true);
    const refused = await loadGuestPlugin(host, home.home, fetcher('private-refused', false));
    const other = await loadGuestPlugin(host, home.home, fetcher('private-open'));
    expect(await run(refused, 'get', [`${server.url}/hello`])).toBe(
      "EPERM: net.fetch: host '127.0.0.1' resolves to a private or loopback address, which the operator's setting for this plugin does not allow",
    );
    expect(await run(other, 'get', [`${server.url}/hello`])).toBe('hi');
    expect(server.hits).toEqual(['/hello']);
  });
});
