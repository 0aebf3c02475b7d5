// npm distribution against a real registry: Verdaccio on 127.0.0.1, started here, published to
// with `marathon plugin pack` + the real `npm publish`. Install, search, update, pack, export and
// sync, and each bad input: a clear error, and nothing changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@marathon/test-registry';
import { workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let registry: TestRegistry;
let token: string;
let sources: Workspace;
const examples = join(__dirname, '..', '..', 'example-plugins', 'plugins');

/** Packs a generated plugin with the real CLI and publishes the tarball. */
async function publish(
  name: string,
  version: string,
  extra: { permissions?: string[]; manifest?: Record<string, unknown>; token?: string } = {},
): Promise<void> {
  const parent = join(sources.root, `${name.replace('/', '_')}-${version}`);
  const dir = writePluginFolder(parent, {
    name,
    permissions: extra.permissions ?? ['task_read'],
    commands: [{ name: 'version' }],
    manifest: { version, ...extra.manifest },
    body: `{ commands: { version: () => '${name} ${version}' } }`,
  });
  const packed = await sources.prepare(['plugin', 'pack', dir, '--output', join(sources.root, 'out'), '--json']);
  registry.publish(JSON.parse(packed.stdout).file, extra.token === undefined ? {} : { token: extra.token });
}

beforeAll(async () => {
  registry = await startRegistry({ privateScopes: ['@private'] });
  token = await registry.addUser('ops', 'fleet-password-1');
  sources = workspace();
  await publish('notes', '1.0.0');
  await publish('notes', '1.1.0', {
    permissions: ['task_read', 'network'],
    manifest: { network: { allowed_hosts: ['notes.example.com'] } },
  });
  await publish('notes', '2.0.0', { manifest: { api_version: '2.0.0' } });
  await publish('base', '1.0.0');
  await publish('base', '1.1.0');
  await publish('base', '2.0.0');
  await publish('dependent', '1.0.0', { manifest: { dependencies: { base: '^1.0.0' } } });
  await publish('@private/secret-plugin', '1.0.0', { token });
  // Two packages that are not what a plugin package must be, published as they are.
  const plain = join(sources.root, 'plain');
  mkdirSync(plain);
  writeFileSync(join(plain, 'package.json'), JSON.stringify({ name: 'not-a-plugin', version: '1.0.0', keywords: ['marathon-plugin'] }));
  writeFileSync(join(plain, 'index.js'), 'module.exports = 1;\n');
  const mismatch = writePluginFolder(join(sources.root, 'mismatch'), { name: 'mismatch', body: '{}' });
  writeFileSync(join(mismatch, 'package.json'), JSON.stringify({ name: 'mismatch', version: '1.0.1' }));
  // The folders published as they are go out with one npm process (npm's start-up is most of a publish).
  registry.publishMany([...['hello-world', 'task-audit-log', 'task-policy'].map((example) => join(examples, example)), plain, mismatch]);
}, 240_000);

afterAll(async () => {
  await registry?.stop();
  sources?.cleanup();
});

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const env = () => ({ MARATHON_REGISTRY: registry.url });
const marathon = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Outcome> => ws.run(args, { env: { ...env(), ...extra } });
async function ok(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const outcome = await marathon(args, extra);
  if (outcome.code !== 0) throw new Error(`marathon ${args.join(' ')} exited ${outcome.code}:\n${outcome.stderr}${outcome.stdout}`);
  return outcome;
}
/** A set-up step (see Workspace.prepare) against the test registry. */
const prepare = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Outcome> => ws.prepare(args, { env: { ...env(), ...extra } });
const installed = () => (existsSync(join(ws.home, 'installed')) ? readdirSync(join(ws.home, 'installed')).sort() : []);
const listed = async () =>
  JSON.parse((await ok(['plugin', 'list', '--json'])).stdout).plugins.map(
    (plugin: { name: string; version: string; status: string }) => `${plugin.name}@${plugin.version}:${plugin.status}`,
  );

describe('install from the registry', () => {
  test('a name@range spec, and a bare name with npm:', async () => {
    expect((await ok(['plugin', 'install', 'hello-world@^1', '--enable'])).stdout).toContain(
      "✅ Plugin 'hello-world' installed successfully",
    );
    expect((await ok(['hello-world', 'greet', 'Fleet'])).stdout).toBe('Hello, Fleet! Greetings from the hello-world plugin.\n');
    const info = JSON.parse((await ok(['plugin', 'info', 'hello-world', '--json'])).stdout).plugin;
    expect(info.source).toEqual({ kind: 'npm', spec: 'hello-world@1.0.0', integrity: expect.stringMatching(/^sha512-/) });
    // npm's latest (2.0.0) needs plugin API 2: a bare name takes the newest version this host runs.
    await ok(['plugin', 'install', 'npm:notes', '--yes']);
    expect(await listed()).toEqual(['hello-world@1.0.0:enabled', 'notes@1.1.0:disabled']);
    // An explicit version is taken as given — and refused when this host cannot run it.
    const explicit = await marathon(['plugin', 'install', 'notes@2.0.0', '--json']);
    expect(explicit.code).toBe(1);
    expect(JSON.parse(explicit.stdout).error).toMatchObject({ code: 'API_INCOMPATIBLE' });
  });

  test('--registry beats MARATHON_REGISTRY, and a scoped registry with a token from .npmrc works', async () => {
    await ok(['plugin', 'install', 'notes@1.0.0', '--registry', registry.url], { MARATHON_REGISTRY: 'http://127.0.0.1:9/' });
    const refused = await marathon(['plugin', 'install', '@private/secret-plugin@1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused access');
    expect(refused.stderr).toContain('auth token');
    const port = new URL(registry.url).port;
    writeFileSync(join(ws.root, '.npmrc'), `@private:registry=${registry.url}/\n//127.0.0.1:${port}/:_authToken=\${FLEET_TOKEN}\n`);
    const done = await ok(['plugin', 'install', '@private/secret-plugin@1'], {
      MARATHON_REGISTRY: 'http://127.0.0.1:9/',
      FLEET_TOKEN: token,
    });
    expect(done.stdout).toContain("✅ Plugin '@private/secret-plugin' installed successfully");
    // The token never shows, not even when the registry refuses it.
    const wrong = await marathon(['plugin', 'install', '@private/secret-plugin@1', '--json'], { FLEET_TOKEN: `${token}x` });
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain(token);
  });

  test.each([
    ['an unknown package', 'no-such-plugin@1', 'PACKAGE_NOT_FOUND', "no package 'no-such-plugin'"],
    ['a range nothing matches', 'notes@^9', 'PACKAGE_NOT_FOUND', "no version of 'notes'"],
    ['a package without plugin.json', 'not-a-plugin@1', 'NOT_A_PLUGIN', 'has no plugin.json at its root'],
    [
      'package.json and plugin.json disagreeing',
      'mismatch@1.0.1',
      'NOT_A_PLUGIN',
      'package.json says version 1.0.1 but plugin.json says 1.0.0',
    ],
  ])('%s is refused, and nothing is installed', async (_what, spec, code, message) => {
    const outcome = await marathon(['plugin', 'install', spec, '--json']);
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(installed()).toEqual([]);
    expect(existsSync(join(ws.home, 'staging')) ? readdirSync(join(ws.home, 'staging')) : []).toEqual([]);
  });

  test('a registry that is down: a clear message within seconds, nothing changed', async () => {
    const started = Date.now();
    const outcome = await marathon(['plugin', 'install', 'notes@1'], { MARATHON_REGISTRY: 'http://127.0.0.1:9/' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('cannot reach the registry http://127.0.0.1:9/');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(installed()).toEqual([]);
  });

  test('a tarball that does not match its integrity is refused before it is unpacked', async () => {
    const tarball = join(registry.root, 'storage', 'base', 'base-1.0.0.tgz');
    const original = readFileSync(tarball);
    try {
      writeFileSync(tarball, Buffer.concat([original.subarray(0, original.length - 8), Buffer.from('tampered')]));
      const outcome = await marathon(['plugin', 'install', 'base@1.0.0', '--json']);
      expect(outcome.code).toBe(1);
      expect(JSON.parse(outcome.stdout).error).toMatchObject({ code: 'DOWNLOAD_FAILED' });
      expect(installed()).toEqual([]);
    } finally {
      writeFileSync(tarball, original);
    }
  });
});

describe('search', () => {
  test('lists plugin packages only, with their versions and whether they are installed', async () => {
    await prepare(['plugin', 'install', 'notes@1.0.0']);
    const json = JSON.parse((await ok(['plugin', 'search', '--json'])).stdout);
    const names = json.results.map((result: { name: string }) => result.name);
    expect(names).toEqual(expect.arrayContaining(['hello-world', 'notes', 'task-policy', 'base', 'dependent']));
    expect(names).not.toContain('@private/secret-plugin');
    expect(json.results.find((result: { name: string }) => result.name === 'notes')).toMatchObject({
      version: '2.0.0',
      installed: '1.0.0',
    });
    const text = (await ok(['plugin', 'search', 'hello'])).stdout;
    expect(text).toMatch(/^Name +Version +Installed +Description$/m);
    expect(text).toMatch(/^hello-world +1\.0\.0 +A simple hello world plugin$/m);
    expect(text).not.toContain('notes');
  });
});

describe('update', () => {
  test('asks again for added permissions, and stops at the newest version this host runs', async () => {
    await prepare(['plugin', 'install', 'notes@1.0.0', '--enable']);
    const refused = await marathon(['plugin', 'update', 'notes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "plugin 'notes' was not updated: its permissions need your consent (run again with --yes to accept them)",
    );
    expect(refused.stderr).toContain('+ network — Network access to the hosts it lists: notes.example.com');
    expect((await ok(['notes', 'version'])).stdout).toBe('notes 1.0.0\n');
    expect((await ok(['plugin', 'update', 'notes', '--yes'])).stdout).toBe("✅ Plugin 'notes' updated 1.0.0 → 1.1.0\n");
    expect((await ok(['notes', 'version'])).stdout).toBe('notes 1.1.0\n');
    const again = JSON.parse((await ok(['plugin', 'update', '--json'])).stdout);
    expect(again.updates).toEqual([
      { name: 'notes', from: '1.1.0', to: null, updated: false, reason: 'up to date for this host (2.0.0 needs plugin API ^2.0.0)' },
    ]);
  });

  test('keeps installed dependents working', async () => {
    await prepare(['plugin', 'install', 'base@1.0.0']);
    await prepare(['plugin', 'install', 'dependent@1.0.0', '--enable']);
    expect((await ok(['plugin', 'update', 'base'])).stdout).toBe("✅ Plugin 'base' updated 1.0.0 → 1.1.0\n");
    const next = JSON.parse((await ok(['plugin', 'update', 'base', '--json'])).stdout).updates[0];
    expect(next.reason).toBe("up to date for this host (2.0.0 would break 'dependent', which needs ^1.0.0)");
  });
});

describe('pack', () => {
  test('refuses what an install would refuse, and a package.json that disagrees', async () => {
    const evil = writePluginFolder(ws.plugins, {
      name: 'evil',
      commands: [{ name: 'go' }],
      body: `{ commands: { go: () => String(eval('1')) } }`,
    });
    const refused = await marathon(['plugin', 'pack', evil, '--output', ws.root, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'PACK_REFUSED' });
    expect(JSON.parse(refused.stdout).error.details.join('\n')).toContain('eval');
    const odd = writePluginFolder(ws.plugins, { name: 'odd', body: '{}' });
    writeFileSync(join(odd, 'package.json'), JSON.stringify({ name: 'odd', version: '9.9.9' }));
    const mismatch = await marathon(['plugin', 'pack', odd, '--output', ws.root]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('package.json says version 9.9.9 but plugin.json says 1.0.0');
    expect(readdirSync(ws.root).filter((file) => file.endsWith('.tgz'))).toEqual([]);
  });

  test('signs, and the same files give the same tarball', async () => {
    const key = JSON.parse((await prepare(['keys', 'generate', '--out', join(ws.root, 'keys'), '--json'])).stdout);
    const dir = writePluginFolder(ws.plugins, {
      name: 'signed-notes',
      commands: [{ name: 'hi' }],
      body: `{ commands: { hi: () => 'hi' } }`,
    });
    const first = JSON.parse(
      (await ok(['plugin', 'pack', dir, '--output', join(ws.root, 'a'), '--key', key.private_key, '--json'])).stdout,
    );
    expect(first).toMatchObject({
      name: 'signed-notes',
      version: '1.0.0',
      signed: true,
      files: ['SIGNATURE.json', 'index.js', 'package.json', 'plugin.json'],
    });
    const second = JSON.parse((await ok(['plugin', 'pack', dir, '--output', join(ws.root, 'b'), '--json'])).stdout);
    expect(second.signed).toBe(false);
    const third = JSON.parse((await ok(['plugin', 'pack', dir, '--output', join(ws.root, 'c'), '--json'])).stdout);
    expect(third.integrity).toBe(second.integrity);
    await prepare(['keys', 'add', key.public_key]);
    registry.publish(first.file);
    await ok(['plugin', 'install', 'signed-notes@1.0.0']);
    expect((await ok(['plugin', 'info', 'signed-notes'])).stdout).toContain('Signature:    valid');
  });
});

describe('export and sync', () => {
  async function exportFrom(setup: (host: Workspace) => Promise<void>): Promise<string> {
    const host = workspace();
    try {
      ws = host;
      await setup(host);
      const file = join(sources.root, `lock-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
      await ok(['plugin', 'export', '--output', file]);
      return file;
    } finally {
      host.cleanup();
    }
  }

  test('makes a host match exactly, and a second run changes nothing', async () => {
    const target = ws;
    const lock = await exportFrom(async () => {
      await prepare(['plugin', 'install', 'notes@1.1.0', '--yes', '--enable']);
      await prepare(['plugin', 'install', 'task-audit-log@1', '--yes']);
      await prepare(['plugin', 'install', 'task-policy@1', '--yes', '--enable']);
      await prepare(['plugin', 'install', 'hello-world@1']);
    });
    const written = JSON.parse(readFileSync(lock, 'utf8'));
    expect(written.lockfileVersion).toBe(1);
    expect(written.plugins.notes).toEqual({
      version: '1.1.0',
      source: { kind: 'npm', spec: 'notes@1.1.0' },
      integrity: expect.stringMatching(/^sha512-/),
      tarball_integrity: expect.stringMatching(/^sha512-/),
      enabled: true,
      permissions: ['network', 'task_read'],
    });
    ws = target;
    // The target runs an older notes, and a plugin the lockfile does not have.
    await prepare(['plugin', 'install', 'notes@1.0.0', '--enable']);
    await prepare(['plugin', 'install', 'git-info', '--yes', '--enable']);
    const synced = await ok(['plugin', 'sync', lock]);
    expect(synced.stdout.trim().split('\n')).toEqual([
      '➖ removed git-info 1.0.0',
      '➕ installed hello-world 1.0.0',
      '⬆️  upgraded notes 1.0.0 → 1.1.0',
      '➕ installed task-audit-log 1.0.0',
      '✅ enabled task-audit-log',
      '➕ installed task-policy 1.0.0',
      '✅ enabled task-policy',
      expect.stringMatching(/^✅ This host matches .* \(7 changes\)$/),
    ]);
    expect(await listed()).toEqual([
      'hello-world@1.0.0:disabled',
      'notes@1.1.0:enabled',
      'task-audit-log@1.0.0:enabled',
      'task-policy@1.0.0:enabled',
    ]);
    const again = await ok(['plugin', 'sync', lock, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, steps: [] });
    expect((await ok(['plugin', 'sync', lock])).stdout).toMatch(/^✅ Already in sync with .*: nothing changed\n$/);
    // Down again: a lockfile with the older version.
    const older = await exportFrom(async () => {
      await prepare(['plugin', 'install', 'notes@1.0.0', '--enable']);
    });
    ws = target;
    const down = await ok(['plugin', 'sync', older]);
    expect(down.stdout).toContain('⬇️  downgraded notes 1.1.0 → 1.0.0');
    expect(await listed()).toEqual(['notes@1.0.0:enabled']);
  });

  test('on any failure the host is left as it was', async () => {
    const lock = await exportFrom(async () => {
      await prepare(['plugin', 'install', 'task-audit-log@1', '--yes', '--enable']);
      await prepare(['plugin', 'install', 'notes@1.0.0']);
    });
    // Corrupt one entry's integrity: the other changes would apply, then this one fails.
    const text = JSON.parse(readFileSync(lock, 'utf8'));
    text.plugins.notes.integrity = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
    const bad = join(sources.root, 'bad.lock.json');
    writeFileSync(bad, JSON.stringify(text));
    ws = workspace();
    await prepare(['plugin', 'install', 'hello-world@1', '--enable']);
    await prepare(['plugin', 'install', 'git-info', '--yes']);
    const before = { list: await listed(), installed: installed() };
    const failed = await marathon(['plugin', 'sync', bad, '--json']);
    expect(failed.code).toBe(1);
    const { error } = JSON.parse(failed.stdout);
    expect(error.code).toBe('SYNC_FAILED');
    expect(error.message).toContain('this host was put back as it was');
    expect(error.message).toContain("'notes' 1.0.0 does not match the lockfile's integrity");
    expect({ list: await listed(), installed: installed() }).toEqual(before);
    expect(before.list).toEqual(['git-info@1.0.0:disabled', 'hello-world@1.0.0:enabled']);
    expect((await ok(['hello-world', 'hello'])).stdout).toBe('Hello, World!\n');
    expect(readdirSync(join(ws.home, 'staging'))).toEqual([]);
  });

  test('malformed lockfiles and unreachable versions are refused, nothing changed', async () => {
    await prepare(['plugin', 'install', 'hello-world@1', '--enable']);
    const state = { list: await listed(), installed: installed() };
    const broken = join(ws.root, 'broken.json');
    writeFileSync(broken, JSON.stringify({ lockfileVersion: 2, plugins: { notes: { version: 1, enabled: 'yes' } } }));
    const malformed = await marathon(['plugin', 'sync', broken, '--json']);
    expect(malformed.code).toBe(1);
    const { error } = JSON.parse(malformed.stdout);
    expect(error.code).toBe('LOCKFILE_INVALID');
    expect(error.details).toEqual(
      expect.arrayContaining([
        'lockfileVersion: must be 1, not 2',
        'plugins.notes.version: must be an exact version, like 1.0.0',
        'plugins.notes.enabled: must be true or false',
      ]),
    );
    const unreachable = join(ws.root, 'unreachable.json');
    const entry = {
      version: '9.9.9',
      source: { kind: 'npm', spec: 'notes@9.9.9' },
      integrity: `sha512-${Buffer.alloc(64).toString('base64')}`,
      enabled: true,
      permissions: ['task_read'],
    };
    writeFileSync(
      unreachable,
      JSON.stringify({
        lockfileVersion: 1,
        plugins: { 'hello-world': JSON.parse(readFileSync(await exportHere(), 'utf8')).plugins['hello-world'], notes: entry },
      }),
    );
    const failed = await marathon(['plugin', 'sync', unreachable]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("no version of 'notes'");
    expect({ list: await listed(), installed: installed() }).toEqual(state);
    const missing = await marathon(['plugin', 'sync', join(ws.root, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  async function exportHere(): Promise<string> {
    const file = join(ws.root, 'here.lock.json');
    await prepare(['plugin', 'export', '--output', file]);
    return file;
  }
});
