// Issue 14, part 2: the working directory's .marathon/plugins was searched by default, before
// $MARATHON_PLUGIN_PATH and configured folders, so a cloned repository could answer for a name
// the operator meant from their own folders. It is now searched only on opt-in, and last.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover, marathonHome, searchPaths } from '@marathon/registry';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-project-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function plugin(parent: string, name: string, version: string): void {
  mkdirSync(join(parent, name), { recursive: true });
  writeFileSync(join(parent, name, 'plugin.json'), JSON.stringify({ name, version, api_version: '1.0.0' }));
}

it('does not search the project folder unless MARATHON_PROJECT_PLUGINS opts in', async () => {
  const clone = join(root, 'clone');
  plugin(join(clone, '.marathon', 'plugins'), 'helper', '1.0.0');
  const home = marathonHome(join(root, 'home'));
  expect(searchPaths({ home, cwd: clone, env: {} }).map((path) => path.kind)).toEqual(['home']);
  expect((await discover(searchPaths({ home, cwd: clone, env: {} }))).plugins).toEqual([]);
  for (const value of ['0', 'no', ''])
    expect(searchPaths({ home, cwd: clone, env: { MARATHON_PROJECT_PLUGINS: value } }).map((path) => path.kind)).toEqual(['home']);
  expect(searchPaths({ home, cwd: clone, env: { MARATHON_PROJECT_PLUGINS: 'true' } }).map((path) => path.kind)).toEqual([
    'home',
    'project',
  ]);
});

it('lets every other search path win a name over the project folder when opted in', async () => {
  const clone = join(root, 'clone');
  const shared = join(root, 'shared');
  plugin(join(clone, '.marathon', 'plugins'), 'notifier', '9.0.0');
  plugin(shared, 'notifier', '1.0.0');
  const paths = searchPaths({
    home: marathonHome(join(root, 'home')),
    cwd: clone,
    env: { MARATHON_PLUGIN_PATH: shared, MARATHON_PROJECT_PLUGINS: '1' },
  });
  const { plugins, conflicts } = await discover(paths);
  expect(plugins.map((found) => [found.name, found.version, found.searchPath.kind])).toEqual([['notifier', '1.0.0', 'env']]);
  expect(conflicts).toEqual([
    { name: 'notifier', winner: join(shared, 'notifier'), shadowed: [join(clone, '.marathon', 'plugins', 'notifier')] },
  ]);
});
