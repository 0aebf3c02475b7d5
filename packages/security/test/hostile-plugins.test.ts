// Hostile plugins: each folder under test/hostile is a real plugin that tries to get out of the
// sandbox or to exhaust it. Every case asserts that it was contained — with the refusal it should
// get — and that a well-behaved plugin sharing the same worker still works right after.
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, ManifestError, type Manifest } from '@marathon/manifest';
import { SandboxError, SandboxHost, type CommandResult, type LogEntry, type SandboxedPlugin } from '@marathon/security';
import { copyPlugin, fixtures, hostileDir, loadPlugin, startServer, tempHome, type TestServer } from './sandbox-helpers';

// Generous enough that legitimate work (5,000 log calls) finishes on a loaded CI machine.
const DEADLINE_MS = 1500;
let server: TestServer;
let host: SandboxHost;
let hello: SandboxedPlugin;
let home: { home: string; cleanup(): void };
const logs: LogEntry[] = [];
const breaches: string[] = [];

beforeAll(async () => {
  server = await startServer();
  home = tempHome();
  host = new SandboxHost({
    policy: { allowPrivateNetwork: true, limits: { call_deadline_ms: DEADLINE_MS } },
    env: { HOME: '/root', MARATHON_TEST_TOKEN: 'secret-token' },
    onLog: (entry) => void logs.push(entry),
    onBreach: ({ plugin, code }) => void breaches.push(`${plugin}:${code}`),
  });
  hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  await hello.init();
});

afterAll(async () => {
  await host.close();
  await server.close();
  home.cleanup();
});

afterEach(async () => {
  // Containment holds only if everyone else carries on.
  expect(await hello.runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
});

async function attack(name: string, args: string[] = [server.url]): Promise<CommandResult> {
  const plugin = await loadPlugin(host, join(hostileDir, name), home.home);
  return plugin.runCommand('attack', args);
}

function output(result: CommandResult): string {
  if (!result.ok) throw new Error(`expected output, got ${result.error.code}: ${result.error.message}`);
  return result.output ?? '';
}

function failure(result: CommandResult): SandboxError {
  if (result.ok) throw new Error(`expected a failure, got output ${result.output}`);
  return result.error;
}

function denied(plugin: string, capability: string): string[] {
  return host.audit.query({ plugin, capability, allowed: false }).map((entry) => entry.reason ?? '');
}

it('has at least forty hostile plugins, each a real plugin folder', () => {
  const names = readdirSync(hostileDir);
  expect(names.length).toBeGreaterThanOrEqual(40);
  for (const name of names) {
    expect(existsSync(join(hostileDir, name, 'plugin.json'))).toBe(true);
    expect(existsSync(join(hostileDir, name, 'index.js'))).toBe(true);
  }
});

describe('files', () => {
  it('fs-no-permission: no filesystem permission, no files', async () => {
    expect(output(await attack('fs-no-permission'))).toBe(
      `EPERM: fs.read needs the 'filesystem' permission: add it to "permissions" in plugin.json`,
    );
    expect(denied('fs-no-permission', 'fs.read')).toEqual(["no 'filesystem' permission"]);
  });

  it('fs-dotdot: cannot climb out of the data folder', async () => {
    expect(output(await attack('fs-dotdot'))).toBe(`EPERM: fs.read: '../../../../etc/passwd' is outside the plugin's data folder`);
  });

  it('fs-absolute: cannot name a host path', async () => {
    expect(output(await attack('fs-absolute'))).toBe(
      `EPERM: fs.read: '/etc/passwd' is absolute; paths are relative to the plugin's data folder`,
    );
  });

  it('fs-symlink-out: a symlink in the data folder does not lead out', async () => {
    mkdirSync(join(home.home, 'data', 'fs-symlink-out'), { recursive: true });
    symlinkSync('/etc', join(home.home, 'data', 'fs-symlink-out', 'outside'));
    expect(output(await attack('fs-symlink-out'))).toBe(
      `EPERM: fs.read: 'outside/hostname' leads outside the plugin's data folder (through a symbolic link)`,
    );
  });

  it('fs-write-outside: nothing is written outside', async () => {
    expect(output(await attack('fs-write-outside'))).toBe(`EPERM: fs.write: '../escaped.txt' is outside the plugin's data folder`);
    expect(existsSync(join(home.home, 'data', 'escaped.txt'))).toBe(false);
  });

  it('fs-remove-root: the data folder itself cannot be removed', async () => {
    expect(output(await attack('fs-remove-root'))).toBe(`EPERM: fs.remove: the data folder itself cannot be removed`);
    expect(existsSync(join(home.home, 'data', 'fs-remove-root'))).toBe(true);
  });

  it('fs-fd-flood: at most max_file_descriptors files open at once', async () => {
    const results = JSON.parse(output(await attack('fs-fd-flood'))) as string[];
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(5);
    expect(results).toContain('EMFILE');
    expect(results.every((r) => r === 'ok' || r === 'EMFILE')).toBe(true);
  });
});

describe('network', () => {
  it('net-no-permission', async () => {
    expect(output(await attack('net-no-permission'))).toBe(
      `EPERM: net.fetch needs the 'network' permission: add it to "permissions" in plugin.json`,
    );
  });

  it('net-off-list: only allowed hosts', async () => {
    expect(output(await attack('net-off-list'))).toBe(`EPERM: net.fetch: host 'evil.example.com' is not in network.allowed_hosts`);
  });

  it('net-redirect-off-list: a redirect to a host off the list is refused before it is followed', async () => {
    const before = server.hits.length;
    expect(output(await attack('net-redirect-off-list'))).toBe(`EPERM: net.fetch: host 'localhost' is not in network.allowed_hosts`);
    expect(server.hits.slice(before)).toEqual(['/redirect-to-localhost']);
  });

  it('net-userinfo: no user:password@ tricks', async () => {
    expect(output(await attack('net-userinfo'))).toBe('EPERM: net.fetch: URLs with a user name or password are not allowed');
  });

  it('net-numeric-spelling: a decimal spelling of 127.0.0.1 is still 127.0.0.1', async () => {
    expect(output(await attack('net-numeric-spelling'))).toBe(`EPERM: net.fetch: host '127.0.0.1' is not in network.allowed_hosts`);
  });

  it('net-ipv6-loopback: an IPv6 spelling of a host not listed', async () => {
    expect(output(await attack('net-ipv6-loopback'))).toBe(`EPERM: net.fetch: host '::1' is not in network.allowed_hosts`);
  });

  it('net-ssrf: an allowed name that resolves to loopback is refused unless the policy allows private networks', async () => {
    const strict = new SandboxHost({ policy: { allowPrivateNetwork: false } });
    try {
      const plugin = await loadPlugin(strict, join(hostileDir, 'net-ssrf'), home.home);
      expect(output(await plugin.runCommand('attack', [server.url]))).toBe(
        `EPERM: net.fetch: host 'localhost' resolves to a private or loopback address, which the policy does not allow`,
      );
    } finally {
      await strict.close();
    }
    // The same plugin under a policy that allows private networks gets through.
    expect(output(await attack('net-ssrf'))).toMatch(/^allowed: \{"ok":true,"status":200,"url":"http:\/\/localhost:\d+\/hello"/);
  });

  it('net-connection-flood: at most max_network_connections at once', async () => {
    const results = JSON.parse(output(await attack('net-connection-flood'))) as string[];
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(3);
    expect(results).toContain('EMFILE');
  });

  it('net-huge-response: the response body is capped', async () => {
    expect(output(await attack('net-huge-response'))).toMatch(
      /^EFBIG: net\.fetch: the response of http:\/\/127\.0\.0\.1:\d+\/huge is larger than 1048576 bytes$/,
    );
  });

  it('net-file-url: only http and https', async () => {
    expect(output(await attack('net-file-url'))).toBe('EPERM: net.fetch: only http and https URLs are allowed, not file:');
  });
});

describe('environment and commands', () => {
  it('env-no-permission', async () => {
    expect(output(await attack('env-no-permission'))).toBe(
      `EPERM: env.get needs the 'env_vars' permission: add it to "permissions" in plugin.json`,
    );
  });

  it('env-undeclared: only declared variables, and the worker never held the rest', async () => {
    expect(output(await attack('env-undeclared'))).toBe(`EPERM: env.get: 'HOME' is not in env_vars.allowed`);
  });

  it('exec-no-permission', async () => {
    expect(output(await attack('exec-no-permission'))).toBe(
      `EPERM: exec needs the 'exec' permission: add it to "permissions" in plugin.json`,
    );
  });

  it('exec-undeclared: a shell is just another command off the list', async () => {
    expect(output(await attack('exec-undeclared'))).toBe(`EPERM: exec: 'sh' is not in exec.allowed_commands`);
  });

  it('exec-shell-metacharacters: no shell, so they are plain arguments', async () => {
    const result = JSON.parse(output(await attack('exec-shell-metacharacters'))) as { refused: string; stdout: string };
    expect(result.refused).toBe(`EPERM: exec: 'echo; id' is not in exec.allowed_commands`);
    expect(result.stdout).toBe('$(id) ; cat /etc/passwd `whoami`\n');
  });

  it('exec-timeout: a command past its time is killed', async () => {
    expect(JSON.parse(output(await attack('exec-timeout')))).toEqual({ timed_out: true, signal: 'SIGKILL' });
  });
});

describe('escapes from the engine', () => {
  it('constructor-escape: Function constructors find no host', async () => {
    // Each probe either fails or finds nothing; none finds a process object.
    expect(JSON.parse(output(await attack('constructor-escape')))).toEqual(['TypeError', 'ReferenceError', 'undefined', 'undefined']);
  });

  it.each([
    ['dynamic-import-fs', "cannot import 'fs': a plugin may import only files in its own folder and @marathon/plugin-api"],
    [
      'dynamic-import-node-child-process',
      "cannot import 'node:child_process': a plugin may import only files in its own folder and @marathon/plugin-api",
    ],
    ['dynamic-import-dotdot', "cannot import '../hello/index.js': it is outside the plugin folder"],
    ['dynamic-import-absolute', "cannot import '/etc/passwd': absolute imports are not allowed"],
  ])('%s: refused by the module loader', async (name, message) => {
    expect(output(await attack(name))).toBe(`undefined: ${message}`);
    expect(host.audit.query({ plugin: name, capability: 'import', allowed: false })).toHaveLength(1);
  });

  it('import-symlink-out: a symlink in the plugin folder does not lead out', async () => {
    const dir = copyPlugin(join(hostileDir, 'import-symlink-out'), home.home);
    symlinkSync(join(fixtures, 'hello', 'index.js'), join(dir, 'linked.js'));
    const plugin = await loadPlugin(host, dir, home.home);
    expect(output(await plugin.runCommand('attack', []))).toBe(
      "undefined: cannot import './linked.js': it leads outside the plugin folder (through a symbolic link)",
    );
  });

  it('static-import-node: a plugin importing a Node module does not load', async () => {
    const error = await loadPlugin(host, join(hostileDir, 'static-import-node'), home.home).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect(error).toMatchObject({ code: 'LOAD_FAILED' });
    expect((error as Error).message).toContain("cannot import 'node:fs'");
  });

  it('require-probe: no require, module, process or Buffer', async () => {
    expect(JSON.parse(output(await attack('require-probe')))).toEqual({
      require: 'undefined',
      module: 'undefined',
      process: 'undefined',
      Buffer: 'undefined',
    });
  });

  it('globals-probe: globalThis holds only the language, nothing of the host or the bridge', async () => {
    const names = JSON.parse(output(await attack('globals-probe'))) as string[];
    // console and the timers exist since issue 15, as the sandbox's own (issue-15-sandbox-timers.test.ts).
    for (const name of [
      'process',
      'require',
      'Buffer',
      'fetch',
      'hostSync',
      'hostAsync',
      'hostLoad',
      'hostSetTimer',
      'hostClearTimer',
      'setImmediate',
      'WebAssembly',
    ]) {
      expect(names).not.toContain(name);
    }
    expect(names).toContain('JSON');
    expect(names).toContain('Promise');
  });

  it('timers-probe: only the sandbox’s own timers, bounded by the call (issue 15); no host APIs', async () => {
    expect(JSON.parse(output(await attack('timers-probe')))).toEqual({
      setTimeout: 'function',
      setInterval: 'function',
      setImmediate: 'undefined',
      queueMicrotask: 'function',
      fetch: 'undefined',
      WebAssembly: 'undefined',
    });
  });

  it('proto-pollution-result: a __proto__ key in a result reaches the host as nothing', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'proto-pollution-result'), home.home);
    const result = await plugin.runCommand('attack', []);
    expect(result).toEqual({ ok: true, output: 'ok' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('prototype-tamper: replacing built-ins in the guest changes nothing that crosses the boundary', async () => {
    expect(output(await attack('prototype-tamper'))).toBe('tampered');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('getter-loop-result: a looping getter is interrupted inside the engine, not in the host', async () => {
    expect(failure(await attack('getter-loop-result')).code).toBe('DEADLINE_EXCEEDED');
  });

  it('tojson-throws: an unserialisable result is a clear error', async () => {
    const error = failure(await attack('tojson-throws'));
    expect(error.code).toBe('BAD_RESULT');
    expect(error.message).toBe("plugin 'tojson-throws' returned a value that is not JSON data (no serialising me)");
  });

  it('bigint-result: only JSON data crosses', async () => {
    expect(failure(await attack('bigint-result')).code).toBe('BAD_RESULT');
  });
});

describe('limits', () => {
  it('loop-sync: an endless loop is stopped at the deadline', async () => {
    const error = failure(await attack('loop-sync'));
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', plugin: 'loop-sync' });
    expect(error.message).toBe(`plugin 'loop-sync' did not finish within its deadline of ${DEADLINE_MS} ms`);
  });

  it('loop-async: an endless loop after an await too', async () => {
    expect(failure(await attack('loop-async')).code).toBe('DEADLINE_EXCEEDED');
  });

  it("loop-builtin: heavy built-ins that outrun the interrupt are stopped by the watchdog, and the worker's other plugins are reloaded", async () => {
    const error = failure(await attack('loop-builtin'));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.message).toBe(`plugin 'loop-builtin' did not finish within its deadline of ${DEADLINE_MS} ms (its worker was stopped)`);
    // afterEach: hello's next call succeeds on a fresh worker.
  });

  it('memory-bomb: stopped at its memory limit', async () => {
    const error = failure(await attack('memory-bomb'));
    expect(error.code).toBe('MEMORY_LIMIT_EXCEEDED');
    expect(error.message).toBe("plugin 'memory-bomb' exceeded its memory limit of 16 MiB");
  });

  it('memory-bomb-caught: a plugin may recover from running out of its own memory', async () => {
    expect(output(await attack('memory-bomb-caught'))).toBe('caught out of memory');
  });

  it('deep-recursion: stopped at the stack limit', async () => {
    expect(failure(await attack('deep-recursion')).code).toBe('STACK_OVERFLOW');
  });

  it('promise-flood: contained by the deadline or the memory limit', async () => {
    const error = failure(await attack('promise-flood'));
    expect(`${error.code}: ${error.message}`).toMatch(/^(DEADLINE_EXCEEDED|MEMORY_LIMIT_EXCEEDED): /);
  });

  it('never-settles: a promise that never settles fails at the deadline', async () => {
    const started = Date.now();
    expect(failure(await attack('never-settles')).code).toBe('DEADLINE_EXCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS);
  });

  it('huge-return: results are capped', async () => {
    const error = failure(await attack('huge-return'));
    expect(error.code).toBe('BAD_RESULT');
    expect(error.message).toBe("plugin 'huge-return' returned more than 1048576 characters of data");
  });

  it('log-flood: logs are rate-limited and the drop is reported', async () => {
    const before = logs.length;
    expect(output(await attack('log-flood'))).toBe('done');
    const mine = logs.slice(before).filter((entry) => entry.plugin === 'log-flood');
    expect(mine.length).toBeLessThanOrEqual(400);
    expect(mine.length).toBeGreaterThanOrEqual(200);
  });

  it('cpu-hog: stopped when its CPU time runs out, then starts afresh', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'cpu-hog'), home.home);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await plugin.runCommand('attack', []);
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(codes.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(codes).toContain('CPU_LIMIT_EXCEEDED');
    expect(codes[codes.indexOf('CPU_LIMIT_EXCEEDED') + 1]).toBe('ok');
    expect(breaches).toContain('cpu-hog:CPU_LIMIT_EXCEEDED');
    expect((await plugin.usage()).breaches).toBeGreaterThanOrEqual(1);
  });

  it('storage-flood: the store is capped and what was stored survives', async () => {
    expect(output(await attack('storage-flood'))).toBe('EFBIG: storage: the store would exceed 1048576 bytes | keep=me');
  });
});

describe('task data and credentials', () => {
  const task = { id: 't-1', name: 'deploy', command: 'make', args: ['release'], submitted_by: 'ada', submitted_at: '2026-11-25T12:00:00Z' };

  it('task-write-without-permission: changes to the task are dropped and audited', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'task-write-without-permission'), home.home);
    const { result } = await plugin.callHook('pre_task_submit', { task });
    expect(result).toEqual({ success: true, message: 'rewritten', continue_chain: true });
    expect(denied('task-write-without-permission', 'task.write')).toEqual(["no 'task_write' permission"]);
  });

  it('task-read-without-permission: only the task id', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'task-read-without-permission'), home.home);
    const { result } = await plugin.callHook('post_task_execute', { task, result: { exit_code: 0, duration_ms: 5 } });
    expect(JSON.parse(result.message ?? '')).toEqual({ task: { id: 't-1' } });
  });

  it('credentials-without-user-auth: no credentials', async () => {
    const plugin = await loadPlugin(host, join(hostileDir, 'credentials-without-user-auth'), home.home);
    const { result } = await plugin.callHook('user_auth', { username: 'ada', method: 'password', credentials: { password: 'hunter2' } });
    expect(JSON.parse(result.message ?? '')).toEqual({ username: 'ada', method: 'password' });
  });
});

describe('plugins that are not what they claim', () => {
  it('undeclared-hook: code that implements more than its manifest declares does not load', async () => {
    const error = await loadPlugin(host, join(hostileDir, 'undeclared-hook'), home.home).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MANIFEST_MISMATCH' });
    expect((error as Error).message).toBe(
      "plugin 'undeclared-hook' does not match its manifest: the code implements hook 'user_auth' that plugin.json does not declare",
    );
  });

  it('missing-command: nor code that implements less', async () => {
    const error = await loadPlugin(host, join(hostileDir, 'missing-command'), home.home).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "plugin 'missing-command' does not match its manifest: plugin.json declares command 'attack' but the code does not implement it",
    );
  });

  it('no-default-export', async () => {
    const error = await loadPlugin(host, join(hostileDir, 'no-default-export'), home.home).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOAD_FAILED' });
    expect((error as Error).message).toBe(
      "plugin 'no-default-export' failed to load: the main module must export a plugin as its default export: export default definePlugin({ ... })",
    );
  });

  it('syntax-error', async () => {
    const error = await loadPlugin(host, join(hostileDir, 'syntax-error'), home.home).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOAD_FAILED' });
    expect((error as Error).message).toMatch(/^plugin 'syntax-error' failed to load: SyntaxError: /);
  });

  it('main-outside: refused by the manifest, and by the sandbox if a host skips validation', async () => {
    await expect(readManifest(join(hostileDir, 'main-outside'))).rejects.toBeInstanceOf(ManifestError);
    const raw = (await readManifest(join(fixtures, 'hello'))) as Manifest;
    const forged = {
      ...raw,
      name: 'main-outside',
      main: 'lib/../../hello/index.js',
      hooks: [],
      commands: [{ name: 'attack', description: '', usage: '' }],
    };
    const error = await loadPlugin(host, join(hostileDir, 'main-outside'), home.home, forged).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOAD_FAILED' });
  });
});

it('writes every capability call, allowed or denied, to the audit trail', () => {
  const entries = host.audit.toJSON();
  expect(entries.some((entry) => entry.allowed)).toBe(true);
  expect(entries.some((entry) => !entry.allowed)).toBe(true);
  for (const entry of entries) {
    expect(entry).toEqual(
      expect.objectContaining({
        time: expect.any(Number),
        plugin: expect.any(String),
        capability: expect.any(String),
        target: expect.any(String),
        allowed: expect.any(Boolean),
      }),
    );
    expect(entry.target).not.toContain(home.home);
  }
});
