// Issue 13, part 8, through the real binary: plugin and dependency names that are also
// Object.prototype keys (`constructor`, `toString`, `__proto__`, …) gave raw TypeErrors, a false
// "disabled successfully" and "but undefined is installed". They must behave like any other name.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const noStackTrace = (text: string) => expect(text).not.toMatch(/TypeError|^\s+at .+:\d+:\d+\)?$/m);

function constructorPlugin(): string {
  return writePluginFolder(ws.plugins, {
    name: 'constructor',
    manifest: { description: 'The constructor plugin' },
    commands: [{ name: 'hello', description: 'Say hello' }],
    body: "{ commands: { hello: (ctx, args) => 'hello ' + args.join(' ') } }",
  });
}

test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
  "'plugin disable|enable|uninstall|info %s' with nothing of that name installed: not installed, nothing changed",
  async (name) => {
    const notInstalled = `❌ plugin '${name}' is not installed: see marathon plugin list\n`;
    for (const command of ['disable', 'enable', 'uninstall', 'info']) {
      const outcome = await ws.run(['plugin', command, name]);
      expect({ command, code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr }).toEqual({
        command,
        code: 1,
        stdout: '',
        stderr: notInstalled,
      });
    }
    const json = await ws.run(['plugin', 'disable', name, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'NOT_INSTALLED',
      message: `plugin '${name}' is not installed: see marathon plugin list`,
    });
    expect((await ws.ok(['plugin', 'list'])).stdout).toContain('Summary: 0 total');
  },
);

test("a plugin called 'constructor' installs, serves as a dependency, runs, and disables and uninstalls like any other", async () => {
  const dir = constructorPlugin();
  const dependent = writePluginFolder(ws.plugins, {
    name: 'needs-constructor',
    manifest: { dependencies: { constructor: '^1.0.0' } },
    body: '{}',
  });

  const missing = await ws.run(['plugin', 'install', dependent, '--yes']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(
    "❌ plugin 'needs-constructor' needs 'constructor' (^1.0.0), which is not installed: install it first, or install with --with-dependencies",
  );
  expect(missing.stderr).not.toContain('undefined');
  noStackTrace(missing.stderr);

  expect((await ws.ok(['plugin', 'install', dir, '--yes'])).stdout).toContain("✅ Plugin 'constructor' installed successfully");
  const again = await ws.run(['plugin', 'install', dir, '--yes']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(
    "❌ plugin 'constructor' 1.0.0 is already installed: use marathon plugin update constructor, or uninstall it first",
  );
  await ws.prepare(['plugin', 'install', dependent, '--yes']);
  expect((await ws.ok(['plugin', 'enable', 'needs-constructor'])).stdout).toBe(
    "✅ Plugin 'constructor' enabled successfully (needed by 'needs-constructor')\n✅ Plugin 'needs-constructor' enabled successfully\n",
  );

  const list = (await ws.ok(['plugin', 'list'])).stdout;
  expect(list).toMatch(/^constructor +1\.0\.0 +✅ enabled +The constructor plugin$/m);
  expect(list).toContain('Summary: 2 total, 2 enabled, 0 disabled, 0 errors');
  const info = (await ws.ok(['plugin', 'info', 'constructor'])).stdout;
  expect(info).toMatch(/^Name: +constructor$/m);
  expect(info).toMatch(/^Status: +✅ enabled$/m);
  expect(info).toMatch(/^Commands: +hello$/m);
  expect(info).toMatch(/^Load time: +\(not loaded yet\)$/m);
  expect((await ws.ok(['plugin', 'info', 'needs-constructor'])).stdout).toMatch(/^Dependencies: +constructor \^1\.0\.0$/m);
  expect((await ws.ok(['constructor', '--help'])).stdout).toContain('constructor hello  Say hello');
  expect((await ws.ok(['constructor', 'hello', 'world'])).stdout).toBe('hello world\n');

  const refused = await ws.run(['plugin', 'disable', 'constructor']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(
    "❌ plugin 'constructor' is needed by enabled plugin 'needs-constructor': disable it first, or use --cascade\n",
  );
  expect((await ws.ok(['plugin', 'disable', 'constructor', '--cascade'])).stdout).toBe(
    "✅ Plugin 'needs-constructor' disabled successfully (it depends on 'constructor')\n✅ Plugin 'constructor' disabled successfully\n",
  );
  await ws.prepare(['plugin', 'uninstall', 'needs-constructor']);
  expect((await ws.ok(['plugin', 'uninstall', 'constructor'])).stdout).toContain("✅ Plugin 'constructor' uninstalled successfully");
  expect((await ws.ok(['plugin', 'list'])).stdout).toContain('Summary: 0 total');
  const gone = await ws.run(['plugin', 'disable', 'constructor']);
  expect({ code: gone.code, stdout: gone.stdout, stderr: gone.stderr }).toEqual({
    code: 1,
    stdout: '',
    stderr: "❌ plugin 'constructor' is not installed: see marathon plugin list\n",
  });
});

test("a recorded dependency named 'toString' that is not installed is reported missing by name", async () => {
  // plugin.json refuses capital letters in names today; a state.json from elsewhere may still hold one.
  await ws.prepare(['plugin', 'install', writePluginFolder(ws.plugins, { name: 'needs-tostring', body: '{}' }), '--yes']);
  const file = join(ws.home, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  state.plugins['needs-tostring'].manifest.dependencies = { toString: '^1.0.0' };
  writeFileSync(file, JSON.stringify(state, null, 2));

  const enable = await ws.run(['plugin', 'enable', 'needs-tostring']);
  expect(enable.code).toBe(1);
  expect(enable.stderr).toBe(
    "❌ plugin 'needs-tostring' needs 'toString' (^1.0.0), which is not installed: install it first, or install with --with-dependencies\n",
  );
  expect((await ws.ok(['plugin', 'list'])).stdout).toMatch(/^needs-tostring +1\.0\.0 +⚪ disabled /m);
});
