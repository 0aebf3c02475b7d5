// Issue 15 (6): after tampering was detected, reinstalling was refused ("already installed") and
// update said "up to date": no way back. repair fetches the recorded source again, checks it is
// what was installed, and swaps it in, keeping status, grants, priorities and data.
import { appendFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { managerError, useManager, writePlugin } from './helpers';

const { sandbox, manager } = useManager();

const folderOf = async (name: string) => join(sandbox.home, 'installed', (await manager().info(name)).record.folder);

test('a tampered plugin found in the search paths is repaired in place, enabled again, its grants and priorities kept', async () => {
  writePlugin(sandbox.plugins, {
    name: 'p',
    permissions: ['network'],
    hooks: ['post_task_execute'],
    commands: ['x'],
    extra: { network: { allowed_hosts: ['api.example.org'] } },
  });
  await manager().install('p', { yes: true });
  await manager().enable('p');
  await manager().setPriority('p', 'post_task_execute', 7);
  appendFileSync(join(await folderOf('p'), 'index.js'), '\n// tampered\n');
  const refused = await managerError(() => manager().run('p', 'x'));
  expect(refused).toMatchObject({
    code: 'INTEGRITY_FAILED',
    message: "plugin 'p' was modified after install: index.js was changed; run marathon plugin repair p",
  });
  // The old ways are still closed, and now say where the way back is.
  expect((await managerError(() => manager().install('p', { yes: true }))).message).toContain(
    'marathon plugin repair p restores its files',
  );

  const before = (await manager().info('p')).record;
  const result = await manager().repair('p');
  expect(result).toMatchObject({ name: 'p', version: '1.0.0', repaired: true, status: 'enabled' });
  expect(result.message).toBe(`plugin 'p' 1.0.0 repaired from the search paths, folder ${join(sandbox.plugins, 'p')}`);
  const after = (await manager().info('p')).record;
  expect(after).toMatchObject({
    status: 'enabled',
    granted_permissions: ['network'],
    priorities: { post_task_execute: 7 },
    integrity: before.integrity,
    source: before.source,
  });
  expect(after.error).toBeUndefined();
  expect(after.folder).not.toBe(before.folder);
  expect(readdirSync(join(sandbox.home, 'installed'))).toEqual([after.folder]);
  expect(await manager().run('p', 'x')).toBe('p x ');
});

test('an intact plugin needs nothing; a source that is gone or changed is a clear refusal that leaves the plugin as it was', async () => {
  const dir = writePlugin(sandbox.root, { name: 'q', commands: ['x'] }, 'q-src');
  await manager().install(dir);
  expect(await manager().repair('q')).toMatchObject({
    repaired: false,
    message: "plugin 'q' 1.0.0 has its files as installed: nothing to repair",
  });

  const installed = await folderOf('q');
  appendFileSync(join(installed, 'index.js'), '\n// tampered\n');
  // The folder now holds something else than what was installed: a repair never updates.
  appendFileSync(join(dir, 'index.js'), '\n// a newer build\n');
  const changed = await managerError(() => manager().repair('q'));
  expect(changed.code).toBe('SOURCE_CHANGED');
  expect(changed.message).toBe(
    `plugin 'q' cannot be repaired from the folder ${dir}: it no longer holds the 1.0.0 that was installed ` +
      `(index.js was changed there since); to install what it holds now, run marathon plugin update q ${dir}`,
  );

  rmSync(dir, { recursive: true });
  const gone = await managerError(() => manager().repair('q'));
  expect(gone.code).toBe('SOURCE_GONE');
  expect(gone.message).toContain(`plugin 'q' cannot be repaired: it was installed from the folder ${dir}, which is gone`);
  expect(gone.message).toContain('marathon plugin update q <source> --allow-source-change');
  expect(await folderOf('q')).toBe(installed);
  expect(readdirSync(join(sandbox.home, 'staging'))).toEqual([]);
});

test('an archive is fetched again and checked against the digest recorded at install', async () => {
  const dir = writePlugin(sandbox.root, { name: 'r', commands: ['x'] }, 'r-src');
  const archive = join(sandbox.root, 'r-1.0.0.tgz');
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  await manager().install(archive);
  await manager().enable('r');
  rmSync(join(await folderOf('r'), 'index.js'));
  expect(await manager().repair('r')).toMatchObject({ repaired: true, status: 'enabled' });
  expect(await manager().run('r', 'x')).toBe('r x ');

  // Another archive at the same path: not what was installed.
  appendFileSync(join(await folderOf('r'), 'index.js'), '\n// tampered\n');
  writeFileSync(join(dir, 'README.md'), 'changed');
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  expect(await managerError(() => manager().repair('r'))).toMatchObject({
    code: 'SOURCE_CHANGED',
    message: expect.stringContaining('does not match --integrity'),
  });
  expect(existsSync(archive)).toBe(true);
});
