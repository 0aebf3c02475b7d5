// Issue 15, item 5: `plugin dev` printed "🔄 Reloaded" after a build that could not load, and the
// plugin then stayed in error after the next good build (still printing "Reloaded"). And the
// commands of a plugin that is disabled or in error gave oclif's `command greeter:greet:Ada not
// found` (the argument glued into the id) instead of saying why; an unknown command of an enabled
// plugin should list its commands, as `plugin run` does. All through the real binary, with
// `plugin dev` running as the author runs it, in a second process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let dev: ChildProcessWithoutNullStreams | undefined;
let devOut = '';
let devErr = '';

beforeEach(() => {
  ws = workspace();
});
afterEach(async () => {
  if (dev !== undefined && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev!.once('exit', resolve));
    dev.kill('SIGINT');
    await exited;
  }
  dev = undefined;
  ws.cleanup();
});

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}; plugin dev printed:\n${devOut}${devErr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const build = (body: string) => `import { definePlugin } from '@marathon/plugin-api';\n${body}\n`;
const count = (text: string, part: string) => text.split(part).length - 1;

test('a bad build is reported, not "Reloaded"; the next good build really reloads and enables it again', async () => {
  const folder = writePluginFolder(ws.plugins, {
    name: 'greeter',
    commands: [{ name: 'greet' }],
    body: "{ commands: { greet: (ctx, args) => 'hello ' + args.join(' ') } }",
  });
  dev = spawn(process.execPath, [BINARY, 'plugin', 'dev', folder, '--yes'], {
    cwd: ws.root,
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1' },
  });
  devOut = '';
  devErr = '';
  dev.stdout.setEncoding('utf8').on('data', (chunk: string) => (devOut += chunk));
  dev.stderr.setEncoding('utf8').on('data', (chunk: string) => (devErr += chunk));
  await until('the watcher', () => devOut.includes('👀 Watching'));
  expect((await ws.ok(['greeter', 'greet', 'Ada'])).stdout).toBe('hello Ada\n');

  // A build that parses (install accepts it) but throws when it loads.
  writeFileSync(
    join(folder, 'index.js'),
    build("throw new Error('broken build');\nexport default definePlugin({ commands: { greet: () => 'never' } });"),
  );
  await until('the bad build to be reported', () => devErr.includes('broken build'));
  expect(devErr).toContain("❌ plugin 'greeter' failed to load: Error: broken build");
  expect(devOut).not.toContain('Reloaded');

  // Its commands say why they do not run, instead of oclif's "command greeter:greet:Ada not found".
  const inError = await ws.run(['greeter', 'greet', 'Ada']);
  expect(inError.code).toBe(1);
  expect(inError.stderr).toContain(
    "plugin 'greeter' is in error (plugin 'greeter' failed to load: Error: broken build): run marathon plugin enable greeter",
  );
  expect(inError.stderr).not.toContain('not found');
  const asJson = await ws.run(['greeter', 'greet', 'Ada', '--json']);
  expect(asJson.code).toBe(1);
  expect(JSON.parse(asJson.stdout).error.code).toBe('NOT_ENABLED');

  writeFileSync(
    join(folder, 'index.js'),
    build("export default definePlugin({ commands: { greet: (ctx, args) => 'hi ' + args.join(' ') } });"),
  );
  await until('the good build to reload', () => devOut.includes('🔄 Reloaded'));
  expect(count(devOut, '🔄 Reloaded')).toBe(1);
  expect((await ws.ok(['greeter', 'greet', 'Ada'])).stdout).toBe('hi Ada\n');
  expect(JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout).plugins[0]).toMatchObject({ name: 'greeter', status: 'enabled' });

  // And another good build: reloaded again, the new code runs.
  writeFileSync(
    join(folder, 'index.js'),
    build("export default definePlugin({ commands: { greet: (ctx, args) => 'hey ' + args.join(' ') } });"),
  );
  await until('the second good build to reload', () => count(devOut, '🔄 Reloaded') === 2);
  expect((await ws.ok(['greeter', 'greet', 'Ada'])).stdout).toBe('hey Ada\n');
});

test('commands of a disabled plugin say so; an unknown command of an enabled one lists its commands', async () => {
  writePluginFolder(ws.plugins, {
    name: 'greeter',
    commands: [{ name: 'greet' }, { name: 'wave' }],
    body: "{ commands: { greet: () => 'hello', wave: () => 'o/' } }",
  });
  await ws.prepare(['plugin', 'install', join(ws.plugins, 'greeter'), '--enable']);

  const unknown = await ws.run(['greeter', 'gret', 'Ada']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("plugin 'greeter' has no command 'gret' (did you mean 'greet'?); its commands: greet, wave");

  await ws.prepare(['plugin', 'disable', 'greeter']);
  for (const line of [['greeter', 'greet', 'Ada'], ['greeter', 'greet'], ['greeter:greet'], ['greeter']]) {
    const disabled = await ws.run(line);
    expect({ line, code: disabled.code }).toEqual({ line, code: 1 });
    expect(disabled.stderr).toContain("plugin 'greeter' is disabled: run marathon plugin enable greeter");
  }

  // A name that is no installed plugin keeps oclif's own answer.
  const other = await ws.run(['nosuch', 'thing']);
  expect(other.code).toBe(2);
  expect(other.stderr).toContain('command nosuch:thing not found');
});
