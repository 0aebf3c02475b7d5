// Issue 15 (14): a webhook URL's secret — in its path (Slack, Discord) or its query (?token=) —
// must not land in the audit trail, which the manager writes to history/audit.jsonl as it is.
import { SandboxHost, type AuditEntry, type SandboxedPlugin } from '@marathon/security';
import { redactedTarget, redactedUrl } from '../src/capabilities/url-redaction';
import { startServer, tempHome, type TestServer } from './sandbox-helpers';
import { loadGuestPlugin } from './written-plugins';

const SECRET = 'XXXXSECRETXXXX';

describe('redactedUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXXSECRET', 'https://hooks.slack.com/services/***/***/***'],
    ['https://discord.com/api/webhooks/123/tok-en?wait=true', 'https://discord.com/api/***/***/***?wait=***'],
    ['https://api.telegram.org/bot123456:AAHsecret/sendMessage', 'https://api.telegram.org/***/***'],
    ['https://hooks.example.com/notify?token=abc&channel=%23ops#frag', 'https://hooks.example.com/notify?token=***&channel=***'],
    ['https://user:pass@example.com:8443/', 'https://example.com:8443/'],
    ['https://example.com/hook?sk_live_abcdef&x=1', 'https://example.com/hook?***&x=***'],
    ['https://example.com', 'https://example.com/'],
  ])('%s → %s', (input, shown) => {
    expect(redactedUrl(new URL(input))).toBe(shown);
  });

  it('writes what does not parse as its length only', () => {
    expect(redactedTarget(`not a url ${SECRET}`)).toBe('(not a URL, 24 characters)');
    expect(redactedTarget(42)).toBe('(not a URL: number)');
  });
});

describe('ctx.net.fetch audits webhook URLs without their secrets', () => {
  let server: TestServer;
  let host: SandboxHost;
  let home: { home: string; cleanup(): void };
  let sender: SandboxedPlugin;
  let unpermitted: SandboxedPlugin;
  const written: AuditEntry[] = [];

  beforeAll(async () => {
    server = await startServer();
    home = tempHome();
    // The sink is what the manager appends to history/audit.jsonl.
    host = new SandboxHost({ policy: { allowPrivateNetwork: true }, onAudit: (entry) => void written.push(entry) });
    const send =
      `async (ctx, args) => { try { const r = await ctx.net.fetch(args[0], { method: 'POST', body: ` +
      `'{}' }); return 'status ' + r.status; } catch (e) { return e.code + ': ' + e.message; } }`;
    sender = await loadGuestPlugin(host, home.home, {
      name: 'webhook-sender',
      permissions: ['network'],
      network: { allowed_hosts: ['127.0.0.1'] },
      commands: { send },
    });
    unpermitted = await loadGuestPlugin(host, home.home, { name: 'webhook-unpermitted', commands: { send } });
  });

  afterAll(async () => {
    await host.close();
    await server.close();
    home.cleanup();
  });

  const everything = (plugin: string) =>
    JSON.stringify([...host.audit.query({ plugin }), ...written.filter((entry) => entry.plugin === plugin)]);

  it('an allowed POST to a secret path and query is audited masked; the request itself is unchanged', async () => {
    const url = `${server.url}/services/T000/B000/${SECRET}?token=${SECRET}`;
    expect(await sender.runCommand('send', [url])).toEqual({ ok: true, output: 'status 404' });
    expect(server.hits).toContain(`/services/T000/B000/${SECRET}?token=${SECRET}`);
    const entries = host.audit.query({ plugin: 'webhook-sender', capability: 'net.fetch' });
    expect(entries.at(-1)).toMatchObject({ allowed: true, target: `${server.url}/services/***/***/***?token=***` });
    expect(everything('webhook-sender')).not.toContain(SECRET);
  });

  it('a refused fetch (no permission, a host off the list, an invalid URL) is audited masked, and its error says no secret', async () => {
    const offList = await sender.runCommand('send', [`https://hooks.slack.com/services/T000/B000/${SECRET}`]);
    expect(offList).toEqual({ ok: true, output: "EPERM: net.fetch: host 'hooks.slack.com' is not in network.allowed_hosts" });
    const invalid = await sender.runCommand('send', [`http://[${SECRET}/x`]);
    expect(invalid).toEqual({
      ok: true,
      output: `EINVAL: net.fetch: (not a URL, ${`http://[${SECRET}/x`.length} characters) is not a valid absolute URL`,
    });
    const refused = await unpermitted.runCommand('send', [`${server.url}/hook/${SECRET}?token=${SECRET}`]);
    expect(refused.ok && refused.output).toMatch(/^EPERM: net.fetch needs the 'network' permission/);
    expect(host.audit.query({ plugin: 'webhook-unpermitted', allowed: false }).at(-1)).toMatchObject({
      target: `${server.url}/hook/***?token=***`,
    });
    expect(everything('webhook-sender')).not.toContain(SECRET);
    expect(everything('webhook-unpermitted')).not.toContain(SECRET);
  });

  it('an unreachable webhook’s error shows the URL masked', async () => {
    const closed = await sender.runCommand('send', [`http://127.0.0.1:1/services/T/B/${SECRET}`]);
    expect(closed).toEqual({
      ok: true,
      output: 'ECONNREFUSED: net.fetch: could not reach http://127.0.0.1:1/services/***/***/*** (ECONNREFUSED)',
    });
  });
});
