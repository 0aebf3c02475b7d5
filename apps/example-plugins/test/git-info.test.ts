import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

let plugin: TestPlugin | undefined;
afterEach(async () => {
  await plugin?.close();
  plugin = undefined;
});

test('runs the real git: version, and the status of a repository in its data folder', async () => {
  plugin = await loadPlugin(built('git-info'));
  expect(await plugin.command('version')).toMatch(/^git version \d+\.\d+/);
  const repo = join(plugin.dataDir, 'repo');
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
  writeFileSync(join(repo, 'notes.txt'), 'hello\n');
  expect(await plugin.command('status', ['repo'])).toBe('## No commits yet on main\n?? notes.txt');
});

test('keeps git inside its data folder, and runs nothing but git', async () => {
  plugin = await loadPlugin(built('git-info'));
  await expect(plugin.command('status', ['../..'])).rejects.toThrow(/outside the plugin's data folder/);
  await expect(plugin.command('status', ['/etc'])).rejects.toThrow(/must be a path relative to the plugin's data folder/);
  expect(plugin.manifest.exec?.allowed_commands).toEqual(['git']);
});

test('a stubbed git, for machines without one', async () => {
  plugin = await loadPlugin(built('git-info'), {
    exec: [{ command: 'git', args: ['--version'], result: { stdout: 'git version 9.9.9\n' } }],
  });
  expect(await plugin.command('version')).toBe('git version 9.9.9');
});
