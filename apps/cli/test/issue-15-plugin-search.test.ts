// Issue 15, items 3 and 13: `plugin search` on a registry holding hundreds of packages finds every
// plugin (it asked for `limit` results and kept the plugins among them: on a registry with an
// uplink 2 of 5 were shown, and `--limit 2` found none), and the name it lists installs: a plain
// name is looked up in the search paths, so the refusal and the search output say `npm:<name>`.
// A real Verdaccio: five plugins packed by the CLI and published with the real `npm publish`, and
// 600 other packages. One of those is published through the registry's publish API (the request
// `npm publish` sends); the other 599 are copies of the folder Verdaccio stored for it, renamed, in
// its storage: Verdaccio's search reads that storage folder by folder on every query, so it finds
// them as it finds a published package, and 600 publishes through Verdaccio took 30 s to 2 min.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@marathon/test-registry';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

const PLUGINS = ['build-notifier', 'chat-notifier', 'mail-notifier', 'page-notifier', 'sms-notifier'];
const OTHERS = 600;

let registry: TestRegistry;
let ws: Workspace;

/** Publishes a package that is no plugin, as `npm publish` does: one PUT of the packument with the tarball attached. */
async function publishPlain(name: string): Promise<void> {
  const tarball = gzipSync(Buffer.alloc(1024)); // an empty tar archive: what it holds does not matter to search
  const version = '1.0.0';
  const file = `${name}-${version}.tgz`;
  const manifest = { name, version, description: 'A notifier library, not a Marathon plugin', keywords: ['notifier'] };
  const body = {
    _id: name,
    name,
    description: manifest.description,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: {
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          tarball: `${registry.url}/${name}/-/${file}`,
        },
      },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  const response = await fetch(`${registry.url}/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: 'Bearer anonymous' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`publishing ${name} failed: ${response.status} ${await response.text()}`);
}

/** Stores `name` in Verdaccio's storage as a copy of the stored `from`: its packument and tarball, every mention of `from` renamed. */
function copyStoredPackage(from: string, name: string): void {
  const source = join(registry.root, 'storage', from);
  const target = join(registry.root, 'storage', name);
  mkdirSync(target);
  for (const file of readdirSync(source)) {
    const renamed = file.split(from).join(name);
    if (file === 'package.json') writeFileSync(join(target, renamed), readFileSync(join(source, file), 'utf8').split(from).join(name));
    else writeFileSync(join(target, renamed), readFileSync(join(source, file)));
  }
}

beforeAll(async () => {
  registry = await startRegistry();
  ws = workspace();
  const started = Date.now();
  const names = Array.from({ length: OTHERS }, (_, index) => `notifier-lib-${String(index).padStart(3, '0')}`);
  const [first, ...copies] = names;
  await publishPlain(first!);
  for (const name of copies) copyStoredPackage(first!, name);
  for (const name of PLUGINS) {
    const dir = writePluginFolder(join(ws.root, 'sources'), {
      name,
      commands: [{ name: 'ping' }],
      body: `{ commands: { ping: () => '${name} pong' } }`,
    });
    const packed = await ws.prepare(['plugin', 'pack', dir, '--output', join(ws.root, 'out'), '--json']);
    registry.publish(JSON.parse(packed.stdout).file);
  }
  // Kept in view: the whole set-up should stay well under a minute.
  process.stderr.write(`registry with ${OTHERS + PLUGINS.length} packages ready in ${Date.now() - started} ms\n`);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  ws?.cleanup();
});

const env = () => ({ MARATHON_REGISTRY: registry.url });
const search = async (args: string[]) =>
  JSON.parse((await ws.ok(['plugin', 'search', ...args, '--json'], { env: env() })).stdout) as {
    results: Array<{ name: string; install: string }>;
  };

test('the registry really holds hundreds of packages, plugins among them', async () => {
  const all = (await (await fetch(`${registry.url}/-/v1/search?text=notifier&size=1000`)).json()) as { objects: unknown[] };
  expect(all.objects.length).toBe(OTHERS + PLUGINS.length);
});

test('finds every plugin, with or without words, and --limit caps the plugins found, not the packages looked at', async () => {
  expect((await search([])).results.map((result) => result.name).sort()).toEqual(PLUGINS);
  expect((await search(['notifier'])).results.map((result) => result.name).sort()).toEqual(PLUGINS);
  const two = (await search(['notifier', '--limit', '2'])).results;
  expect(two).toHaveLength(2);
  for (const result of two) expect(PLUGINS).toContain(result.name);
  expect((await search(['sms'])).results.map((result) => result.name)).toEqual(['sms-notifier']);
  expect((await search(['nothing-is-called-this'])).results).toEqual([]);
});

test('the search output shows how to install what it lists, and that command works', async () => {
  const shown = (await ws.ok(['plugin', 'search', 'build'], { env: env() })).stdout;
  expect(shown).toMatch(/^build-notifier +1\.0\.0 +The build-notifier test plugin$/m);
  expect(shown).toContain('Install with: marathon plugin install npm:<name>, e.g. marathon plugin install npm:build-notifier');
  expect((await search(['build'])).results[0]?.install).toBe('marathon plugin install npm:build-notifier');

  // What an operator types next, from the list: a plain name is looked up in the search paths.
  const refused = await ws.run(['plugin', 'install', 'build-notifier'], { env: env() });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("no plugin named 'build-notifier' in the search paths");
  expect(refused.stderr).toContain('to install it from the npm registry: marathon plugin install npm:build-notifier');
  await ws.ok(['plugin', 'install', 'npm:build-notifier', '--enable'], { env: env() });
  expect((await ws.ok(['build-notifier', 'ping'], { env: env() })).stdout).toBe('build-notifier pong\n');
});
