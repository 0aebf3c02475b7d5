// The CLI transcript of docs/design.md ("CLI output"), character for character, and the commands
// operators use every day. The transcript is read from the design page itself, so the page and
// the binary cannot drift apart; its reader lives with the packed-CLI test of workspace-checks,
// which runs the same transcript against the binary npm installs from the packed tarballs.
import { designTranscript } from '../../../tools/workspace-checks/test/design-transcript';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

test('the transcript of docs/design.md ("CLI output"), exactly', async () => {
  const steps = designTranscript();
  expect(steps.map((step) => step.command.join(' '))).toEqual([
    'plugin install hello-world',
    'plugin enable hello-world',
    'plugin run hello-world hello',
    'plugin run hello-world greet Marathon',
    'plugin list',
  ]);
  const stderrs: string[] = [];
  for (const step of steps) {
    const outcome = await ws.ok(step.command);
    expect([step.command.join(' '), outcome.stdout]).toEqual([step.command.join(' '), step.stdout]);
    stderrs.push(outcome.stderr);
  }
  expect(steps.at(-1)!.stdout).toContain('Summary: 1 total, 1 enabled, 0 disabled, 0 errors\n');
  // The unsigned warning goes to stderr, where it does not disturb the transcript.
  expect(stderrs[0]).toContain('not signed');
  expect(stderrs.slice(1).join('')).toBe('');
});

test('a fresh install is disabled, and list filters by status', async () => {
  await ws.ok(['plugin', 'install', 'hello-world']);
  const list = await ws.ok(['plugin', 'list']);
  expect(list.stdout).toContain('hello-world          1.0.0      ⚪ disabled  A simple hello world plugin\n');
  expect(list.stdout).toContain('Summary: 1 total, 0 enabled, 1 disabled, 0 errors');
  expect((await ws.ok(['plugin', 'list', '--status', 'enabled'])).stdout).toContain('Summary: 0 total, 0 enabled, 0 disabled, 0 errors');
  expect((await ws.ok(['plugin', 'list', '--status', 'disabled'])).stdout).toContain('Summary: 1 total');
  const bad = await ws.run(['plugin', 'list', '--status', 'broken']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('enabled, disabled, error');
});

test('an empty home lists nothing and says what to do', async () => {
  const list = await ws.ok(['plugin', 'list']);
  expect(list.stdout).toContain('No plugins installed. Try: marathon plugin install hello-world');
  expect(list.stdout).toContain('Summary: 0 total, 0 enabled, 0 disabled, 0 errors');
});

test('--json shapes of list, install, enable, run and info', async () => {
  const install = JSON.parse((await ws.ok(['plugin', 'install', 'hello-world', '--json'])).stdout);
  expect(install).toMatchObject({ name: 'hello-world', version: '1.0.0', signature: 'unsigned', enabled: [] });
  expect(JSON.parse((await ws.ok(['plugin', 'enable', 'hello-world', '--json'])).stdout)).toEqual({ enabled: ['hello-world'] });
  const list = JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout);
  expect(list).toEqual({
    plugins: [
      {
        name: 'hello-world',
        version: '1.0.0',
        status: 'enabled',
        description: 'A simple hello world plugin',
        permissions: ['task_read'],
        signature: 'unsigned',
        source: { kind: 'search-path', spec: 'hello-world', location: expect.stringMatching(/example-plugins\/plugins\/hello-world$/) },
      },
    ],
    summary: { total: 1, enabled: 1, disabled: 0, errors: 0 },
  });
  expect(JSON.parse((await ws.ok(['plugin', 'run', 'hello-world', 'greet', 'Ada', '--json'])).stdout)).toEqual({
    plugin: 'hello-world',
    command: 'greet',
    output: 'Hello, Ada! Greetings from the hello-world plugin.',
  });
  const info = JSON.parse((await ws.ok(['plugin', 'info', 'hello-world', '--json'])).stdout);
  expect(info.plugin).toMatchObject({ name: 'hello-world', status: 'enabled', granted_permissions: ['task_read'], signature: 'unsigned' });
  expect(Array.isArray(info.metrics)).toBe(true);
});

test('info shows the manifest, permissions, signature, load times and hook metrics', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  await ws.prepare(['task', 'run', '--', process.execPath, '-e', '']);
  await ws.prepare(['task', 'run', '--', process.execPath, '-e', '']);
  const info = await ws.ok(['plugin', 'info', 'hello-world']);
  expect(info.stdout).toContain('Status:       ✅ enabled');
  expect(info.stdout).toContain('Permissions:  task_read');
  expect(info.stdout).toContain('Signature:    unsigned');
  expect(info.stdout).toMatch(/Load time: {4}[\d.]+ ms load, [\d.]+ ms init/);
  expect(info.stdout).toMatch(/post_task_execute +2 calls +100\.0% ok +p50 [\d.]+ ms +p95 [\d.]+ ms/);
  const json = JSON.parse((await ws.ok(['plugin', 'info', 'hello-world', '--json'])).stdout);
  expect(json.metrics[0]).toMatchObject({ plugin: 'hello-world', hook: 'post_task_execute', calls: 2, success_rate: 1 });
  expect(json.timings.load_ms).toBeGreaterThan(0);
});

test('plugin commands are oclif commands: <plugin>:<command>, <plugin> <command>, help and listing', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  expect((await ws.ok(['hello-world:greet', 'Marathon'])).stdout).toBe('Hello, Marathon! Greetings from the hello-world plugin.\n');
  expect((await ws.ok(['hello-world', 'greet', 'Ada'])).stdout).toBe('Hello, Ada! Greetings from the hello-world plugin.\n');
  expect(JSON.parse((await ws.ok(['hello-world:hello', '--json'])).stdout)).toEqual({
    plugin: 'hello-world',
    command: 'hello',
    output: 'Hello, World!',
  });
  const help = await ws.ok(['hello-world:greet', '--help']);
  expect(help.stdout).toContain('Greet someone');
  expect(help.stdout).toContain('$ marathon hello-world greet <name>');
  const root = await ws.ok(['--help']);
  expect(root.stdout).toMatch(/hello-world +A simple hello world plugin/);
  const commands = await ws.ok(['commands', '--json']);
  expect(JSON.parse(commands.stdout).map((command: { id: string }) => command.id)).toEqual(
    expect.arrayContaining(['hello-world:greet', 'hello-world:hello', 'plugin:list', 'task:run']),
  );
});

test('disabling a plugin removes its commands; enabling brings them back', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  expect((await ws.ok(['plugin', 'disable', 'hello-world'])).stdout).toBe("✅ Plugin 'hello-world' disabled successfully\n");
  const gone = await ws.run(['hello-world:hello']);
  expect(gone.code).not.toBe(0);
  // Gone from the command table; running one says why (issue 15), not oclif's "not found".
  expect(gone.stderr).toContain("plugin 'hello-world' is disabled: run marathon plugin enable hello-world");
  const viaRun = await ws.run(['plugin', 'run', 'hello-world', 'hello']);
  expect(viaRun.code).toBe(1);
  expect(viaRun.stderr).toContain('hello-world');
  expect(viaRun.stderr).toContain('marathon plugin enable hello-world');
  await ws.ok(['plugin', 'enable', 'hello-world']);
  expect((await ws.ok(['hello-world:hello'])).stdout).toBe('Hello, World!\n');
});

test('uninstall removes the plugin; a second uninstall says it is not installed', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  expect((await ws.ok(['plugin', 'uninstall', 'hello-world'])).stdout).toBe(
    "✅ Plugin 'hello-world' uninstalled successfully\nRemoved: its installed copy, its data folder and store\n",
  );
  expect((await ws.ok(['plugin', 'list'])).stdout).toContain('Summary: 0 total');
  const again = await ws.run(['plugin', 'uninstall', 'hello-world']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain("plugin 'hello-world' is not installed");
});

test('refresh lists what the search paths hold', async () => {
  const refresh = await ws.ok(['plugin', 'refresh']);
  expect(refresh.stdout).toMatch(/Discovered \d+ plugins? in the search paths:/);
  expect(refresh.stdout).toMatch(/hello-world +1\.0\.0/);
  const json = JSON.parse((await ws.ok(['plugin', 'refresh', '--json'])).stdout);
  expect(json.plugins.map((plugin: { name: string }) => plugin.name)).toContain('hello-world');
  expect(json.modified).toEqual([]);
});
