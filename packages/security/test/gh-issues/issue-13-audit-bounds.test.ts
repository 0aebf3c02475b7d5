// Issue 13, part 5: the audit trail amplified what a plugin sent (a denied `ctx.env.get` with a
// 4 MiB name, 25 times, made a 100 MB audit file and 875 MB of host memory) and a flood of cheap
// allowed calls pushed earlier denials out of it. Entries are now bounded in size, calls in how
// many entries they record, and denials are kept apart from allowed entries.
import { join } from 'node:path';
import { AuditTrail, SandboxHost, type AuditEntry, type SandboxedPlugin } from '@marathon/security';
import type { WorkerPluginSpec } from '../../src/sandbox/protocol';
import {
  AUDIT_ALLOWED_PER_CALL,
  AUDIT_DROPPED_CAPABILITY,
  AUDIT_ENTRIES_PER_CALL,
  AUDIT_REASON_MAX,
  AUDIT_TARGET_MAX,
  boundAuditEntry,
  boundedText,
} from '../../src/audit-bounds';
import { PluginScope } from '../../src/capabilities/plugin-scope';
import { fixtures, hostileDir, loadPlugin, tempHome } from '../sandbox-helpers';

const MiB = 1024 * 1024;

function scope(): { scope: PluginScope; entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  const spec = { name: 'probe', permissions: [] } as unknown as WorkerPluginSpec;
  return { scope: new PluginScope(spec, (entry) => void entries.push(entry)), entries };
}

describe('one entry is bounded in size', () => {
  it('cuts a 4 MiB target and reason and keeps their original lengths', () => {
    const { scope: probe, entries } = scope();
    const name = 'x'.repeat(4 * MiB);
    const reason = `env.get: '${name}' is not in env_vars.allowed`;
    probe.audit('env.get', name, false, reason);
    const [entry] = entries;
    expect(entry).toMatchObject({ capability: 'env.get', allowed: false, target_length: 4 * MiB, reason_length: reason.length });
    expect(entry!.target).toHaveLength(AUDIT_TARGET_MAX);
    expect(entry!.reason).toHaveLength(AUDIT_REASON_MAX);
    expect(JSON.stringify(entry).length).toBeLessThan(1024);
  });

  it('leaves short entries as they were, without length fields', () => {
    const { scope: probe, entries } = scope();
    probe.audit('fs.read', 'notes.txt', true);
    expect(entries).toEqual([{ time: expect.any(Number), plugin: 'probe', capability: 'fs.read', target: 'notes.txt', allowed: true }]);
  });

  it('does not cut a surrogate pair in half', () => {
    const text = `${'a'.repeat(AUDIT_TARGET_MAX - 1)}😀tail`;
    expect(boundedText(text, AUDIT_TARGET_MAX)).toBe('a'.repeat(AUDIT_TARGET_MAX - 1));
  });

  it('the host bounds entries it is given too, and keeps a length the worker reported', () => {
    const seen: AuditEntry[] = [];
    const trail = new AuditTrail(10, (entry) => void seen.push(entry));
    trail.record({ time: 1, plugin: 'p', capability: 'net.fetch', target: 'y'.repeat(MiB), allowed: false, reason: 'z'.repeat(MiB) });
    trail.record(boundAuditEntry({ time: 2, plugin: 'p', capability: 'env.get', target: 'w'.repeat(5000), allowed: false }));
    expect(seen.map((entry) => [entry.target.length, entry.target_length, entry.reason?.length, entry.reason_length])).toEqual([
      [AUDIT_TARGET_MAX, MiB, AUDIT_REASON_MAX, MiB],
      [AUDIT_TARGET_MAX, 5000, undefined, undefined],
    ]);
    expect(trail.toJSON()).toEqual(seen);
  });
});

describe('one call records a bounded number of entries', () => {
  it('startCall sets the deadline from now', () => {
    const { scope: probe } = scope();
    const before = Date.now();
    probe.startCall(1500);
    expect(probe.deadline).toBeGreaterThanOrEqual(before + 1500);
    expect(probe.deadline).toBeLessThanOrEqual(Date.now() + 1500);
    expect(probe.remainingMs()).toBeLessThanOrEqual(1500);
  });

  it(`keeps at most ${AUDIT_ENTRIES_PER_CALL} entries, then one summary counting the rest at the end of the call`, () => {
    const { scope: probe, entries } = scope();
    probe.startCall(1000);
    for (let i = 0; i < 10_000; i++) probe.audit('storage.get', `k${i}`, true);
    for (let i = 0; i < 100; i++) probe.audit('env.get', `V${i}`, false, 'not allowed');
    expect(entries).toHaveLength(AUDIT_ENTRIES_PER_CALL);
    probe.endCall();
    expect(entries).toHaveLength(AUDIT_ENTRIES_PER_CALL + 1);
    const allowedKept = AUDIT_ALLOWED_PER_CALL;
    const deniedKept = AUDIT_ENTRIES_PER_CALL - AUDIT_ALLOWED_PER_CALL;
    expect(entries.at(-1)).toMatchObject({
      capability: AUDIT_DROPPED_CAPABILITY,
      allowed: false,
      dropped: { allowed: 10_000 - allowedKept, denied: 100 - deniedKept },
    });
    // Nothing more to report: a second end records nothing.
    probe.endCall();
    expect(entries).toHaveLength(AUDIT_ENTRIES_PER_CALL + 1);
  });

  it('a flood of allowed calls cannot hide a denial made after it in the same call', () => {
    const { scope: probe, entries } = scope();
    probe.startCall(1000);
    for (let i = 0; i < 5000; i++) probe.audit('storage.get', 'k', true);
    probe.audit('env.get', 'HOME', false, "no 'env_vars' permission");
    for (let i = 0; i < 5000; i++) probe.audit('storage.get', 'k', true);
    expect(entries.filter((entry) => !entry.allowed)).toEqual([expect.objectContaining({ capability: 'env.get', target: 'HOME' })]);
  });

  it('a summary of allowed calls only is an allowed entry', () => {
    const { scope: probe, entries } = scope();
    probe.startCall(1000);
    for (let i = 0; i < AUDIT_ALLOWED_PER_CALL + 5; i++) probe.audit('storage.get', 'k', true);
    probe.endCall();
    expect(entries.at(-1)).toMatchObject({ capability: AUDIT_DROPPED_CAPABILITY, allowed: true, dropped: { allowed: 5, denied: 0 } });
  });

  it('each call gets a whole budget again, and the next start reports what the last call dropped', () => {
    const { scope: probe, entries } = scope();
    probe.startCall(1000);
    for (let i = 0; i < 100; i++) probe.audit('storage.get', 'first', true);
    probe.startCall(1000);
    expect(entries.at(-1)).toMatchObject({
      capability: AUDIT_DROPPED_CAPABILITY,
      dropped: { allowed: 100 - AUDIT_ALLOWED_PER_CALL, denied: 0 },
    });
    const before = entries.length;
    for (let i = 0; i < 10; i++) probe.audit('storage.get', 'second', true);
    expect(entries.length - before).toBe(10);
  });

  it('assigning the deadline (how calls start until every caller uses startCall) also starts a call', () => {
    const { scope: probe, entries } = scope();
    for (let i = 0; i < 100; i++) probe.audit('storage.get', 'k', true);
    probe.deadline = Date.now() + 1000;
    const before = entries.length;
    probe.audit('storage.get', 'again', true);
    expect(entries.length - before).toBe(1);
  });
});

describe('the in-memory trail keeps denials apart', () => {
  it('a flood of allowed entries does not evict denials', () => {
    const trail = new AuditTrail(100);
    trail.record({ time: 0, plugin: 'p', capability: 'env.get', target: 'HOME', allowed: false, reason: 'no' });
    for (let i = 1; i <= 10_000; i++) trail.record({ time: i, plugin: 'p', capability: 'storage.get', target: 'k', allowed: true });
    expect(trail.query({ allowed: false }).map((entry) => entry.target)).toEqual(['HOME']);
    expect(trail.toJSON()).toHaveLength(100);
    expect(trail.toJSON()[0]!.target).toBe('HOME');
  });

  it('denials themselves are bounded: past half the capacity the oldest denial goes', () => {
    const trail = new AuditTrail(10);
    for (let i = 0; i < 4; i++) trail.record({ time: i, plugin: 'p', capability: 'storage.get', target: `a${i}`, allowed: true });
    for (let i = 0; i < 20; i++) trail.record({ time: 10 + i, plugin: 'p', capability: 'env.get', target: `d${i}`, allowed: false });
    const kept = trail.toJSON();
    expect(kept).toHaveLength(10);
    // The allowed entries are not pushed out by denials while there is room for both.
    expect(kept.map((entry) => entry.target)).toEqual(['a0', 'a1', 'a2', 'a3', 'd14', 'd15', 'd16', 'd17', 'd18', 'd19']);
  });
});

describe('through a real sandbox, with a canary beside the hostile plugins', () => {
  let host: SandboxHost;
  let hello: SandboxedPlugin;
  let home: { home: string; cleanup(): void };
  const sunk: AuditEntry[] = [];

  beforeAll(async () => {
    home = tempHome();
    host = new SandboxHost({
      // Marshalling 25 names of 4 MiB in and out of QuickJS takes seconds on a loaded 2-core machine;
      // the deadline is not what this test is about.
      policy: { limits: { call_deadline_ms: 60_000 } },
      env: { HOME: '/root', MARATHON_TEST_TOKEN: 'secret-token' },
      onAudit: (entry) => void sunk.push(entry),
    });
    hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
    await hello.init();
  });
  afterAll(async () => {
    await host.close();
    home.cleanup();
  });
  afterEach(async () => {
    expect(await hello.runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
  });

  it('audit-amplify: 25 denied env.get calls with a 4 MiB name record 25 small entries', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'audit-amplify'), home.home);
    const rssBefore = process.memoryUsage().rss;
    expect(await plugin.runCommand('attack', [])).toEqual({ ok: true, output: 'denied 25' });
    const entries = sunk.filter((entry) => entry.plugin === 'audit-amplify');
    expect(entries).toHaveLength(25);
    for (const entry of entries) expect(entry).toMatchObject({ capability: 'env.get', allowed: false, target_length: 4 * MiB });
    const recorded = entries.reduce((bytes, entry) => bytes + JSON.stringify(entry).length + 1, 0);
    // Was 8 MiB per entry (the name in the target and again in the reason): ~200 MiB for the call.
    expect(recorded).toBeLessThan(25 * 1024);
    console.info(
      `issue 13 audit-amplify: ${entries.length} entries, ${recorded} bytes recorded; host ` +
        `RSS ${Math.round(rssBefore / MiB)} -> ${Math.round(process.memoryUsage().rss / MiB)} MiB`,
    );
    expect(host.audit.query({ plugin: 'audit-amplify' })).toHaveLength(25);
  }, 120_000);

  it('audit-flood: a denial between 4,000 allowed storage.get calls is recorded, the allowed ones are capped and counted', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'audit-flood'), home.home);
    expect(await plugin.runCommand('attack', ['2000'])).toEqual({ ok: true, output: '4000 gets, denial EPERM' });
    // The summary of a call is recorded when the call ends (or, at the latest, when the plugin's next call starts).
    expect(await plugin.runCommand('attack', ['0'])).toEqual({ ok: true, output: '0 gets, denial EPERM' });
    const entries = sunk.filter((entry) => entry.plugin === 'audit-flood');
    const denials = entries.filter((entry) => !entry.allowed && entry.capability === 'env.get');
    expect(denials).toHaveLength(2);
    expect(entries.filter((entry) => entry.capability === 'storage.get').length).toBe(AUDIT_ALLOWED_PER_CALL);
    expect(entries.filter((entry) => entry.capability === AUDIT_DROPPED_CAPABILITY)).toEqual([
      expect.objectContaining({ allowed: true, dropped: { allowed: 4000 - AUDIT_ALLOWED_PER_CALL, denied: 0 } }),
    ]);
    expect(host.audit.query({ plugin: 'audit-flood', allowed: false })).toHaveLength(2);
  });
});
