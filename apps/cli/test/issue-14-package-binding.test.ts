// Issue 14 (6): what was installed was not bound to what was asked for. Registry metadata 1.0.0
// with a tarball saying 2.0.0 installed 2.0.0; `npm:squatter` installed a plugin `victim` over the
// real one; a tarball without package.json passed; metadata naming another package made Marathon
// fetch that one. Now the name asked for and the version the registry resolved, the tarball's
// package.json and its plugin.json must agree, or nothing is installed and all three are shown.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarball, pluginFiles, startFakeRegistry, type FakeRegistry } from './fake-registry';
import { workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let registry: FakeRegistry;
let ws: Workspace;

beforeAll(async () => {
  registry = await startFakeRegistry();
  registry.publish('good', '1.0.0', makeTarball(pluginFiles('good', '1.0.0')));
  registry.publish('@acme/tool', '1.0.0', makeTarball(pluginFiles('@acme/tool', '1.0.0')));
  // Listed as 1.0.0, holds 2.0.0 (package.json and plugin.json agreeing with each other).
  registry.publish('liar', '1.0.0', makeTarball(pluginFiles('liar', '2.0.0')));
  // `npm:squatter` holding a plugin named `victim`.
  registry.publish('squatter', '1.0.0', makeTarball(pluginFiles('victim', '1.0.0')));
  // A package.json naming the package, and a plugin.json naming another plugin.
  registry.publish(
    'twofaced',
    '1.0.0',
    makeTarball(pluginFiles('twofaced', '1.0.0', { manifest: { name: 'victim' }, pkg: { name: 'twofaced' } })),
  );
  // No package.json at all.
  registry.publish('bare', '1.0.0', makeTarball(pluginFiles('bare', '1.0.0', { pkg: null })));
  // Metadata for `other` that says it is `victim`: Marathon must not go and fetch `victim`.
  registry.publish('other', '1.0.0', makeTarball(pluginFiles('other', '1.0.0')), { name: 'victim' });
  registry.publish('victim', '1.0.0', makeTarball(pluginFiles('victim', '1.0.0')));
  // A tarball whose files are not under one top folder: which package.json is meant is unclear.
  registry.publish('scattered', '1.0.0', makeTarball(pluginFiles('scattered', '1.0.0'), ''));
});

afterAll(async () => {
  await registry?.stop();
});

beforeEach(() => {
  ws = workspace();
  registry.requests.length = 0;
});
afterEach(() => ws.cleanup());

const env = () => ({ MARATHON_REGISTRY: registry.url });
const installed = () => (existsSync(join(ws.home, 'installed')) ? readdirSync(join(ws.home, 'installed')).sort() : []);
const install = (spec: string): Promise<Outcome> => ws.run(['plugin', 'install', spec, '--json', '--yes'], { env: env() });

function refusal(outcome: Outcome): { code: string; message: string } {
  expect(outcome.code).toBe(1);
  return JSON.parse(outcome.stdout).error;
}

describe('the installed package is the one asked for', () => {
  test('a consistent package installs, scoped names included (a plugin is named as its package)', async () => {
    expect((await install('good@1.0.0')).code).toBe(0);
    expect((await install('npm:@acme/tool@^1')).code).toBe(0);
    const plugins = JSON.parse((await ws.ok(['plugin', 'list', '--json'], { env: env() })).stdout).plugins;
    expect(plugins.map((plugin: { name: string; version: string }) => `${plugin.name}@${plugin.version}`).sort()).toEqual([
      '@acme/tool@1.0.0',
      'good@1.0.0',
    ]);
  });

  test('metadata 1.0.0 with a tarball saying 2.0.0 is refused, all three shown', async () => {
    const error = refusal(await install('liar@1.0.0'));
    expect(error.code).toBe('NOT_A_PLUGIN');
    expect(error.message).toContain('fetched from the registry as liar@1.0.0 but says it is liar@2.0.0');
    expect(error.message).toContain('registry: liar@1.0.0, package.json: liar@2.0.0, plugin.json: liar@2.0.0');
    expect(installed()).toEqual([]);
  });

  test('npm:squatter holding plugin victim is refused, and an installed victim is left alone', async () => {
    const victim = writePluginFolder(ws.plugins, { name: 'victim', body: '{}' });
    await ws.ok(['plugin', 'install', victim], { env: env() });
    const before = installed();
    const error = refusal(await install('npm:squatter'));
    expect(error.message).toContain('registry: squatter@1.0.0, package.json: victim@1.0.0, plugin.json: victim@1.0.0');
    expect(installed()).toEqual(before);
    const info = JSON.parse((await ws.ok(['plugin', 'info', 'victim', '--json'], { env: env() })).stdout).plugin;
    expect(info.source.kind).toBe('folder');
  });

  test('a plugin.json naming another plugin than its package.json is refused', async () => {
    const error = refusal(await install('twofaced@1.0.0'));
    expect(error.message).toContain("package.json is named 'twofaced' but plugin.json 'victim'");
    expect(error.message).toContain('registry: twofaced@1.0.0, package.json: twofaced@1.0.0, plugin.json: victim@1.0.0');
    expect(installed()).toEqual([]);
  });

  test('a tarball without package.json is refused', async () => {
    const error = refusal(await install('bare@1.0.0'));
    expect(error.code).toBe('NOT_A_PLUGIN');
    expect(error.message).toContain('it has no package.json');
    expect(error.message).toContain('package.json: (none)');
    expect(installed()).toEqual([]);
  });

  test('metadata naming another package is refused, and that package is never fetched', async () => {
    const error = refusal(await install('other@1.0.0'));
    expect(error.message).toContain('answered \'other@1.0.0\' with the metadata of another package, "victim"');
    expect(registry.requests.map((request) => request.url)).toEqual(['/other']);
    expect(installed()).toEqual([]);
  });

  test('a tarball without a single top folder is refused', async () => {
    const error = refusal(await install('scattered@1.0.0'));
    expect(error.message).toContain('holds one top folder');
    expect(installed()).toEqual([]);
  });
});
