// Issue 15, item 8: installing with --with-dependencies when the dependencies form a cycle used to
// recurse for ever (each install staged the other again). It is refused at once, naming the cycle
// in enable's words (DEPENDENCY_CYCLE), before anything is staged, asked or installed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsentSummary } from '@marathon/security/trust';
import { managerError, useManager, writePlugin } from './helpers';

const { sandbox, manager, reopen } = useManager();

const stagingLeft = (): string[] => {
  try {
    return readdirSync(join(sandbox.home, 'staging'));
  } catch {
    return [];
  }
};

describe('a dependency cycle in the search paths', () => {
  it('two plugins needing each other: refused at once, naming the cycle; nothing asked, staged or installed', async () => {
    writePlugin(sandbox.plugins, { name: 'd-x', permissions: ['task_write'], dependencies: { 'd-y': '*' } });
    writePlugin(sandbox.plugins, { name: 'd-y', dependencies: { 'd-x': '*' } });
    const asked: ConsentSummary[] = [];
    const started = Date.now();
    const error = await managerError(() =>
      manager().install('d-x', { withDependencies: true, confirm: async (summary) => (asked.push(summary), true) }),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: 'plugins depend on each other in a cycle: d-x → d-y → d-x; break it by removing one dependency',
    });
    expect(asked).toEqual([]);
    expect(await manager().list()).toEqual([]);
    expect(stagingLeft()).toEqual([]);
  });

  it('a longer cycle reached through a plugin outside it is named from where it starts', async () => {
    writePlugin(sandbox.plugins, { name: 'top', dependencies: { a: '*' } });
    writePlugin(sandbox.plugins, { name: 'a', dependencies: { b: '*' } });
    writePlugin(sandbox.plugins, { name: 'b', dependencies: { c: '*' } });
    writePlugin(sandbox.plugins, { name: 'c', dependencies: { a: '*' } });
    await expect(manager().install('top', { withDependencies: true, yes: true })).rejects.toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: 'plugins depend on each other in a cycle: a → b → c → a; break it by removing one dependency',
    });
    expect(await manager().list()).toEqual([]);
  });

  it('an installed plugin ends the walk: its dependencies are not pulled, so they close no cycle', async () => {
    writePlugin(sandbox.plugins, { name: 'base' });
    await manager().install('base');
    // base as installed needs nothing; the folder now says it needs app, but only its installed copy counts.
    writePlugin(sandbox.plugins, { name: 'base', dependencies: { app: '*' } });
    writePlugin(sandbox.plugins, { name: 'app', dependencies: { base: '*' } });
    expect(await manager().install('app', { withDependencies: true, yes: true })).toMatchObject({ name: 'app', dependencies: [] });
  });

  it('shared dependencies are not cycles: a needs b and d, b needs d (d pulled once, by b)', async () => {
    writePlugin(sandbox.plugins, { name: 'd' });
    writePlugin(sandbox.plugins, { name: 'b', dependencies: { d: '*' } });
    writePlugin(sandbox.plugins, { name: 'a', dependencies: { b: '*', d: '*' } });
    const result = await manager().install('a', { withDependencies: true, yes: true });
    expect(result.dependencies).toEqual(['d', 'b']);
    expect((await manager().list()).map((plugin) => plugin.name)).toEqual(['a', 'b', 'd']);
    expect(await manager().enable('a')).toEqual(['d', 'b', 'a']);
  });
});

describe('a dependency cycle among npm packages', () => {
  // Not visible before staging (each manifest is only known once fetched): the chain of installs
  // under way refuses the plugin that closes it, before it is installed or fetched again.
  it('is refused when the cycle closes, and nothing is installed', async () => {
    const fetched: string[] = [];
    const tarballs = new Map<string, string>();
    for (const [name, needs] of [
      ['n-x', 'n-y'],
      ['n-y', 'n-x'],
    ] as const) {
      const dir = writePlugin(join(sandbox.root, 'npm', name), { name, dependencies: { [needs]: '^1.0.0' } }, 'package');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
      const file = join(sandbox.root, `${name}.tgz`);
      execFileSync('tar', ['czf', file, '-C', join(dir, '..'), 'package']);
      tarballs.set(name, file);
    }
    await reopen({
      npm: {
        async fetchTarball(spec, file) {
          fetched.push(spec);
          const name = spec.replace(/@[^@]*$/, '');
          const body = readFileSync(tarballs.get(name)!);
          writeFileSync(file, body);
          return { name, version: '1.0.0', integrity: `sha512-${createHash('sha512').update(body).digest('base64')}` };
        },
      },
    });
    const error = await managerError(() => manager().install('npm:n-x@1.0.0', { withDependencies: true, yes: true }));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: 'plugins depend on each other in a cycle: n-x → n-y → n-x; break it by removing one dependency',
    });
    expect(fetched).toEqual(['n-x@1.0.0', 'n-y@^1.0.0']);
    expect(await manager().list()).toEqual([]);
    expect(stagingLeft()).toEqual([]);
  });
});
