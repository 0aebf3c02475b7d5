// Issue 19: the operator's settings of a plugin — declared in its plugin.json (`configuration`),
// set through the manager, checked against the declaration and by config_validate handlers, kept in
// state.json outside the plugin's files, given to the plugin as ctx.config, carried by export and
// sync, and kept by an uninstall unless purged.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lockfile } from '../src';
import { managerError, open, useManager, writePlugin } from './helpers';

const { manager, sandbox, reopen } = useManager({ options: { env: { PATH: process.env.PATH, POLICY_TOKEN: 's3cret' } } });

const CONFIGURATION = {
  rules: { type: 'array', description: 'Deny rules', default: ['^rm -rf /'] },
  timeout_s: { type: 'integer', description: 'Default timeout', default: 3600, minimum: 0, maximum: 86400 },
  token: { type: 'string', description: 'API token', secret: true },
};

/** A plugin whose `show` command answers with its ctx.config as JSON. */
function policyPlugin(version = '1.0.0', configuration: object = CONFIGURATION): void {
  writePlugin(sandbox.plugins, {
    name: 'policy',
    version,
    commands: ['show'],
    extra: { configuration },
    body: '{ commands: { show: (ctx) => JSON.stringify(ctx.config) } }',
  });
}

async function installPolicy(): Promise<void> {
  policyPlugin();
  await manager().install('policy', { yes: true });
  await manager().enable('policy');
}

const shown = async (): Promise<Record<string, unknown>> =>
  JSON.parse((await manager().run('policy', 'show', [])) ?? 'null') as Record<string, unknown>;

it('gives the plugin its defaults, then the values the operator sets, at once and after a restart', async () => {
  await installPolicy();
  expect(await shown()).toEqual({ rules: ['^rm -rf /'], timeout_s: 3600 });
  const after = await manager().setSetting('policy', 'timeout_s', 600);
  expect(after.settings.find((row) => row.key === 'timeout_s')).toMatchObject({ source: 'operator', value: 600 });
  // The plugin was loaded: it is reloaded with the new value.
  expect(await shown()).toEqual({ rules: ['^rm -rf /'], timeout_s: 600 });
  await manager().setSetting('policy', 'rules', ['^shutdown', '^reboot']);
  await reopen();
  expect(await shown()).toEqual({ rules: ['^shutdown', '^reboot'], timeout_s: 600 });
  await manager().unsetSetting('policy', 'timeout_s');
  expect(await shown()).toEqual({ rules: ['^shutdown', '^reboot'], timeout_s: 3600 });
});

it('refuses an unknown key (naming the right one), a wrong type and an out-of-range value, writing nothing', async () => {
  await installPolicy();
  const before = JSON.stringify(await manager().store.read());
  const unknown = await managerError(() => manager().setSetting('policy', 'timout_s', 5));
  expect(unknown.code).toBe('SETTING_UNKNOWN');
  expect(unknown.message).toContain("did you mean 'timeout_s'");
  expect((await managerError(() => manager().setSetting('policy', 'timeout_s', 'soon'))).code).toBe('SETTING_INVALID');
  const range = await managerError(() => manager().setSetting('policy', 'timeout_s', 90000));
  expect(range.code).toBe('SETTING_INVALID');
  expect(range.message).toContain('timeout_s');
  expect((await managerError(() => manager().setSetting('policy', 'rules', [1, 2]))).code).toBe('SETTING_INVALID');
  expect(JSON.stringify(await manager().store.read())).toBe(before);
});

it('keeps a secret as its ${NAME} reference: refused in plain text, resolved only inside the sandbox, exported as the reference', async () => {
  await installPolicy();
  const plain = await managerError(() => manager().setSetting('policy', 'token', 's3cret'));
  expect(plain.code).toBe('SETTING_INVALID');
  expect(plain.message).toContain('secret');
  await manager().setSetting('policy', 'token', '${POLICY_TOKEN}');
  expect((await shown()).token).toBe('s3cret');
  const row = (await manager().settings('policy', 'token')).settings[0]!;
  expect(row.display).toContain('${POLICY_TOKEN}');
  expect(JSON.stringify(row)).not.toContain('s3cret');
  expect(JSON.stringify(await manager().store.read())).not.toContain('s3cret');
  expect((await manager().exportLock()).plugins.policy!.settings).toEqual({ token: '${POLICY_TOKEN}' });
});

it('lets a config_validate handler refuse a combination: nothing is written', async () => {
  await installPolicy();
  writePlugin(sandbox.plugins, {
    name: 'guard',
    hooks: ['config_validate'],
    body:
      '{ hooks: { config_validate: (ctx, event) => event.config.plugin === "policy" && event.config.settings.timeout_s > 7200' +
      ' ? failure("timeouts over two hours are not allowed here") : success() } }',
  });
  await manager().install('guard', { yes: true });
  await manager().enable('guard');
  await manager().setSetting('policy', 'timeout_s', 7200);
  const refused = await managerError(() => manager().setSetting('policy', 'timeout_s', 7201));
  expect(refused.code).toBe('SETTING_REFUSED');
  expect(refused.message).toContain('timeouts over two hours are not allowed here');
  expect((await shown()).timeout_s).toBe(7200);
});

it('keeps the settings through an uninstall and a reinstall, and removes them with purge', async () => {
  await installPolicy();
  await manager().setSetting('policy', 'timeout_s', 60);
  await manager().uninstall('policy');
  await manager().install('policy', { yes: true });
  await manager().enable('policy');
  expect((await shown()).timeout_s).toBe(60);
  await manager().uninstall('policy', { purge: true });
  expect((await manager().store.read()).operator).toBeUndefined();
  await manager().install('policy', { yes: true });
  await manager().enable('policy');
  expect((await shown()).timeout_s).toBe(3600);
});

it('carries settings through export and sync onto a fresh home; a lockfile setting an undeclared key fails the sync and puts the host back', async () => {
  await installPolicy();
  await manager().setSetting('policy', 'timeout_s', 120);
  await manager().setSetting('policy', 'rules', ['^halt']);
  const lock: Lockfile = await manager().exportLock();
  expect(lock.plugins.policy!.settings).toEqual({ rules: ['^halt'], timeout_s: 120 });

  // A fresh home: its own manager on a second MARATHON_HOME, the same plugin folders.
  const other = await reopen({ home: join(sandbox.root, 'second-home') });
  const steps = await other.sync(lock);
  expect(steps.map((step) => step.action)).toEqual(['install', 'enable', 'configure']);
  expect(JSON.parse((await other.run('policy', 'show', [])) ?? 'null')).toEqual({ rules: ['^halt'], timeout_s: 120 });
  expect(await other.sync(lock)).toEqual([]);

  const third = await reopen({ home: join(sandbox.root, 'third-home') });
  const bad: Lockfile = JSON.parse(JSON.stringify(lock)) as Lockfile;
  bad.plugins.policy!.settings = { timeout_s: 5, colour: 'blue' };
  const failed = await managerError(() => third.sync(bad));
  expect(failed.code).toBe('SYNC_FAILED');
  expect(failed.message).toContain('put back');
  expect([failed.message, ...failed.details].join('\n')).toContain("no setting 'colour'");
  const state = await third.store.read();
  expect(Object.keys(state.plugins)).toEqual([]);
  expect(state.operator).toBeUndefined();
  expect(existsSync(join(sandbox.root, 'third-home', 'installed'))).toBe(true);
});

it("puts the operator's settings back when a sync fails after writing them", async () => {
  writePlugin(sandbox.plugins, { name: 'base' });
  writePlugin(sandbox.plugins, {
    name: 'policy',
    commands: ['show'],
    dependencies: { base: '^1.0.0' },
    extra: { configuration: CONFIGURATION },
    body: '{ commands: { show: (ctx) => JSON.stringify(ctx.config) } }',
  });
  await manager().install('base', { yes: true });
  await manager().install('policy', { yes: true });
  await manager().enable('policy');
  await manager().setSetting('policy', 'timeout_s', 60);
  const lock = await manager().exportLock();
  // The sync writes the new settings, then fails at its last check: base is disabled in the
  // lockfile, but policy, enabled there, needs it.
  lock.plugins.policy!.settings = { timeout_s: 5 };
  lock.plugins.base!.enabled = false;
  const failed = await managerError(() => manager().sync(lock));
  expect(failed.code).toBe('SYNC_FAILED');
  expect(failed.message).toContain('put back');
  const state = await manager().store.read();
  expect(state.operator?.policy?.settings).toEqual({ timeout_s: 60 });
  expect([state.plugins.base?.status, state.plugins.policy?.status]).toEqual(['enabled', 'enabled']);
  expect((await shown()).timeout_s).toBe(60);
});

it('a host that follows operator changes reloads its loaded plugin when another process sets a value', async () => {
  await installPolicy();
  expect((await shown()).timeout_s).toBe(3600);
  const reloaded: string[] = [];
  await manager().followOperatorChanges((plugin, error) => reloaded.push(error === undefined ? plugin : `${plugin}: ${error.message}`));
  // Another process: a second manager on the same home, as the CLI would be.
  const other = await open(sandbox);
  try {
    await other.setSetting('policy', 'timeout_s', 42);
  } finally {
    await other.close();
  }
  const deadline = Date.now() + 10_000;
  while (reloaded.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(reloaded).toEqual(['policy']);
  expect((await shown()).timeout_s).toBe(42);
});
