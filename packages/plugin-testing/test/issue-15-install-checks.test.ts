// Issue 15 (10): a plugin's tests passed while `marathon plugin install` refused it. loadPlugin now
// runs the install-time trust gate first (the installer's own inspectPlugin), so tests fail where
// install would — with install's words.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY, inspectPlugin } from '@marathon/security/trust';
import { loadPlugin, PluginTestError } from '@marathon/plugin-testing';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-install-checks-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function plugin(name: string, code: string, extra: Record<string, string> = {}): string {
  const dir = join(root, name);
  cpSync(join(__dirname, 'fixtures', 'kit-demo'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({ name, version: '1.0.0', api_version: '1.0.0', permissions: [], hooks: [], commands: [{ name: 'where' }] }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\n${code}\nexport default definePlugin({ commands: { where: () => place } });\n`,
  );
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return dir;
}

async function refusal(dir: string, force = false): Promise<PluginTestError> {
  const error = await loadPlugin(dir, { force }).then(
    async (loaded) => {
      await loaded.close();
      throw new Error('expected loadPlugin to refuse the folder');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PluginTestError);
  return error as PluginTestError;
}

test('a plugin install refuses fails its tests too, with the refusals install gives', async () => {
  const dir = plugin('host-peeker', 'const place = process.env.HOME;', { 'notes.ts': 'export {};' });
  const error = await refusal(dir);
  expect(error.code).toBe('INSTALL_REFUSED');
  const install = await inspectPlugin(dir, { policy: DEFAULT_POLICY, trustedKeys: new Map(), source: 'folder' });
  expect(install.decision.allowed).toBe(false);
  expect(error.details).toEqual(install.decision.refusals);
  expect(error.details).toEqual([
    expect.stringMatching(/^notes\.ts: files of this kind are not allowed/),
    "index.js:2:15 process: refers to process, the host's process object (use --force to install anyway)",
  ]);
  expect(error.message.split('\n')[0]).toBe('host-peeker would be refused by marathon plugin install:');
});

test('force loads past scanner findings, as install --force installs them; file rules still apply', async () => {
  const dir = plugin('host-peeker', 'const place = typeof process;\nconst home = () => process.env.HOME;');
  const loaded = await loadPlugin(dir, { force: true });
  try {
    expect(await loaded.command('where')).toBe('undefined');
  } finally {
    await loaded.close();
  }
  writeFileSync(join(dir, 'notes.ts'), 'export {};');
  expect((await refusal(dir, true)).details).toEqual([expect.stringMatching(/^notes\.ts: files of this kind are not allowed/)]);
});

test("a bundler's typeof guard passes both install and the tests", async () => {
  const dir = plugin('bundled', 'const place = typeof process !== "undefined" ? "node" : "sandbox";');
  const loaded = await loadPlugin(dir);
  try {
    expect(await loaded.command('where')).toBe('sandbox');
  } finally {
    await loaded.close();
  }
});

test('a plugin for a plugin API this host does not have fails its tests as install refuses it (API_INCOMPATIBLE)', async () => {
  const dir = plugin('from-the-future', "const place = 'here';");
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name: 'from-the-future',
      version: '1.0.0',
      api_version: '2.0.0',
      permissions: [],
      hooks: [],
      commands: [{ name: 'where' }],
    }),
  );
  const install = await inspectPlugin(dir, { policy: DEFAULT_POLICY, trustedKeys: new Map(), source: 'folder' });
  expect(install.apiIncompatible).toMatch(/from-the-future/);
  const error = await refusal(dir);
  expect(error.code).toBe('INSTALL_REFUSED');
  expect(error.details).toEqual([install.apiIncompatible]);
});
