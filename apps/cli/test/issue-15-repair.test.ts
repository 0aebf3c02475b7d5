// Issue 15 (6) through the binary: once tampering was detected, reinstalling said "already
// installed" and update said "up to date" — no way back. `plugin repair` is the way back, and
// every message about a changed copy names it.
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const installedIndex = (): string => join(ws.home, 'installed', readdirSync(join(ws.home, 'installed'))[0]!, 'index.js');

test('tamper → refused with the way back → repair → works again; a second repair has nothing to do', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'mender', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'hi' } }` });
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  expect((await ws.ok(['mender', 'hi'])).stdout).toBe('hi\n');
  appendFileSync(installedIndex(), '\n// tampered\n');

  const refused = await ws.run(['mender', 'hi']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("plugin 'mender' was modified after install: index.js was changed; run marathon plugin repair mender");
  const verify = await ws.run(['plugin', 'verify', 'mender']);
  expect(verify.stdout).toContain('index.js was changed; run marathon plugin repair mender');
  // The old dead ends now point at the way back.
  const again = await ws.run(['plugin', 'install', dir]);
  expect(again.stderr).toContain('marathon plugin repair mender restores its files');
  const update = await ws.ok(['plugin', 'update', 'mender']);
  expect(update.stdout).toContain("✅ Plugin 'mender' is up to date (1.0.0)");
  expect(update.stderr).toContain(
    "⚠️  mender is in error: plugin 'mender' was modified after install: index.js was changed; run marathon plugin repair mender",
  );

  const repaired = await ws.ok(['plugin', 'repair', 'mender']);
  expect(repaired.stdout).toBe(`✅ Plugin 'mender' 1.0.0 repaired from the folder ${dir} (enabled)\n`);
  expect((await ws.ok(['mender', 'hi'])).stdout).toBe('hi\n');
  expect((await ws.ok(['plugin', 'verify', 'mender'])).stdout).toMatch(/mender +files unchanged/);

  const nothing = JSON.parse((await ws.ok(['plugin', 'repair', 'mender', '--json'])).stdout) as {
    repaired: boolean;
    status: string;
    message: string;
  };
  expect(nothing).toEqual({
    name: 'mender',
    version: '1.0.0',
    repaired: false,
    status: 'enabled',
    message: "plugin 'mender' 1.0.0 has its files as installed: nothing to repair",
  });
});

test('repair when the recorded source is gone says so and what to do; the plugin is left as it was', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'orphan', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'hi' } }` });
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  appendFileSync(installedIndex(), '\n// tampered\n');
  rmSync(dir, { recursive: true });
  const outcome = await ws.run(['plugin', 'repair', 'orphan', '--json']);
  expect(outcome.code).toBe(1);
  const { error } = JSON.parse(outcome.stdout) as { error: { code: string; message: string } };
  expect(error.code).toBe('SOURCE_GONE');
  expect(error.message).toBe(
    `plugin 'orphan' cannot be repaired: it was installed from the folder ${dir}, which is ` +
      `gone (no such file or folder: ${dir}); install it from where it is now with marathon ` +
      `plugin update orphan <source> --allow-source-change (its settings and data are kept)`,
  );
  const missing = await ws.run(['plugin', 'repair', 'orphn']);
  expect(missing.stderr).toContain("plugin 'orphn' is not installed (did you mean 'orphan'?)");
});
