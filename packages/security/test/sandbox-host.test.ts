import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError, SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { fixtures, hostileDir, loadPlugin, startServer, tempHome, type TestServer } from './sandbox-helpers';

let server: TestServer;
let host: SandboxHost;
let home: { home: string; cleanup(): void };
let capable: SandboxedPlugin;
let hello: SandboxedPlugin;

const task = { id: 't-9', name: 'build', command: 'make', args: [], submitted_by: 'ada', submitted_at: '2026-11-25T12:00:00Z' };

beforeAll(async () => {
  server = await startServer();
  home = tempHome();
  host = new SandboxHost({
    policy: { allowPrivateNetwork: true, limits: { call_deadline_ms: 2000 } },
    env: { MARATHON_TEST_TOKEN: 'abc123', PATH: process.env.PATH },
  });
  capable = await loadPlugin(host, join(fixtures, 'capable'), home.home);
  hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  await capable.init();
  await hello.init();
});

afterAll(async () => {
  await host.close();
  await server.close();
  home.cleanup();
});

async function run(plugin: SandboxedPlugin, command: string, args: string[] = []): Promise<string> {
  const result = await plugin.runCommand(command, args);
  if (!result.ok) throw result.error;
  return result.output ?? '';
}

describe('ctx, used as intended', () => {
  it('files: every operation inside the data folder', async () => {
    expect(JSON.parse(await run(capable, 'files'))).toEqual({
      text: 'first second',
      listing: ['a.txt', 'deep'],
      type: 'file',
      size: 12,
      after: ['a.txt'],
      root: ['notes'],
      missing: 'ENOENT: no such file or folder: notes/missing.txt',
    });
    expect(readFileSync(join(home.home, 'data', 'capable', 'notes', 'a.txt'), 'utf8')).toBe('first second');
  });

  it('network: fetch with a same-host redirect, headers, text and json', async () => {
    const before = server.hits.length;
    expect(JSON.parse(await run(capable, 'fetch', [server.url]))).toEqual({
      status: 200,
      ok: true,
      url: `${server.url}/hello`,
      body: 'hi',
      json: { answer: 42 },
    });
    expect(server.hits.slice(before)).toEqual(['/redirect-same-host', '/hello', '/json']);
  });

  it('environment: declared variables, undefined when unset', async () => {
    expect(JSON.parse(await run(capable, 'env'))).toEqual({ token: 'abc123', unset: null });
  });

  it('exec: an allowed command with its arguments', async () => {
    expect(JSON.parse(await run(capable, 'run'))).toEqual({
      exit_code: 0,
      signal: null,
      stdout: 'hello world\n',
      stderr: '',
      timed_out: false,
      truncated: false,
    });
  });

  it("storage: values persist in the plugin's store, and across a reload", async () => {
    expect(await run(capable, 'store', ['greeting', 'hi'])).toBe('stored');
    const file = join(home.home, 'storage', 'capable.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ greeting: { value: 'hi', at: 'now' } });
    const again = await loadPlugin(host, join(fixtures, 'capable'), home.home);
    expect(JSON.parse(await run(again, 'recall', ['greeting', 'delete']))).toEqual({ value: { value: 'hi', at: 'now' }, deleted: true });
    expect(JSON.parse(await run(again, 'recall', ['greeting']))).toEqual({ value: null, deleted: null });
    await again.unload();
  });

  it('ctx describes the plugin and is frozen', async () => {
    expect(JSON.parse(await run(capable, 'whoami'))).toEqual({
      plugin: { name: 'capable', version: '2.1.0' },
      permissions: ['task_read', 'task_write', 'user_auth', 'network', 'filesystem', 'env_vars', 'exec'],
      exec: true,
      helper: true,
      frozen: true,
    });
  });

  it('keeps module state between calls, from init on', async () => {
    expect(await run(capable, 'counter')).toBe('101');
    expect(await run(capable, 'counter')).toBe('102');
  });
});

describe('hooks', () => {
  it("returns the plugin's HookResult, keeping result_data with task_write", async () => {
    expect(await capable.callHook('pre_task_submit', { task })).toMatchObject({
      result: { success: true, message: 'tagged', continue_chain: true, result_data: { task: { ...task, name: 'build [checked]' } } },
    });
  });

  it('passes credentials to a plugin holding user_auth', async () => {
    const { result } = await capable.callHook('user_auth', {
      username: 'ada',
      method: 'password',
      credentials: { password: 'x', otp: '1' },
    });
    expect(result.message).toBe('credentials: password,otp');
  });

  it('reports a hook the plugin does not have as a failed result', async () => {
    const outcome = await hello.callHook('user_auth', { username: 'ada', method: 'password' });
    expect(outcome.result.success).toBe(false);
    expect(outcome.error).toMatchObject({ code: 'NO_SUCH_HANDLER' });
  });

  it('dispatches to several plugins in one message, with chain rules and the task_write waterfall', async () => {
    const results = await host.dispatchHook('pre_task_submit', { task }, [capable, hello]);
    expect(results.map((r) => [r.plugin, r.result.success])).toEqual([
      ['capable', true],
      ['hello', false],
    ]);
    const vetoed = await host.dispatchHook('pre_task_submit', { task: { ...task, command: 'rm' } }, [capable, hello]);
    expect(vetoed.map((r) => [r.plugin, r.result.message])).toEqual([['capable', 'rm is not allowed']]);
  });
});

describe('commands', () => {
  it('prints a string, fails on a failed HookResult, and names a missing command', async () => {
    expect(await hello.runCommand('greet', ['Marathon'])).toEqual({
      ok: true,
      output: 'Hello, Marathon! Greetings from the hello-world plugin.',
    });
    const missing = await hello.runCommand('nope', []);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.code).toBe('NO_SUCH_HANDLER');
  });
});

describe('lifecycle', () => {
  it('reports usage: memory, CPU time, calls', async () => {
    const usage = await hello.usage();
    expect(usage.memory_bytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(usage.cpu_time_ms).toBeGreaterThan(0);
    expect(usage.calls).toBeGreaterThan(0);
    expect(usage).toMatchObject({ open_files: 0, open_connections: 0, breaches: 0 });
  });

  it('reloads and re-inits a plugin transparently after its instance was dropped', async () => {
    const plugin = await loadPlugin(host, join(fixtures, 'capable'), home.home);
    await plugin.init();
    expect(await run(plugin, 'counter')).toBe('101');
    // Break a limit: another plugin's runaway loop kills their shared worker.
    const runaway = await loadPlugin(host, join(hostileDir, 'loop-builtin'), home.home);
    const killed = await runaway.runCommand('attack', []);
    expect(!killed.ok && killed.error.code).toBe('DEADLINE_EXCEEDED');
    expect(await run(plugin, 'counter')).toBe('101');
    expect(await run(hello, 'hello')).toBe('Hello, World!');
  });

  it('refuses calls after unload', async () => {
    const plugin = await loadPlugin(host, join(fixtures, 'hello'), home.home);
    await plugin.unload();
    await expect(plugin.runCommand('hello', [])).rejects.toBeInstanceOf(SandboxError);
  });

  it('creates the data folder', () => {
    expect(existsSync(join(home.home, 'data', 'hello'))).toBe(true);
  });
});
