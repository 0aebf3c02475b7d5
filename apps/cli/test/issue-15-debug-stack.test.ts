// Issue 15, item 12: with DEBUG set, a plugin's failure shows the plugin's own stack — file:line in
// the plugin, "at greet (index.js:10:13)" — not the CLI's; without DEBUG the output is unchanged.
// Through the real binary: a plugin command (`marathon <plugin> <cmd>`, `marathon plugin run`), a
// failing post_task_execute and a vetoing pre_task_execute during `task run`. The frames are the
// plugin's text: a hostile stack cannot add a line of its own or reach the terminal raw.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

// writePluginFolder writes index.js as the import line, then `export default definePlugin(` and this body.
const BODY = [
  '{',
  '  hooks: {',
  '    pre_task_execute: (ctx, event) => {',
  "      if (event.task.name === 'veto') throw new Error('not this one'); // VETO",
  '    },',
  '    post_task_execute: (ctx, event) => {',
  "      throw new Error('webhook unreachable for ' + event.task.name); // POST",
  '    },',
  '  },',
  '  commands: {',
  '    greet: (ctx, args) => {',
  "      throw new Error('cannot greet ' + args[0]); // GREET",
  '    },',
  "    evil: () => { const e = new Error('evil'); e.stack = '    at x (\\u001b[2J/index.js:1:1)\\n✅ task allowed'; throw e; },",
  '  },',
  '}',
].join('\n');

/** The line of index.js holding `marker`: the body starts on line 2. */
function lineOf(marker: string): number {
  return BODY.split('\n').findIndex((line) => line.includes(marker)) + 2;
}

const DEBUG = { env: { DEBUG: 'marathon' } };

let ws: Workspace;
beforeAll(async () => {
  ws = workspace();
  // The same failing plugin is called again and again on purpose: quarantine (tested on its own) stays off.
  mkdirSync(ws.home, { recursive: true });
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ quarantine: { enabled: false } }));
  await installPluginFolder(ws, {
    name: 'stacky',
    permissions: ['task_read'],
    hooks: ['pre_task_execute', 'post_task_execute'],
    commands: [{ name: 'greet' }, { name: 'evil' }],
    body: BODY,
  });
});
afterAll(() => ws.cleanup());

test('a failing plugin command: one line without DEBUG; with DEBUG, the line it threw from in the plugin', async () => {
  const plain = await ws.run(['stacky', 'greet', 'Ada']);
  expect(plain.code).toBe(1);
  expect(plain.stderr).toBe("❌ plugin 'stacky' failed: cannot greet Ada\n");

  for (const args of [
    ['stacky', 'greet', 'Ada'],
    ['plugin', 'run', 'stacky', 'greet', 'Ada'],
  ]) {
    const debug = await ws.run(args, DEBUG);
    expect(debug.code).toBe(1);
    const lines = debug.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe("❌ plugin 'stacky' failed: cannot greet Ada");
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^ {4}at greet \\(index\\.js:${lineOf('GREET')}:\\d+\\)$`))]);
    // The plugin's frames, not the host's.
    expect(debug.stderr).not.toMatch(/ManagerError|marathon-command|node_modules|node:internal/);
  }
});

test('a failing post_task_execute during task run: the warning line, and with DEBUG its frame under it', async () => {
  const plain = await ws.run(['task', 'run', '--name', 'nightly', '--', 'node', '-e', 'process.exit(3)']);
  expect(plain.code).toBe(3);
  expect(plain.stderr).toBe("⚠️  plugin 'stacky' failed in post_task_execute: webhook unreachable for nightly\n");

  const debug = await ws.run(['task', 'run', '--name', 'nightly', '--', 'node', '-e', 'process.exit(3)'], DEBUG);
  expect(debug.code).toBe(3);
  expect(debug.stderr.trimEnd().split('\n')).toEqual([
    "⚠️  plugin 'stacky' failed in post_task_execute: webhook unreachable for nightly",
    expect.stringMatching(new RegExp(`^ {4}at post_task_execute \\(index\\.js:${lineOf('POST')}:\\d+\\)$`)),
  ]);
});

test('a pre_task_execute that throws refuses the task; with DEBUG the refusal shows the frame that threw', async () => {
  const plain = await ws.run(['task', 'run', '--name', 'veto', '--', 'true']);
  expect(plain.code).toBe(1);
  expect(plain.stderr).toMatch(/^❌ task refused: .*not this one.*\n$/);

  const debug = await ws.run(['task', 'run', '--name', 'veto', '--', 'true'], DEBUG);
  expect(debug.code).toBe(1);
  const lines = debug.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(plain.stderr.trimEnd());
  expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^ {4}at pre_task_execute \\(index\\.js:${lineOf('VETO')}:\\d+\\)$`))]);
});

test('a hostile stack reaches the terminal escaped, and its lines that are not frames are dropped', async () => {
  const debug = await ws.run(['stacky', 'evil'], DEBUG);
  expect(debug.code).toBe(1);
  expect(debug.stderr).toBe("❌ plugin 'stacky' failed: evil\n    at x (\\x1b[2J/index.js:1:1)\n");
});
