import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagerError } from '@marathon/manager';
import { managerError, task, useManager, writePlugin } from './helpers';

const { sandbox, manager } = useManager();

it('runs the whole lifecycle of a real plugin', async () => {
  writePlugin(sandbox.plugins, {
    name: 'hello-world',
    permissions: ['task_read'],
    hooks: ['post_task_execute'],
    commands: ['hello', 'greet'],
  });
  const events: string[] = [];
  for (const event of ['installed', 'enabled', 'loaded', 'disabled', 'uninstalled'] as const)
    manager().events.on(event, (e) => void events.push(`${event}:${e.plugin}`));

  expect(await manager().install('hello-world')).toMatchObject({ name: 'hello-world', version: '1.0.0', signature: 'unsigned' });
  expect((await manager().list()).map((p) => [p.name, p.status])).toEqual([['hello-world', 'disabled']]);
  expect(await manager().enable('hello-world')).toEqual(['hello-world']);
  expect(await manager().run('hello-world', 'greet', ['Marathon'])).toBe('hello-world greet Marathon');
  const outcome = await manager().dispatch('post_task_execute', task());
  expect(outcome.results.map((r) => [r.plugin, r.result.message])).toEqual([['hello-world', 'hello-world']]);
  const info = await manager().info('hello-world');
  expect(info).toMatchObject({
    loaded: true,
    record: { status: 'enabled', granted_permissions: ['task_read'], source: { kind: 'search-path', spec: 'hello-world' } },
  });
  expect(info.metrics).toEqual([expect.objectContaining({ plugin: 'hello-world', hook: 'post_task_execute', calls: 1 })]);
  expect(info.timings?.load_ms).toBeGreaterThan(0);
  expect(await manager().eventHistory({ plugin: 'hello-world' })).toEqual([
    expect.objectContaining({ hook_type: 'post_task_execute', success: true }),
  ]);

  expect(await manager().disable('hello-world')).toEqual(['hello-world']);
  await expect(manager().run('hello-world', 'hello')).rejects.toMatchObject({ code: 'NOT_ENABLED' });
  await manager().uninstall('hello-world');
  expect(await manager().list()).toEqual([]);
  expect(readdirSync(join(sandbox.home, 'installed'))).toEqual([]);
  expect(existsSync(join(sandbox.home, 'data', 'hello-world'))).toBe(false);
  expect(events).toEqual([
    'installed:hello-world',
    'enabled:hello-world',
    'loaded:hello-world',
    'disabled:hello-world',
    'uninstalled:hello-world',
  ]);
});

it('installs from a folder and from a .tgz, and fires plugin_install at enabled plugins', async () => {
  writePlugin(sandbox.plugins, {
    name: 'watcher',
    hooks: ['plugin_install'],
    body: `{ hooks: { plugin_install: (ctx, event) => success('saw ' + event.plugin.name) } }`,
  });
  await manager().install('watcher');
  await manager().enable('watcher');
  const dir = writePlugin(sandbox.root, { name: 'from-folder', commands: ['x'] }, 'somewhere/from-folder');
  expect((await manager().install(dir)).name).toBe('from-folder');
  expect(
    await manager()
      .install('./somewhere/from-folder')
      .catch((e: unknown) => (e as ManagerError).code),
  ).toBe('ALREADY_INSTALLED');
  const history = await manager().eventHistory({ plugin: 'watcher' });
  expect(history.map((r) => r.result_message)).toContain('saw from-folder');
});

describe('typed errors', () => {
  it('NOT_FOUND, with did-you-mean', async () => {
    writePlugin(sandbox.plugins, { name: 'hello-world' });
    const error = await managerError(() => manager().install('helo-world'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/^no plugin named 'helo-world' in the search paths \(did you mean 'hello-world'\?\); searched /);
  });

  it('ALREADY_INSTALLED', async () => {
    writePlugin(sandbox.plugins, { name: 'p' });
    await manager().install('p');
    expect((await managerError(() => manager().install('p'))).message).toBe(
      "plugin 'p' 1.0.0 is already installed: use marathon plugin update p, or uninstall it first",
    );
  });

  it('API_INCOMPATIBLE, saying what to upgrade', async () => {
    writePlugin(sandbox.plugins, { name: 'future', api_version: '2.0.0' });
    const error = await managerError(() => manager().install('future'));
    expect(error.code).toBe('API_INCOMPATIBLE');
    expect(error.message).toContain("plugin 'future' needs plugin API ^2.0.0, this Marathon provides 1.0.0: upgrade Marathon");
  });

  it('TRUST_REFUSED, with every finding; --force installs anyway', async () => {
    writePlugin(sandbox.plugins, {
      name: 'sneaky',
      commands: ['x'],
      prelude: 'const run = (code) => eval(code);',
      body: "{ commands: { x: () => run('1') } }",
    });
    const error = await managerError(() => manager().install('sneaky'));
    expect(error.code).toBe('TRUST_REFUSED');
    expect(error.details).toEqual([
      'index.js:2:23 eval: calls eval, which runs text as code (use --force to install anyway)',
      '(warning) the plugin is not signed (no SIGNATURE.json)',
    ]);
    expect(readdirSync(join(sandbox.home, 'staging'))).toEqual([]);
    expect((await manager().install('sneaky', { force: true })).name).toBe('sneaky');
  });

  it('CONSENT_REQUIRED for permissions beyond reading tasks, with the summary', async () => {
    writePlugin(sandbox.plugins, {
      name: 'notifier',
      permissions: ['network', 'env_vars'],
      extra: { network: { allowed_hosts: ['hooks.example.com'] }, env_vars: { allowed: ['HOOK_TOKEN'] } },
    });
    const error = await managerError(() => manager().install('notifier'));
    expect(error.code).toBe('CONSENT_REQUIRED');
    expect(error.details).toEqual([
      '⚠️ network — Network access to the hosts it lists: hooks.example.com',
      '⚠️ env_vars — Read the environment variables it lists: HOOK_TOKEN',
      '⚠️  network + env_vars together is a dangerous combination: it needs your explicit consent',
      '⚠️  signature unsigned: the plugin is not signed (no SIGNATURE.json)',
    ]);
    expect(await manager().list()).toEqual([]);
    const asked: string[] = [];
    await expect(manager().install('notifier', { confirm: async (summary) => (asked.push(summary.plugin), false) })).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
    expect(asked).toEqual(['notifier']);
    expect((await manager().install('notifier', { yes: true })).name).toBe('notifier');
  });

  it('NOT_INSTALLED, with did-you-mean', async () => {
    writePlugin(sandbox.plugins, { name: 'hello-world' });
    await manager().install('hello-world');
    const error = await managerError(() => manager().enable('hello-wrld'));
    expect(error.message).toBe("plugin 'hello-wrld' is not installed (did you mean 'hello-world'?): see marathon plugin list");
  });

  it('NOT_ENABLED and COMMAND_NOT_FOUND, with did-you-mean', async () => {
    writePlugin(sandbox.plugins, { name: 'tools', commands: ['greet', 'hello'] });
    await manager().install('tools');
    expect((await managerError(() => manager().run('tools', 'hello'))).message).toBe(
      "plugin 'tools' is disabled: run marathon plugin enable tools",
    );
    await manager().enable('tools');
    expect((await managerError(() => manager().run('tools', 'gret'))).message).toBe(
      "plugin 'tools' has no command 'gret' (did you mean 'greet'?); its commands: greet, hello",
    );
  });

  it('INTEGRITY_FAILED: a file edited after install is refused and named, and the plugin is in error', async () => {
    writePlugin(sandbox.plugins, { name: 'p', commands: ['x'] });
    await manager().install('p');
    await manager().enable('p');
    const record = (await manager().list())[0]!;
    appendFileSync(join(sandbox.home, 'installed', record.folder, 'index.js'), '\n// tampered\n');
    const error = await managerError(() => manager().run('p', 'x'));
    expect(error.code).toBe('INTEGRITY_FAILED');
    expect(error.message).toBe("plugin 'p' was modified after install: index.js was changed; run marathon plugin repair p");
    expect((await manager().list())[0]).toMatchObject({ status: 'error', error: error.message });
  });

  it('LOAD_FAILED when the code does not match the manifest, at enable', async () => {
    writePlugin(sandbox.plugins, { name: 'liar', commands: ['x'], body: '{ commands: {} }' });
    await manager().install('liar');
    const error = await managerError(() => manager().enable('liar'));
    expect(error.code).toBe('LOAD_FAILED');
    expect((await manager().list())[0]).toMatchObject({ status: 'error' });
  });

  it('INIT_FAILED when init throws', async () => {
    writePlugin(sandbox.plugins, {
      name: 'grumpy',
      commands: ['x'],
      body: "{ init() { throw new Error('no config'); }, commands: { x: () => 'x' } }",
    });
    await manager().install('grumpy');
    await manager().enable('grumpy');
    const error = await managerError(() => manager().run('grumpy', 'x'));
    expect(error.code).toBe('INIT_FAILED');
    expect(error.message).toContain('no config');
  });

  it('COMMAND_FAILED when the command fails', async () => {
    writePlugin(sandbox.plugins, { name: 'p', commands: ['x'], body: "{ commands: { x: () => failure('nope') } }" });
    await manager().install('p');
    await manager().enable('p');
    expect(await managerError(() => manager().run('p', 'x'))).toMatchObject({ code: 'COMMAND_FAILED', message: 'nope' });
  });
});

it('keeps data on request when uninstalling', async () => {
  writePlugin(sandbox.plugins, {
    name: 'keeper',
    permissions: ['filesystem'],
    commands: ['save'],
    body: "{ commands: { save: async (ctx) => { await ctx.fs.write('x.txt', 'kept'); return 'ok'; } } }",
  });
  await manager().install('keeper', { yes: true });
  await manager().enable('keeper');
  expect(await manager().run('keeper', 'save')).toBe('ok');
  await manager().disable('keeper');
  await manager().uninstall('keeper', { keepData: true });
  expect(existsSync(join(sandbox.home, 'data', 'keeper', 'x.txt'))).toBe(true);
});

it('refresh reports discovery errors and conflicts, and catches modified installed copies', async () => {
  writePlugin(sandbox.plugins, { name: 'ok-plugin' });
  writePlugin(sandbox.plugins, { name: 'ok-plugin' }, 'duplicate');
  writeFileSync(join(writePlugin(sandbox.plugins, { name: 'broken' }), 'plugin.json'), '{ nope');
  await manager().install('ok-plugin');
  const record = (await manager().list())[0]!;
  writeFileSync(join(sandbox.home, 'installed', record.folder, 'extra.js'), '');
  const refreshed = await manager().refresh();
  expect(refreshed.plugins.map((p) => p.name)).toEqual(['ok-plugin']);
  expect(refreshed.errors.map((e) => e.dir.split('/').pop())).toEqual(['broken']);
  expect(refreshed.conflicts).toEqual([
    { name: 'ok-plugin', winner: join(sandbox.plugins, 'duplicate'), shadowed: [join(sandbox.plugins, 'ok-plugin')] },
  ]);
  expect(refreshed.modified).toEqual([
    {
      name: 'ok-plugin',
      reason: "plugin 'ok-plugin' was modified after install: extra.js was added; run marathon plugin repair ok-plugin",
    },
  ]);
});
