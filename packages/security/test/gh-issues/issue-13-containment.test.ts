// Issue 13 (1–3): a zero-permission plugin crashed the host with data, forged the host's envelope,
// silenced vetoes, and kept running after its call returned while the watchdog blamed others. Each
// attack is a real plugin under test/hostile; the well-behaved `hello` shares the worker and must
// answer after every one, in the same host.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost, type LogEntry, type SandboxedPlugin } from '@marathon/security';
import { fixtures, hostileDir, loadPlugin, tempHome } from '../sandbox-helpers';

// Room for the deep-data attack to build and serialise its 10,000 levels on a loaded CI machine;
// the attacks that overrun do so whatever the deadline.
const DEADLINE_MS = 2500;
let host: SandboxHost;
let hello: SandboxedPlugin;
let home: { home: string; cleanup(): void };
const logs: LogEntry[] = [];
const breaches: string[] = [];

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost({
    policy: { limits: { call_deadline_ms: DEADLINE_MS } },
    onLog: (entry) => void logs.push(entry),
    onBreach: ({ plugin, code }) => void breaches.push(`${plugin}:${code}`),
  });
  hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  await hello.init();
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

beforeEach(() => {
  breaches.length = 0;
});

afterEach(async () => {
  expect(await hello.runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
});

const hostile = (name: string) => loadPlugin(host, join(hostileDir, name), home.home);
const task = (args: string[]) => ({
  task: { id: 't-1', name: 'dd', command: 'dd', args, submitted_by: 'ada', submitted_at: '2026-11-29T00:00:00Z' },
});

describe('1. the envelope belongs to the host', () => {
  let plugin: SandboxedPlugin;
  beforeAll(async () => {
    plugin = await hostile('envelope-forgery');
  });

  it('a toJSON planted on Object.prototype only changes the plugin’s own value (the host used to die parsing it)', async () => {
    expect(await plugin.runCommand('syntax', [])).toEqual({ ok: true, output: 'x' });
  });

  it('cannot write a message that reads as the host’s, nor a limit code', async () => {
    for (const command of ['message', 'memory']) {
      const result = await plugin.runCommand(command, []);
      // The value is what the plugin's toJSON made of its object: a HookResult-less object, so a
      // plain BAD_RESULT of its own, prefixed with its name.
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('BAD_RESULT');
      expect(result.error.message).toMatch(/^plugin 'envelope-forgery' command '.+' returned an object without a boolean success/);
      expect(result.error.message).not.toContain('HOST:');
    }
    expect(breaches).toEqual([]);
  });

  it('cannot claim it did not run: the call runs once', async () => {
    const before = logs.filter((entry) => entry.plugin === 'envelope-forgery').length;
    const result = await plugin.runCommand('not-run', []);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESULT' } });
    expect(logs.filter((entry) => entry.plugin === 'envelope-forgery').length - before).toBe(1);
  });

  it('{ error: null } is just its value; the worker lives', async () => {
    expect(await plugin.runCommand('error-null', [])).toMatchObject({ ok: false, error: { code: 'BAD_RESULT' } });
  });

  it('an async handler’s value is encoded by the prelude too', async () => {
    const result = await plugin.runCommand('async-forge', []);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESULT' } });
    if (!result.ok) expect(result.error.message).not.toContain('forged');
  });

  it('on a veto-capable hook the poisoned prototype is the plugin’s own result, not a forged one', async () => {
    const [outcome] = await host.dispatchHook('pre_task_submit', task([]), [plugin]);
    expect(outcome!.result.success).toBe(false);
    expect(outcome!.error?.code).toBe('BAD_RESULT');
  });

  it('a forged load descriptor cannot break the load: the sandbox reads names it wrote itself', async () => {
    const forged = await hostile('descriptor-forgery');
    expect(await forged.runCommand('attack', [])).toEqual({ ok: true, output: 'still here' });
  });
});

describe('1. data nested without bound', () => {
  it('10,000 arrays around "__proto__" are refused in the worker as BAD_RESULT, charged to the plugin', async () => {
    const plugin = await hostile('deep-proto-result');
    const result = await plugin.runCommand('attack', []);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESULT', message: "plugin 'deep-proto-result' returned data nested more than 64 levels deep" },
    });
    // Within the bound, the same shape crosses.
    expect(await plugin.runCommand('shallow', [])).toEqual({ ok: true, output: 'shallow' });
  });
});

describe('2. a veto cannot be silenced', () => {
  it('continue_chain: false at priority 1000 does not stop a later plugin’s veto', async () => {
    const silencer = await hostile('chain-silencer');
    const policy = await loadPlugin(host, join(fixtures, 'task-policy'), home.home);
    for (const hook of ['pre_task_submit', 'pre_task_execute'] as const) {
      const results = await host.dispatchHook(hook, task(['if=/dev/zero', 'of=/dev/sda']), [silencer, policy]);
      expect(results.map((r) => `${r.plugin}:${r.result.success}`)).toEqual(['chain-silencer:true', 'task-policy:false']);
      expect(results[1]!.result.message).toBe('writes to a device');
    }
  });
});

describe('3. no guest code outside a call', () => {
  it('a detached async loop stops doing I/O when its call returns', async () => {
    const plugin = await hostile('detached-io-loop');
    expect(await plugin.runCommand('attack', [])).toEqual({ ok: true, output: 'returned' });
    const file = join(home.home, 'storage', 'detached-io-loop.json');
    const read = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const settled = read();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(read()).toBe(settled);
  });

  it('a busy loop left as a promise job fails its own call within its deadline, charged to it alone', async () => {
    const plugin = await hostile('detached-spin');
    const result = await plugin.runCommand('attack', []);
    expect(result).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(breaches).toEqual(['detached-spin:DEADLINE_EXCEEDED']);
  });

  it('the watchdog blames the plugin that was running, and the call queued behind it runs on a fresh instance', async () => {
    const culprit = await hostile('loop-builtin');
    const victim = await loadPlugin(host, join(fixtures, 'task-policy'), home.home);
    const [overrun, vetoCheck] = await Promise.all([
      culprit.runCommand('attack', []),
      host.dispatchHook('pre_task_execute', task(['of=/tmp/x']), [victim]),
    ]);
    expect(overrun).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(vetoCheck.map((r) => `${r.plugin}:${r.result.success}:${r.result.message}`)).toEqual(['task-policy:true:allowed']);
    expect(breaches).toEqual(['loop-builtin:DEADLINE_EXCEEDED']);
  }, 20_000);
});
