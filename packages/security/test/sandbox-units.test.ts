import { DEFAULT_LIMITS } from '@marathon/plugin-api';
import { AuditTrail, effectiveLimits, ENGINE_MIN_MEMORY, filterEvent, hostAllowed, isPrivateAddress, mayWrite } from '@marathon/security';
import { normalisedHost } from '../src/capabilities/host-allowlist';
import { applyChain } from '../src/sandbox/chain-rules';
import { asHookResult, parseGuestJson } from '../src/sandbox/guest-value';
import { API_MODULE, normalizeImport } from '../src/sandbox/module-resolution';

describe('module resolution', () => {
  it.each([
    ['/index.js', './lib/a.js', '/lib/a.js'],
    ['/lib/a.js', './b.js', '/lib/b.js'],
    ['/lib/a.js', '../c.js', '/c.js'],
    ['/lib/deep/a.js', '../../c.js', '/c.js'],
    ['/index.js', './lib/./x/../y.js', '/lib/y.js'],
    ['/index.js', '@marathon/plugin-api', API_MODULE],
  ])('from %s, %s is %s', (base, requested, expected) => {
    expect(normalizeImport(base, requested)).toBe(expected);
  });

  it.each([
    ['/index.js', '../outside.js'],
    ['/lib/a.js', '../../outside.js'],
    ['/index.js', 'fs'],
    ['/index.js', 'node:fs'],
    ['/index.js', '/etc/passwd'],
    ['/index.js', 'file:///etc/passwd'],
    ['/index.js', '@marathon/security'],
    ['/index.js', 'https://example.com/x.js'],
  ])('from %s, %s is refused', (base, requested) => {
    expect(normalizeImport(base, requested)).toBe(`marathon-refused:${requested}`);
  });
});

describe('host allow-list', () => {
  const hosts = ['api.example.com', '*.example.org', '10.0.0.5'];
  it.each([
    ['https://api.example.com/x', true],
    ['https://API.Example.COM./x', true],
    ['https://a.example.org/', true],
    ['https://a.b.example.org/', true],
    ['https://example.org/', false],
    ['https://evilexample.org/', false],
    ['https://api.example.com.evil.net/', false],
    ['http://10.0.0.5/', true],
    ['http://0x0a.0.0.5/', true],
    ['http://167772165/', true],
    ['http://10.0.0.6/', false],
    ['http://[::ffff:10.0.0.5]/', false],
  ])('%s → %s', (url, allowed) => {
    expect(hostAllowed(normalisedHost(new URL(url)), hosts)).toBe(allowed);
  });
});

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', 'not-an-ip'])('%s is not', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('limits', () => {
  it('are the defaults of docs/design.md by default, lowered by the manifest, never raised', () => {
    expect(effectiveLimits()).toMatchObject(DEFAULT_LIMITS);
    expect(effectiveLimits({ max_cpu_time_ms: 2000, max_network_connections: 50 })).toMatchObject({
      max_cpu_time_ms: 2000,
      max_network_connections: 10,
    });
  });
  it("follow the policy, and keep the engine's memory floor", () => {
    expect(effectiveLimits({}, { max_memory: 128 * 1024 * 1024, call_deadline_ms: 100 })).toMatchObject({
      max_memory: 134217728,
      call_deadline_ms: 100,
    });
    expect(effectiveLimits({ max_memory: 1024 }).max_memory).toBe(ENGINE_MIN_MEMORY);
  });
});

describe('event filter', () => {
  const task = { id: 't', name: 'n', command: 'c', args: [], submitted_by: 'u', submitted_at: 's' };
  it('shows task data only with task_read', () => {
    expect(filterEvent('pre_task_submit', { task }, [])).toEqual({ task: { id: 't' } });
    expect(filterEvent('pre_task_submit', { task }, ['task_read'])).toEqual({ task });
  });
  it('shows credentials only with user_auth', () => {
    const event = { username: 'u', method: 'password', credentials: { password: 'p' } };
    expect(filterEvent('user_auth', event, [])).toEqual({ username: 'u', method: 'password' });
    expect(filterEvent('user_auth', event, ['user_auth'])).toBe(event);
  });
  it('lets task hooks change the task only with task_write', () => {
    expect(mayWrite('pre_task_submit', ['task_write'])).toBe(true);
    expect(mayWrite('pre_task_submit', ['task_read'])).toBe(false);
    expect(mayWrite('user_auth', ['task_write'])).toBe(false);
  });
});

describe('values from the guest', () => {
  it('drop __proto__ keys at every depth', () => {
    const value = parseGuestJson('{"a":{"__proto__":{"x":1},"b":2},"__proto__":{"y":1}}') as Record<string, Record<string, unknown>>;
    expect(value).toEqual({ a: { b: 2 } });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
  });
  it('are HookResults of the known fields only', () => {
    expect(asHookResult({ success: true, message: 'm', extra: 1, result_data: [1] })).toEqual({
      success: true,
      message: 'm',
      continue_chain: true,
      result_data: [1],
    });
    expect(asHookResult(undefined)).toEqual({ success: true, continue_chain: true });
    expect(asHookResult('yes')).toBeUndefined();
    expect(asHookResult({ success: 'true' })).toBeUndefined();
  });
});

describe('chain rules in a batch', () => {
  const ok = (value: unknown) => ({ ok: true as const, json: JSON.stringify(value), durationNs: 0 });
  it.each([
    ['success goes on', ok({ success: true }), false, false, { stop: false }],
    ['continue_chain false stops', ok({ success: true, continue_chain: false }), false, false, { stop: true }],
    ['a failure stops only veto hooks', ok({ success: false }), false, true, { stop: true }],
    ['a failure does not stop others', ok({ success: false }), false, false, { stop: false }],
    ['an error vetoes', { ok: false as const, code: 'HANDLER_FAILED' as const, message: 'x', durationNs: 0 }, false, true, { stop: true }],
    ['not a HookResult vetoes', ok('yes'), false, true, { stop: true }],
    ['nothing is success', { ok: true as const, json: undefined, durationNs: 0 }, false, true, { stop: false }],
    [
      'a writer passes result_data on',
      ok({ success: true, result_data: { task: 1 } }),
      true,
      false,
      { stop: false, payload: '{"task":1}' },
    ],
    ['a non-writer does not', ok({ success: true, result_data: { task: 1 } }), false, false, { stop: false }],
  ])('%s', (_label, result, canWrite, veto, expected) => {
    expect(applyChain(result, canWrite, { veto })).toEqual(expected);
  });
});

describe('audit trail', () => {
  it('keeps the newest entries and answers queries', () => {
    const seen: string[] = [];
    const trail = new AuditTrail(3, (entry) => void seen.push(entry.target));
    for (let i = 0; i < 5; i++)
      trail.record({ time: i, plugin: i % 2 ? 'a' : 'b', capability: 'fs.read', target: String(i), allowed: i !== 3 });
    expect(trail.toJSON().map((e) => e.target)).toEqual(['2', '3', '4']);
    expect(trail.query({ plugin: 'a' }).map((e) => e.target)).toEqual(['3']);
    expect(trail.query({ allowed: false }).map((e) => e.target)).toEqual(['3']);
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
  });
});
