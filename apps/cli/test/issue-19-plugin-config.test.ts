// Issue 19 through the built binary: an operator configures a plugin with `marathon plugin config`,
// the plugin reads the values as ctx.config, a refused value writes nothing, a secret is kept and
// shown only as its ${NAME} reference, the settings leave the plugin's signature valid, travel with
// export and sync, and survive an uninstall unless --purge.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let dir: string;
beforeEach(() => {
  ws = workspace();
  dir = writePluginFolder(ws.plugins, {
    name: 'knobs',
    // A config_validate handler puts each change into the history and `show` touches storage for the
    // audit: both records then exist for the secret test to search for a leaked value.
    hooks: ['config_validate'],
    commands: [{ name: 'show' }],
    manifest: {
      configuration: {
        retries: { type: 'integer', description: 'How many times to retry', default: 3, minimum: 0, maximum: 10 },
        tags: { type: 'array', description: 'Tags added to each task', default: ['ci'] },
        token: { type: 'string', description: 'API token', secret: true },
      },
    },
    body: `{
      hooks: { config_validate: () => success() },
      commands: { show: async (ctx) => { await ctx.storage.get('runs'); return JSON.stringify(ctx.config); } },
    }`,
  });
});
afterEach(() => ws.cleanup());

const install = (): Promise<Outcome> => ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
const stateBytes = (home = ws.home): string => readFileSync(join(home, 'state.json'), 'utf8');
const seen = async (env?: NodeJS.ProcessEnv): Promise<unknown> => JSON.parse((await ws.ok(['knobs', 'show'], { env })).stdout);

/** Every file under `folder`, with its text. */
function filesUnder(folder: string): Array<{ file: string; text: string }> {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { file, text: readFileSync(file, 'latin1') };
    });
}

const DEFAULTS_SHOWN = [
  'Settings of knobs:',
  'retries = 3  (default)',
  '  How many times to retry',
  'tags = ["ci"]  (default)',
  '  Tags added to each task',
  'token is not set  (no default, secret)',
  '  API token',
  '',
].join('\n');

test('defaults, then a value the plugin sees, the --json shape, and --unset back to the default', async () => {
  await install();
  const shown = await ws.ok(['plugin', 'config', 'knobs']);
  expect(shown).toEqual({ code: 0, stdout: DEFAULTS_SHOWN, stderr: '' });
  expect(await seen()).toEqual({ retries: 3, tags: ['ci'] });

  expect(await ws.ok(['plugin', 'config', 'knobs', 'retries', '7'])).toEqual({ code: 0, stdout: '✅ knobs: retries = 7\n', stderr: '' });
  expect((await ws.ok(['plugin', 'config', 'knobs', 'tags', 'deploy,nightly'])).stdout).toBe('✅ knobs: tags = ["deploy","nightly"]\n');
  expect(await seen()).toEqual({ retries: 7, tags: ['deploy', 'nightly'] });
  expect((await ws.ok(['plugin', 'config', 'knobs', 'tags', '["a b","c"]'])).stdout).toBe('✅ knobs: tags = ["a b","c"]\n');
  expect(await seen()).toEqual({ retries: 7, tags: ['a b', 'c'] });
  expect((await ws.ok(['plugin', 'config', 'knobs', 'retries'])).stdout).toBe(
    'retries = 7  (set by the operator; default 3)\n  How many times to retry\n',
  );

  const json = await ws.ok(['plugin', 'config', 'knobs', '--json']);
  expect(json.stderr).toBe('');
  expect(JSON.parse(json.stdout)).toEqual({
    plugin: 'knobs',
    settings: [
      {
        key: 'retries',
        declaration: { type: 'integer', description: 'How many times to retry', default: 3, minimum: 0, maximum: 10 },
        source: 'operator',
        value: 7,
        display: '7',
      },
      {
        key: 'tags',
        declaration: { type: 'array', description: 'Tags added to each task', default: ['ci'] },
        source: 'operator',
        value: ['a b', 'c'],
        display: '["a b","c"]',
      },
      { key: 'token', declaration: { type: 'string', description: 'API token', secret: true }, source: 'unset', display: '(not set)' },
    ],
    undeclared: [],
  });

  expect(await ws.ok(['plugin', 'config', 'knobs', 'retries', '--unset'])).toEqual({
    code: 0,
    stdout: '✅ knobs: retries is back to its default, 3\n',
    stderr: '',
  });
  expect((await ws.ok(['plugin', 'config', 'knobs', 'tags', '--unset'])).stdout).toBe('✅ knobs: tags is back to its default, ["ci"]\n');
  expect(await seen()).toEqual({ retries: 3, tags: ['ci'] });
  expect((await ws.ok(['plugin', 'config', 'knobs'])).stdout).toBe(DEFAULTS_SHOWN);
}, 120_000);

test.each([
  ['an unknown key', ['retires', '5'], "plugin 'knobs' has no setting 'retires'; did you mean 'retries'?"],
  ['a value of the wrong type', ['retries', 'soon'], "setting 'retries' of plugin 'knobs' must be a whole number from 0 to 10, not 'soon'"],
  ['a number out of range', ['retries', '11'], "setting 'retries' of plugin 'knobs' must be a whole number from 0 to 10, not 11"],
  ['a fraction for an integer', ['retries', '2.5'], "setting 'retries' of plugin 'knobs' must be a whole number from 0 to 10, not 2.5"],
  ['a list that is not all text', ['tags', '["a",1]'], "setting 'tags' of plugin 'knobs' must be a list of text; item 2 is 1"],
  [
    'a secret in plain text',
    ['token', 'tok-plain-981'],
    "setting 'token' of plugin 'knobs' is secret: give it as a reference to an environment variable, e.g. ${KNOBS_TOKEN}, not as plain text",
  ],
  [
    'both a value and --unset',
    ['retries', '5', '--unset'],
    'give either a value or --unset, e.g. marathon plugin config task-policy timeout_s 600',
  ],
])(
  'refuses %s with a clear error and writes nothing',
  async (_what, args, message) => {
    await install();
    await ws.prepare(['plugin', 'config', 'knobs', 'retries', '4']);
    const before = stateBytes();
    expect(await ws.run(['plugin', 'config', 'knobs', ...args])).toEqual({ code: 1, stdout: '', stderr: `❌ ${message}\n` });
    const json = await ws.run(['plugin', 'config', 'knobs', ...args, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { message: string } }).error.message).toBe(message);
    expect(stateBytes()).toBe(before);
    expect(await seen()).toEqual({ retries: 4, tags: ['ci'] });
  },
  120_000,
);

test("a secret given as '${NAME}': the plugin sees the variable's value, nothing Marathon shows, records or exports holds it", async () => {
  const SECRET = 'tok-Zq81-never-shown';
  const env = { KNOBS_TOKEN: SECRET };
  await install();
  const set = await ws.ok(['plugin', 'config', 'knobs', 'token', '${KNOBS_TOKEN}']);
  expect(set.stdout).toBe('✅ knobs: token = ${KNOBS_TOKEN} (not set in the environment)\n');
  // A change made with the variable set: config_validate then runs in a process whose plugins could resolve it.
  const changed = await ws.ok(['plugin', 'config', 'knobs', 'retries', '5'], { env });
  expect(changed.stdout).toBe('✅ knobs: retries = 5\n');
  expect(await seen(env)).toEqual({ retries: 5, tags: ['ci'], token: SECRET });
  // Without the variable the plugin gets no token rather than the reference.
  expect(await seen()).toEqual({ retries: 5, tags: ['ci'] });

  const shown = await ws.ok(['plugin', 'config', 'knobs'], { env });
  expect(shown.stdout).toContain('token = ${KNOBS_TOKEN} (set)  (set by the operator; no default, secret)\n  API token\n');
  const json = JSON.parse((await ws.ok(['plugin', 'config', 'knobs', 'token', '--json'], { env })).stdout) as {
    settings: Array<{ key: string; value: string }>;
  };
  expect(json.settings).toEqual([
    expect.objectContaining({ key: 'token', source: 'operator', value: '${KNOBS_TOKEN}', display: '${KNOBS_TOKEN} (set)' }),
  ]);
  const exported = await ws.ok(['plugin', 'export', '--output', '-'], { env });
  expect((JSON.parse(exported.stdout) as { plugins: { knobs: { settings: unknown } } }).plugins.knobs.settings).toEqual({
    retries: 5,
    token: '${KNOBS_TOKEN}',
  });
  const events = await ws.ok(['plugin', 'events', '--plugin', 'knobs', '--json'], { env });
  expect((JSON.parse(events.stdout) as { events: Array<{ hook_type: string }> }).events).toContainEqual(
    expect.objectContaining({ hook_type: 'config_validate', plugin_name: 'knobs', success: true }),
  );
  const audit = await ws.ok(['plugin', 'audit', 'knobs', '--json'], { env });
  expect((JSON.parse(audit.stdout) as { audit: unknown[] }).audit).toContainEqual(
    expect.objectContaining({ plugin: 'knobs', capability: 'storage.get', target: 'runs', allowed: true }),
  );

  for (const outcome of [set, changed, shown, exported, events, audit]) expect(outcome.stdout + outcome.stderr).not.toContain(SECRET);
  expect(stateBytes()).toContain('"token": "${KNOBS_TOKEN}"');
  const leaks = filesUnder(ws.home).filter(({ text }) => text.includes(SECRET));
  expect(leaks.map(({ file }) => file)).toEqual([]);
}, 120_000);

test("a signed plugin's signature still verifies after its settings change", async () => {
  const author = join(ws.root, 'author');
  const key = JSON.parse((await ws.prepare(['keys', 'generate', '--out', author, '--name', 'me', '--json'])).stdout) as {
    key_id: string;
    private_key: string;
    public_key: string;
  };
  await ws.prepare(['plugin', 'sign', dir, '--key', key.private_key]);
  await ws.prepare(['keys', 'add', key.public_key]);
  await install();
  await ws.ok(['plugin', 'config', 'knobs', 'retries', '9']);
  await ws.ok(['plugin', 'config', 'knobs', 'token', '${KNOBS_TOKEN}']);
  expect(await seen()).toEqual({ retries: 9, tags: ['ci'] });

  const verify = await ws.ok(['plugin', 'verify', 'knobs']);
  expect(verify.stdout).toMatch(/^✅ knobs +files unchanged; signature valid\n$/);
  expect(JSON.parse((await ws.ok(['plugin', 'verify', 'knobs', '--json'])).stdout)).toEqual({
    plugins: [{ name: 'knobs', integrity: 'ok', signature: 'valid', signature_message: `signed by trusted key ${key.key_id}` }],
  });
  expect((await ws.ok(['plugin', 'info', 'knobs'])).stdout).toContain(`Signature:    valid: signed by trusted key ${key.key_id}`);
}, 120_000);

test('export → sync onto a fresh home gives the plugin the same values; a lockfile setting it does not declare fails the sync, nothing applied', async () => {
  await install();
  await ws.prepare(['plugin', 'config', 'knobs', 'retries', '6']);
  await ws.prepare(['plugin', 'config', 'knobs', 'tags', 'eu,prod']);
  await ws.prepare(['plugin', 'config', 'knobs', 'token', '${KNOBS_TOKEN}']);
  const lockfile = join(ws.root, 'marathon-plugins.lock.json');
  await ws.ok(['plugin', 'export', '--output', lockfile]);
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { plugins: { knobs: { settings: Record<string, unknown> } } };
  expect(lock.plugins.knobs.settings).toEqual({ retries: 6, tags: ['eu', 'prod'], token: '${KNOBS_TOKEN}' });

  const fresh = { MARATHON_HOME: join(ws.root, 'fresh-home') };
  const synced = await ws.ok(['plugin', 'sync', lockfile], { env: fresh });
  expect(synced.stdout).toBe(
    [
      '➕ installed knobs 1.0.0',
      '✅ enabled knobs',
      '⚙️  set the settings of knobs',
      `✅ This host matches ${lockfile} (3 changes)`,
      '',
    ].join('\n'),
  );
  expect(await seen({ ...fresh, KNOBS_TOKEN: 'fleet-token' })).toEqual({ retries: 6, tags: ['eu', 'prod'], token: 'fleet-token' });
  expect((await ws.ok(['plugin', 'sync', lockfile], { env: fresh })).stdout).toBe(`✅ Already in sync with ${lockfile}: nothing changed\n`);

  // A lockfile naming a setting the plugin does not declare, onto another fresh home.
  lock.plugins.knobs.settings.colour = 'blue';
  const bad = join(ws.root, 'bad.lock.json');
  writeFileSync(bad, JSON.stringify(lock, null, 2));
  const other = { MARATHON_HOME: join(ws.root, 'other-home') };
  const failed = await ws.run(['plugin', 'sync', bad], { env: other });
  expect(failed.code).toBe(1);
  expect(failed.stdout).toBe('');
  // The first line's wording after the colon is still being reworded; the refusal and the detail naming the setting are what matter.
  const [headline, ...details] = failed.stderr.trimEnd().split('\n');
  expect(headline).toMatch(
    /^❌ the sync failed and this host was put back as it was: the lockfile holds .*settings this host cannot apply:$/,
  );
  expect(details).toEqual(["  plugin 'knobs' has no setting 'colour'; its settings are retries, tags, token (its version 1.0.0)"]);
  const listed = JSON.parse((await ws.ok(['plugin', 'list', '--json'], { env: other })).stdout) as { plugins: unknown[] };
  expect(listed.plugins).toEqual([]);
  expect(JSON.parse(stateBytes(other.MARATHON_HOME))).toEqual({ version: 1, plugins: {} });
  expect(readdirSync(join(other.MARATHON_HOME, 'installed'))).toEqual([]);
}, 180_000);

test('uninstall keeps the settings and says so, a reinstall sees them; --purge removes them and a reinstall sees the defaults', async () => {
  await install();
  await ws.prepare(['plugin', 'config', 'knobs', 'retries', '8']);
  await ws.prepare(['plugin', 'config', 'knobs', 'tags', 'keep']);
  const kept = await ws.ok(['plugin', 'uninstall', 'knobs']);
  expect(kept).toEqual({
    code: 0,
    stdout: [
      "✅ Plugin 'knobs' uninstalled successfully",
      'Removed: its installed copy, its data folder and store',
      'Kept: its settings (2), for a reinstall; marathon plugin uninstall knobs --purge removes them too',
      '',
    ].join('\n'),
    stderr: '',
  });
  await install();
  expect(await seen()).toEqual({ retries: 8, tags: ['keep'] });

  const purged = await ws.ok(['plugin', 'uninstall', 'knobs', '--purge']);
  expect(purged.stdout).toBe(
    "✅ Plugin 'knobs' uninstalled successfully\nRemoved: its installed copy, its data folder and store, its settings (2)\n",
  );
  expect(JSON.parse(stateBytes())).toEqual({ version: 1, plugins: {} });
  await install();
  expect(await seen()).toEqual({ retries: 3, tags: ['ci'] });
  expect((await ws.ok(['plugin', 'config', 'knobs'])).stdout).toBe(DEFAULTS_SHOWN);
}, 180_000);
