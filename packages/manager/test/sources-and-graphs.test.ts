import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ManagerError } from '@marathon/manager';
import { task, useManager, writePlugin } from './helpers';

const { sandbox, manager, reopen } = useManager();

function pack(dir: string, name: string): string {
  const file = join(sandbox.root, `${name}.tgz`);
  execFileSync('tar', ['czf', file, '-C', join(dir, '..'), dir.split('/').pop()!]);
  return file;
}

describe('sources', () => {
  it('installs a .tgz (whose files sit in one top folder, as npm packs them)', async () => {
    const file = pack(writePlugin(sandbox.root, { name: 'packed', commands: ['x'] }, 'src/package'), 'packed');
    expect(await manager().install(file)).toMatchObject({ name: 'packed' });
    const integrity = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
    expect((await manager().list())[0]!.source).toEqual({ kind: 'tgz', spec: file, integrity });
  });

  it('installs from a URL, checking --integrity', async () => {
    const file = pack(writePlugin(sandbox.root, { name: 'remote', commands: ['x'] }, 'src/remote'), 'remote');
    const body = readFileSync(file);
    const server = createServer((request, response) => {
      if (request.url === '/moved.tgz') {
        response.statusCode = 302;
        response.setHeader('location', '/remote.tgz');
        return response.end();
      }
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const integrity = `sha512-${createHash('sha512').update(body).digest('base64')}`;
      await expect(manager().install(`${url}/remote.tgz`, { integrity: 'sha512-AAAA' })).rejects.toThrow(/does not match --integrity/);
      expect(await manager().install(`${url}/moved.tgz`, { integrity })).toMatchObject({ name: 'remote' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a malicious archive before it reaches the home', async () => {
    const file = join(sandbox.root, 'evil.tgz');
    execFileSync('sh', ['-c', `cd ${sandbox.root} && mkdir -p evil && ln -s /etc/passwd evil/plugin.json && tar czf evil.tgz evil`]);
    const error = (await manager()
      .install(file)
      .catch((e: unknown) => e)) as ManagerError;
    expect(error).toMatchObject({ code: 'TRUST_REFUSED' });
    expect(error.message).toContain('is a symbolic link');
  });

  it('says an npm spec needs a registry client', async () => {
    await expect(manager().install('left-pad@^1.0.0')).rejects.toThrow(
      "'left-pad@^1.0.0' is an npm package spec, and no npm registry client is configured",
    );
  });
});

describe('dependencies', () => {
  it('chain: enabling enables what is needed first, in order', async () => {
    writePlugin(sandbox.plugins, { name: 'base', version: '1.2.0' });
    writePlugin(sandbox.plugins, { name: 'middle', dependencies: { base: '^1.0.0' } });
    writePlugin(sandbox.plugins, { name: 'top', dependencies: { middle: '^1.0.0' } });
    for (const name of ['base', 'middle', 'top']) await manager().install(name);
    const said: string[][] = [];
    manager().events.on('enabled', ({ plugin, dependencies }) => void (plugin === 'top' && said.push(dependencies)));
    expect(await manager().enable('top')).toEqual(['base', 'middle', 'top']);
    expect(said).toEqual([['base', 'middle']]);
  });

  it('diamond: a shared dependency is enabled once, before both', async () => {
    writePlugin(sandbox.plugins, { name: 'd' });
    writePlugin(sandbox.plugins, { name: 'b', dependencies: { d: '*' } });
    writePlugin(sandbox.plugins, { name: 'c', dependencies: { d: '*' } });
    writePlugin(sandbox.plugins, { name: 'a', dependencies: { b: '*', c: '*' } });
    await manager().install('a', { withDependencies: true });
    expect((await manager().list()).map((p) => p.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(await manager().enable('a')).toEqual(['d', 'b', 'c', 'a']);
  });

  it('missing and incompatible dependencies are refused by name', async () => {
    writePlugin(sandbox.plugins, { name: 'needs-base', dependencies: { base: '^2.0.0' } });
    await expect(manager().install('needs-base')).rejects.toMatchObject({
      code: 'DEPENDENCY_MISSING',
      message: "plugin 'needs-base' needs 'base' (^2.0.0), which is not installed: install it first, or install with --with-dependencies",
    });
    writePlugin(sandbox.plugins, { name: 'base', version: '1.0.0' });
    await manager().install('base');
    await expect(manager().install('needs-base')).rejects.toMatchObject({
      code: 'DEPENDENCY_INCOMPATIBLE',
      message: "plugin 'needs-base' needs 'base' ^2.0.0, but 1.0.0 is installed: install a version that satisfies ^2.0.0",
    });
  });

  it('a cycle is refused with the cycle printed', async () => {
    writePlugin(sandbox.plugins, { name: 'x' });
    writePlugin(sandbox.plugins, { name: 'y', dependencies: { x: '*' } });
    await manager().install('x');
    await manager().install('y');
    // An update of x that needs y closes the cycle.
    const updated = writePlugin(sandbox.root, { name: 'x', version: '1.1.0', dependencies: { y: '*' } }, 'x-next');
    // From another folder than the search path it was installed from: a source change, accepted as such.
    await manager().update('x', updated, { allowSourceChange: true });
    await expect(manager().enable('y')).rejects.toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: 'plugins depend on each other in a cycle: y → x → y; break it by removing one dependency',
    });
  });

  it('disabling refuses while dependents are enabled, unless cascading', async () => {
    writePlugin(sandbox.plugins, { name: 'core' });
    writePlugin(sandbox.plugins, { name: 'addon', dependencies: { core: '*' } });
    await manager().install('addon', { withDependencies: true });
    await manager().enable('addon');
    await expect(manager().disable('core')).rejects.toMatchObject({
      code: 'DEPENDENTS_ENABLED',
      message: "plugin 'core' is needed by enabled plugin 'addon': disable it first, or use --cascade",
    });
    await expect(manager().uninstall('core')).rejects.toMatchObject({ code: 'DEPENDENTS_ENABLED' });
    expect(await manager().disable('core', { cascade: true })).toEqual(['addon', 'core']);
  });
});

describe('loading', () => {
  it('is lazy: nothing at start, a hook loads only the plugins that declare it, a command only its plugin', async () => {
    writePlugin(sandbox.plugins, { name: 'on-submit', hooks: ['pre_task_submit'] });
    writePlugin(sandbox.plugins, { name: 'on-execute', hooks: ['post_task_execute'] });
    writePlugin(sandbox.plugins, { name: 'tool', commands: ['go'] });
    for (const name of ['on-submit', 'on-execute', 'tool']) {
      await manager().install(name);
      await manager().enable(name);
    }
    await reopen();
    expect(manager().sandboxesStarted).toBe(0);
    await manager().dispatch('pre_task_submit', task());
    expect(manager().sandboxesStarted).toBe(1);
    await manager().dispatch('pre_task_submit', task('t-2'));
    expect(manager().sandboxesStarted).toBe(1);
    expect(await manager().run('tool', 'go')).toBe('tool go ');
    expect(manager().sandboxesStarted).toBe(2);
    expect((await manager().info('on-execute')).loaded).toBe(false);
  });

  it('hot: enabling and disabling change what a running host dispatches to', async () => {
    writePlugin(sandbox.plugins, { name: 'late', hooks: ['post_task_execute'] });
    await manager().install('late');
    expect((await manager().dispatch('post_task_execute', task())).results).toEqual([]);
    await manager().enable('late');
    expect((await manager().dispatch('post_task_execute', task())).results.map((r) => r.plugin)).toEqual(['late']);
    await manager().disable('late');
    expect((await manager().dispatch('post_task_execute', task())).results).toEqual([]);
  });

  it('reload lets a call in flight finish on the old instance and sends new calls to the new one', async () => {
    const body = (version: string) =>
      `{ commands: { slow: async (ctx) => { const end = Date.now() + 400; while (Date.now() < end) {} return '${version}'; }, fast: () => '${version}' } }`;
    const source = writePlugin(sandbox.root, { name: 'swap', commands: ['slow', 'fast'], body: body('v1') }, 'swap-src');
    await manager().install(source);
    await manager().enable('swap');
    expect(await manager().run('swap', 'fast')).toBe('v1');
    const inFlight = manager().run('swap', 'slow');
    writePlugin(sandbox.root, { name: 'swap', version: '1.0.1', commands: ['slow', 'fast'], body: body('v2') }, 'swap-src');
    await manager().update('swap', source);
    expect(await inFlight).toBe('v1');
    expect(await manager().run('swap', 'fast')).toBe('v2');
  });

  it('priorities and the task_write waterfall come from the manifest and the granted permissions', async () => {
    writePlugin(sandbox.plugins, {
      name: 'rewriter',
      permissions: ['task_read', 'task_write'],
      hooks: [{ name: 'pre_task_submit', priority: 10 }],
      body: "{ hooks: { pre_task_submit: (ctx, event) => success('rewrote', { task: { ...event.task, name: 'renamed' } }) } }",
    });
    writePlugin(sandbox.plugins, {
      name: 'reader',
      permissions: ['task_read'],
      hooks: ['pre_task_submit'],
      body: '{ hooks: { pre_task_submit: (ctx, event) => success(event.task.name) } }',
    });
    await manager().install('rewriter', { yes: true });
    await manager().install('reader');
    await manager().enable('rewriter');
    await manager().enable('reader');
    const outcome = await manager().dispatch('pre_task_submit', task());
    expect(outcome.results.map((r) => [r.plugin, r.result.message])).toEqual([
      ['rewriter', 'rewrote'],
      ['reader', 'renamed'],
    ]);
    expect(outcome.data.task.name).toBe('renamed');
  });
});

describe('watch', () => {
  it('reinstalls and reloads a plugin when its source folder changes', async () => {
    const source = writePlugin(sandbox.root, { name: 'dev', commands: ['v'], body: "{ commands: { v: () => 'one' } }" }, 'dev-src');
    await manager().install(source);
    await manager().enable('dev');
    expect(await manager().run('dev', 'v')).toBe('one');
    const changed = new Promise<Error | undefined>((resolve) => {
      const stop = manager().watch('dev', source, (error) => {
        stop();
        resolve(error);
      });
    });
    writePlugin(sandbox.root, { name: 'dev', version: '1.0.1', commands: ['v'], body: "{ commands: { v: () => 'two' } }" }, 'dev-src');
    expect(await changed).toBeUndefined();
    expect(await manager().run('dev', 'v')).toBe('two');
    expect((await manager().info('dev')).record.version).toBe('1.0.1');
  });
});
